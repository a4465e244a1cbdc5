"""Users: the Board's administrators create accounts with one role in one unit, change them, and lock
them. Every change goes through the services (and the audit log)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..errors import ServiceError
from ..models import Unit, User
from ..permissions import get_for_user_or_404, may_manage_users
from ..roles import Role
from ..services import user_create, user_set_password, user_update
from ..twofactor import has_second_factor


class UserForm(forms.Form):
    username = forms.RegexField(
        label=gettext_lazy("Tên đăng nhập"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": gettext_lazy("Tên đăng nhập chỉ gồm chữ, số và các ký tự . @ + - _")},
    )
    full_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=150)
    role = forms.ChoiceField(label=gettext_lazy("Vai trò"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị"), queryset=Unit.objects.filter(is_active=True), required=False
    )
    email = forms.EmailField(label=gettext_lazy("Thư điện tử"), required=False)
    phone = forms.CharField(label=gettext_lazy("Điện thoại"), max_length=20, required=False)
    password = forms.CharField(
        label=gettext_lazy("Mật khẩu"),
        widget=forms.PasswordInput,
        required=False,
        help_text=gettext_lazy("Ít nhất 10 ký tự, không phổ biến, không chỉ gồm số."),
    )
    is_active = forms.BooleanField(label=gettext_lazy("Được đăng nhập"), required=False, initial=True)
    is_service_account = forms.BooleanField(
        label=gettext_lazy("Tài khoản thiết bị hoặc hệ thống"),
        required=False,
        help_text=gettext_lazy(
            "Cho camera, đầu đọc hoặc hệ thống khác: không có mật khẩu, chỉ dùng khóa API (trang Khóa API)."
        ),
    )

    def __init__(self, *args, editing: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing is not None:
            self.fields["username"].disabled = True
            self.fields["is_service_account"].disabled = True
            self.fields["password"].help_text = gettext_lazy("Để trống nếu không đổi mật khẩu.")


def _apply_errors(form, exc: ServiceError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@login_required
def user_list(request):
    if not may_manage_users(request.user):
        raise Http404
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    users = User.objects.for_user(request.user).select_related("unit").order_by("username")
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(full_name__icontains=q) | Q(unit__name__icontains=q)
        )
    if role:
        users = users.filter(role=role)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "core/users.html", {"page": page, "q": q, "role": role, "roles": Role.choices})


@login_required
def user_new(request):
    if not may_manage_users(request.user):
        raise Http404
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not data["password"] and not data["is_service_account"]:
            form.add_error("password", _("Cần đặt mật khẩu cho tài khoản mới."))
        else:
            try:
                user = user_create(
                    actor=request.user,
                    username=data["username"],
                    password=data["password"] or None,
                    is_service_account=data["is_service_account"],
                    role=data["role"],
                    unit=data["unit"],
                    full_name=data["full_name"],
                    email=data["email"],
                    phone=data["phone"],
                )
                if not data["is_active"]:
                    user_update(
                        actor=request.user,
                        user=user,
                        role=user.role,
                        unit=user.unit,
                        full_name=user.full_name,
                        email=user.email,
                        phone=user.phone,
                        is_active=False,
                    )
                messages.success(request, _("Đã tạo tài khoản %(u)s.") % {"u": user.username})
                return redirect("core:users")
            except ServiceError as exc:
                _apply_errors(form, exc)
    return render(
        request, "core/user_form.html", {"form": form, "editing": None}, status=400 if form.errors else 200
    )


@login_required
def user_edit(request, username):
    if not may_manage_users(request.user):
        raise Http404
    target = get_for_user_or_404(User, request.user, username=username)
    initial = {
        "username": target.username,
        "full_name": target.full_name,
        "role": target.role,
        "unit": target.unit,
        "email": target.email,
        "phone": target.phone,
        "is_active": target.is_active,
        "is_service_account": target.is_service_account,
    }
    form = UserForm(request.POST or None, initial=initial, editing=target)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user_update(
                actor=request.user,
                user=target,
                role=data["role"],
                unit=data["unit"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                is_active=data["is_active"],
            )
            if data["password"]:
                user_set_password(actor=request.user, user=target, password=data["password"])
            messages.success(request, _("Đã lưu tài khoản %(u)s.") % {"u": target.username})
            return redirect("core:users")
        except ServiceError as exc:
            _apply_errors(form, exc)
    return render(
        request,
        "core/user_form.html",
        {"form": form, "editing": target, "otp_enrolled": has_second_factor(target)},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("users/", user_list, name="users"),
    path("users/new/", user_new, name="user-new"),
    path("users/<str:username>/", user_edit, name="user-edit"),
]
