"""Core's own audit actions (core.actions.audit_actions): accounts, units, API keys, sign-in and the
second factor, the working calendar, the installation, personal data. Named core.<object>.<verb>; the
names earlier versions stored stay readable (and countable: the login policy) as legacy names."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .actions import audit_actions

LOGIN = "core.auth.login"
LOGOUT = "core.auth.logout"
LOGIN_FAILED = "core.auth.login_failed"
PASSWORD_RESET_REQUEST = "core.auth.password_reset_request"

_ACTIONS = {
    "core.unit.create": _("tạo đơn vị"),
    "core.unit.update": _("sửa đơn vị"),
    "core.user.create": _("tạo tài khoản"),
    "core.user.update": _("sửa tài khoản"),
    "core.user.set_password": _("quản trị đặt mật khẩu"),
    "core.user.password_change": _("đổi mật khẩu"),
    "core.user.password_reset": _("đặt lại mật khẩu qua thư"),
    "core.api_token.create": _("cấp khóa API"),
    "core.api_token.revoke": _("thu hồi khóa API"),
    "core.calendar_year.enter": _("nhập lịch làm việc chính thức"),
    "core.calendar_year.replace": _("thay lịch làm việc chính thức"),
    "core.installation.mark_demo": _("đánh dấu bản cài đặt thử"),
    LOGIN: _("đăng nhập"),
    LOGOUT: _("đăng xuất"),
    LOGIN_FAILED: _("đăng nhập sai"),
    PASSWORD_RESET_REQUEST: _("yêu cầu đặt lại mật khẩu"),
    "core.auth.otp_enrol_start": _("bắt đầu đăng ký xác thực hai bước"),
    "core.auth.otp_enrol_failed": _("mã xác nhận đăng ký sai"),
    "core.auth.otp_enrol": _("đăng ký xác thực hai bước"),
    "core.auth.otp_verify": _("xác thực hai bước"),
    "core.auth.otp_recovery_used": _("dùng mã khôi phục"),
    "core.auth.otp_recovery_regenerate": _("tạo bộ mã khôi phục mới"),
    "core.auth.otp_reset": _("đặt lại xác thực hai bước"),
    "core.personal_data.export": _("xuất dữ liệu cá nhân"),
    "core.personal_data.erase": _("ẩn danh dữ liệu quá hạn"),
    "core.personal_data.rekey": _("đổi khóa mã hóa dữ liệu cá nhân"),
}

audit_actions.register("core", _ACTIONS, legacy={name.removeprefix("core."): name for name in _ACTIONS})
