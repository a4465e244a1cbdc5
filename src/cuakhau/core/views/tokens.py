"""API tokens for devices and systems: the Board's admins and departments issue and revoke them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..errors import ServiceError, form_add_errors
from ..keys import key_accounts
from ..models import ApiToken, User
from ..permissions import CHANGE, get_for_user_or_404, may_issue_keys
from ..services import token_create, token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Tên (thiết bị hoặc hệ thống)"), max_length=120)
    user = forms.ModelChoiceField(
        label=gettext_lazy("Tài khoản thiết bị hoặc hệ thống của khóa"),
        queryset=User.objects.none(),
        help_text=gettext_lazy(
            "Khóa hoạt động dưới tên tài khoản này, không dưới tên một người. "
            "Quản trị viên tạo tài khoản thiết bị ở trang Người dùng."
        ),
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = key_accounts(viewer).select_related("unit")


@login_required
def token_list(request):
    if not may_issue_keys(request.user):
        raise Http404
    form = TokenForm(request.POST or None, viewer=request.user)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = token_create(
                actor=request.user, user=form.cleaned_data["user"], name=form.cleaned_data["name"]
            )
            messages.success(
                request,
                _("Đã tạo khóa %(prefix)s. Sao chép khóa ngay: khóa chỉ hiện một lần.")
                % {"prefix": token.prefix},
            )
            form = TokenForm(viewer=request.user)
        except ServiceError as exc:
            form_add_errors(form, exc)
    tokens = ApiToken.objects.for_user(request.user).select_related("user", "unit", "created_by")
    return render(
        request,
        "core/tokens.html",
        {"tokens": tokens, "form": form, "secret": secret},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke_view(request, prefix):
    if not may_issue_keys(request.user):
        raise Http404
    token = get_for_user_or_404(ApiToken, request.user, CHANGE, prefix=prefix)
    token_revoke(actor=request.user, token=token)
    messages.success(request, _("Đã thu hồi khóa %(prefix)s.") % {"prefix": token.prefix})
    return redirect("core:tokens")


urlpatterns = [
    path("tokens/", token_list, name="tokens"),
    path("tokens/<slug:prefix>/revoke/", token_revoke_view, name="token-revoke"),
]
