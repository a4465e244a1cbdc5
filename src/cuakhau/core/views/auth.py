from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ..middleware import client_ip
from ..selectors import login_throttled


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "throttled": _(
            "Tài khoản hoặc máy này đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút."
        ),
    }

    def clean(self):
        from django.conf import settings

        username = self.cleaned_data.get("username") or ""
        if login_throttled(username=username, client_ip=client_ip(self.request)):
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60},
            )
        return super().clean()


class LoginView(DjangoLoginView):
    template_name = "core/login.html"
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def get(self, request, *args, **kwargs):
        if request.session.pop("expired", False):
            messages.info(request, _("Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại."))
        return super().get(request, *args, **kwargs)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("core:login")
