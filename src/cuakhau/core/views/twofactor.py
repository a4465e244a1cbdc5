"""The second step of signing in (a code from the authenticator app, or a recovery code), enrolling an
authenticator (QR code, first code, ten recovery codes shown once), one's own two-factor page, and an
administrator's reset of someone's devices. The rule and the gate are in core.twofactor."""

from __future__ import annotations

import math

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import user_login_failed
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from .. import login_policy, twofactor
from ..errors import ServiceError, form_add_errors
from ..models import User
from ..permissions import get_for_user_or_404, may_reset_second_factor
from ..services.twofactor import (
    otp_enrol_confirm,
    otp_enrol_start,
    otp_recovery_regenerate,
    otp_reset,
    otp_verify,
)
from .auth import THROTTLED

STEP = "otp"


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Mã xác thực"),
        max_length=32,
        help_text=gettext_lazy("6 chữ số trong ứng dụng xác thực, hoặc một mã khôi phục chưa dùng."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
        error_messages={"required": gettext_lazy("Nhập mã xác thực.")},
    )


class AppCodeForm(CodeForm):
    token = forms.RegexField(
        label=gettext_lazy("Mã 6 chữ số trong ứng dụng xác thực"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "required": gettext_lazy("Nhập mã 6 chữ số."),
            "invalid": gettext_lazy("Mã xác thực gồm đúng 6 chữ số."),
        },
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("dashboard")


def _refused(request, form, device=None) -> bool:
    """The login policy's check, and the device's own delay after a wrong code, before a code is
    tried: a refused attempt is not tried at all."""
    refusal = login_policy.check(request, request.user.get_username())
    if refusal is None:
        device = device or twofactor.authenticator(request.user)
        allowed, info = device.verify_is_allowed() if device is not None else (True, None)
        locked_until = (info or {}).get("locked_until")
        if not allowed and locked_until is not None:
            wait = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
            refusal = login_policy.Refusal("device", wait)
    if refusal is None:
        return False
    request.login_refused = refusal  # core.login_policy.LoginPolicyMiddleware answers 429
    form.add_error(None, THROTTLED % {"minutes": login_policy.wait_minutes(refusal)})
    return True


def _failed(request) -> None:
    """A wrong code is a failed login: the login policy counts it like a wrong password."""
    user_login_failed.send(
        sender=__name__,
        credentials={"username": request.user.get_username(), "step": STEP},
        request=request,
    )


def _verified(request, device) -> None:
    otp_login(request, device)
    # A new session id for the session that now counts as signed in.
    request.session.cycle_key()


@never_cache
@login_required
def otp_verify_view(request):
    if not twofactor.pending(request):
        return redirect(_next(request))
    if not twofactor.has_second_factor(request.user):
        return redirect(twofactor.next_step_url(request, request.GET.get("next", "")))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid() and not _refused(request, form):
        device = otp_verify(actor=request.user, user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            _verified(request, device)
            if device.persistent_id.startswith("otp_static"):
                left = twofactor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _("Đã dùng một mã khôi phục; còn %(n)s mã. Hãy tạo bộ mã mới nếu sắp hết.") % {"n": left},
                )
            return redirect(_next(request))
        _failed(request)
        form.add_error("token", _("Mã xác thực không đúng hoặc đã được dùng."))
    if form.errors:
        status = 400
    return render(
        request,
        "core/otp_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=status,
    )


def _qr_svg(device) -> str:
    return segno.make(twofactor.config_url(device), error="m").svg_inline(
        scale=5, border=2, dark="#000", light="#fff", title=_("Mã QR để thêm tài khoản vào ứng dụng xác thực")
    )


@never_cache
@login_required
def otp_enrol_view(request):
    user = request.user
    if not twofactor.may_enrol(user):
        raise Http404
    if twofactor.has_second_factor(user):
        # Changing one's authenticator needs the old one's code (or an administrator's reset).
        if twofactor.pending(request):
            return redirect(twofactor.next_step_url(request, request.GET.get("next", "")))
        return redirect("core:otp_account")
    device = otp_enrol_start(actor=user, user=user)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _refused(request, form, device):
        try:
            result = otp_enrol_confirm(actor=user, user=user, token=form.cleaned_data["token"])
        except ServiceError as exc:
            form_add_errors(form, exc)
            result = None
        if result is not None:
            confirmed, codes = result
            _verified(request, confirmed)
            request.session[twofactor.NEW_CODES_SESSION_KEY] = codes
            request.session["otp_after_codes"] = _next(request)
            return redirect("core:otp_recovery_codes")
        if not form.errors:
            form.add_error("token", _("Mã xác thực không đúng. Kiểm tra giờ của điện thoại rồi thử mã mới."))
    return render(
        request,
        "core/otp_enrol.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device),
            "secret": twofactor.base32_secret(device),
            "issuer": twofactor.ISSUER,
            "required": twofactor.must_use(user),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def otp_recovery_codes_view(request):
    """The new recovery codes, shown once: reloading the page does not show them again."""
    codes = request.session.pop(twofactor.NEW_CODES_SESSION_KEY, None)
    after = request.session.pop("otp_after_codes", None) or reverse("core:otp_account")
    if not codes:
        return redirect("core:otp_account")
    return render(request, "core/otp_recovery_codes.html", {"codes": codes, "after": after})


@never_cache
@login_required
def otp_account_view(request):
    user = request.user
    if not twofactor.may_enrol(user):
        raise Http404
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _refused(request, form):
        try:
            codes = otp_recovery_regenerate(actor=user, user=user, token=form.cleaned_data["token"])
        except ServiceError as exc:
            form_add_errors(form, exc)
            codes = None
        if codes is not None:
            request.session[twofactor.NEW_CODES_SESSION_KEY] = codes
            return redirect("core:otp_recovery_codes")
        if not form.errors:
            _failed(request)
            form.add_error("token", _("Mã xác thực không đúng hoặc đã được dùng."))
    enrolled = twofactor.has_second_factor(user)
    return render(
        request,
        "core/otp_account.html",
        {
            "form": form,
            "enrolled": enrolled,
            "required": twofactor.must_use(user),
            "codes_left": twofactor.recovery_codes_left(user) if enrolled else 0,
            "device": twofactor.authenticator(user),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def user_otp_reset_view(request, username):
    """An administrator removes a person's authenticator and recovery codes (users page)."""
    if not may_reset_second_factor(request.user):
        raise Http404
    target = get_for_user_or_404(User, request.user, username=username)
    try:
        otp_reset(actor=request.user, user=target)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Đã đặt lại xác thực hai bước của %(u)s: lần đăng nhập tới, người này đăng ký lại ứng dụng.")
            % {"u": target.username},
        )
    return redirect("core:user-edit", username=target.username)


urlpatterns = [
    path("login/code/", otp_verify_view, name="otp_verify"),
    path("account/two-factor/enrol/", otp_enrol_view, name="otp_enrol"),
    path("account/two-factor/recovery-codes/", otp_recovery_codes_view, name="otp_recovery_codes"),
    path("account/two-factor/", otp_account_view, name="otp_account"),
    path("users/<str:username>/two-factor/reset/", user_otp_reset_view, name="user-otp-reset"),
]
