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

from ..errors import ServiceError
from ..models import ApiToken, User
from ..permissions import CHANGE, get_for_user_or_404
from ..roles import ZONE_WIDE_ROLES
from ..services import token_create, token_revoke


def _manager(user) -> bool:
    return user.is_superuser or user.role in ZONE_WIDE_ROLES


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Tên (thiết bị hoặc hệ thống)"), max_length=120)
    user = forms.ModelChoiceField(
        label=gettext_lazy("Tài khoản mà khóa đại diện"), queryset=User.objects.none()
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.for_user(viewer).filter(
            is_active=True, unit__isnull=False
        )


@login_required
def token_list(request):
    if not _manager(request.user):
        raise Http404
    form = TokenForm(request.POST or None, viewer=request.user)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = token_create(user=form.cleaned_data["user"], name=form.cleaned_data["name"])
            messages.success(
                request,
                _("Đã tạo khóa %(prefix)s. Sao chép khóa ngay: khóa chỉ hiện một lần.")
                % {"prefix": token.prefix},
            )
            form = TokenForm(viewer=request.user)
        except ServiceError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
    tokens = ApiToken.objects.for_user(request.user).select_related("user", "unit")
    return render(
        request,
        "core/tokens.html",
        {"tokens": tokens, "form": form, "secret": secret},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke_view(request, prefix):
    if not _manager(request.user):
        raise Http404
    token = get_for_user_or_404(ApiToken, request.user, CHANGE, prefix=prefix)
    token_revoke(token=token)
    messages.success(request, _("Đã thu hồi khóa %(prefix)s.") % {"prefix": token.prefix})
    return redirect("core:tokens")


urlpatterns = [
    path("tokens/", token_list, name="tokens"),
    path("tokens/<slug:prefix>/revoke/", token_revoke_view, name="token-revoke"),
]
