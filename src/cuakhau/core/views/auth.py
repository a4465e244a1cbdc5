"""Signing in and out, and a person's own password: change it (old and new) or reset it by e-mail.
Every password check goes through the login policy (core.login_policy), the admin site's too."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import logout, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .. import audit_names, login_policy, twofactor
from ..actions import audit_actions
from ..audit import audit_record
from ..errors import ServiceError, form_add_errors
from ..middleware import client_ip
from ..models import AuditEvent
from ..services.passwords import password_change

THROTTLED = _("Tài khoản hoặc máy này đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.")


class PolicyMessageMixin:
    """An attempt the login policy refused says so and when to try again, not "wrong password"."""

    def get_invalid_login_error(self):
        refusal = getattr(self.request, "login_refused", None)
        if refusal is not None:
            return forms.ValidationError(
                THROTTLED, code="throttled", params={"minutes": login_policy.wait_minutes(refusal)}
            )
        return super().get_invalid_login_error()


class ThrottledAuthenticationForm(PolicyMessageMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
    }


class AdminLoginForm(PolicyMessageMixin, AdminAuthenticationForm):
    """The admin site's login form (core.admin sets it): the same policy and message."""


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def get(self, request, *args, **kwargs):
        if request.session.pop("expired", False):
            messages.info(request, _("Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại."))
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        # The password was right; an account with a second factor (or that must have one) goes on to
        # the code page, or enrols first (core.twofactor). The session counts only after that.
        if twofactor.needs_second_factor(self.request.user):
            return redirect(twofactor.next_step_url(self.request, self.get_success_url()))
        return response


@require_POST
def logout_view(request):
    logout(request)
    return redirect("core:login")


class OwnPasswordChangeForm(PasswordChangeForm):
    """The old password is checked under the login policy, and a wrong one counts as a failed login:
    a borrowed session cannot guess it faster than the login page could."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        username = self.user.get_username()
        refusal = login_policy.check(self.request, username)
        if refusal is not None:
            self.request.login_refused = refusal
            raise forms.ValidationError(
                THROTTLED, code="throttled", params={"minutes": login_policy.wait_minutes(refusal)}
            )
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            user_login_failed.send(sender=__name__, credentials={"username": username}, request=self.request)
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old

    def save(self, commit=True):
        # The view keeps this session with the new password's hash, so self.user must carry it.
        self.user = password_change(
            actor=getattr(self.request, "user", None),
            user=self.user,
            password=self.cleaned_data["new_password1"],
        )
        return self.user


class OwnSetPasswordForm(SetPasswordForm):
    def save(self, commit=True):
        self.user = password_change(
            actor=None, user=self.user, password=self.cleaned_data["new_password1"], by_reset=True
        )
        return self.user


class _ServiceFormMixin:
    """A refusal of the password service lands on the form (HTTP 400), like every other page's."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ServiceError as exc:
            form_add_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class _Page:
    title = ""
    submit_label = ""
    template_name = "core/password_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title, submit_label=self.submit_label, cancel_href=reverse_lazy("dashboard"), **kwargs
        )


@method_decorator(login_required, name="dispatch")
class OwnPasswordChangeView(_ServiceFormMixin, _Page, auth_views.PasswordChangeView):
    """Old and new password. The session that changed it stays signed in; every other session ends."""

    form_class = OwnPasswordChangeForm
    title = _("Đổi mật khẩu")
    submit_label = _("Đổi mật khẩu")
    success_url = reverse_lazy("dashboard")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        if response.status_code < 400:
            messages.success(
                self.request, _("Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc.")
            )
        return response


RESET_REQUESTED = audit_names.PASSWORD_RESET_REQUEST


class ThrottledPasswordResetForm(PasswordResetForm):
    """Asks for a reset link. Requests are counted by address like failed logins, so the form cannot
    be used to flood mailboxes. The answer is the same whether or not the address has an account."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        address = client_ip(self.request)
        since = timezone.now() - datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
        recent = AuditEvent.objects.filter(
            action__in=audit_actions.aliases(RESET_REQUESTED), client_ip=address, occurred_at__gte=since
        )
        if address and recent.count() >= settings.LOGIN_FAILURE_LIMIT:
            self.request.login_refused = login_policy.Refusal(
                "address", settings.LOGIN_FAILURE_WINDOW_SECONDS
            )
            raise forms.ValidationError(
                _("Máy này đã yêu cầu đặt lại mật khẩu quá nhiều lần. Vui lòng thử lại sau."),
                code="throttled",
            )
        return cleaned

    def save(self, **kwargs):
        with transaction.atomic():
            # The address typed is not recorded: the event only counts requests from this machine.
            audit_record(action=RESET_REQUESTED, object_type="core.user", actor=None)
        return super().save(**kwargs)


class PasswordResetView(_Page, auth_views.PasswordResetView):
    form_class = ThrottledPasswordResetForm
    title = _("Quên mật khẩu")
    submit_label = _("Gửi đường dẫn đặt lại mật khẩu")
    email_template_name = "core/password_reset_email.txt"
    subject_template_name = "core/password_reset_subject.txt"
    success_url = reverse_lazy("core:password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_href"] = reverse_lazy("core:login")
        context["intro"] = _(
            "Nhập thư điện tử của tài khoản. Nếu có tài khoản dùng thư này, hệ thống gửi đến đó một đường "
            "dẫn đặt lại mật khẩu, dùng được một lần trong một giờ."
        )
        return context


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "core/password_reset_done.html"


class PasswordResetConfirmView(_ServiceFormMixin, _Page, auth_views.PasswordResetConfirmView):
    """The link's page: a new password, twice. Every session of the account ends; the person signs in
    again with the new password."""

    form_class = OwnSetPasswordForm
    title = _("Đặt mật khẩu mới")
    submit_label = _("Đặt mật khẩu mới")
    success_url = reverse_lazy("core:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/password_reset_complete.html"


urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", logout_view, name="logout"),
    path("password/", OwnPasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/", PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("password/reset/done/", PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
