"""Two-factor devices: enrol an authenticator app, check a code, make new recovery codes, and an
administrator's reset. One transaction and one audit event each; no secret or code ever goes into the
audit log. Who must use a second factor is core.twofactor's rule."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import permissions, twofactor
from ..audit import audit_record
from ..errors import ServiceError
from ..models import User
from ..service import service


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=twofactor.RECOVERY_NAME, confirmed=True)
    codes = []
    while len(codes) < twofactor.RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _require_self(actor: User | None, user: User) -> None:
    """One's own second factor: only the account itself (signed in with its password) touches it."""
    if actor is None or actor.pk != user.pk:
        raise ServiceError(
            _("Chỉ chủ tài khoản mới thay đổi được xác thực hai bước của mình."), code="forbidden", status=403
        )


def _clean(token: str) -> str:
    return "".join(str(token or "").split()).replace("-", "").lower()[:32]


@service
def otp_enrol_start(*, actor: User, user: User) -> TOTPDevice:
    """The not yet confirmed authenticator the enrolment page shows (a new secret the first time, the
    same one while the page is reloaded)."""
    _require_self(actor, user)
    if not twofactor.may_enrol(user):
        raise ServiceError(_("Tài khoản thiết bị hoặc hệ thống không dùng xác thực hai bước."), status=403)
    device = twofactor.authenticator(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=twofactor.TOTP_NAME, confirmed=False)
        audit_record(action="core.auth.otp_enrol_start", obj=user, actor=user)
    return device


@service
def otp_enrol_confirm(*, actor: User, user: User, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirms the new authenticator with its first code: it replaces any earlier one, and ten new
    recovery codes replace the old. None (and an `auth.otp_enrol_failed` event) for a wrong code."""
    _require_self(actor, user)
    device = twofactor.authenticator(user, confirmed=False)
    if device is None:
        raise ServiceError(_("Chưa có ứng dụng xác thực nào đang chờ xác nhận."), field="token")
    if not device.verify_token(_clean(token)):
        audit_record(action="core.auth.otp_enrol_failed", obj=user, actor=user)
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    audit_record(action="core.auth.otp_enrol", obj=user, actor=user, after={"recovery_codes": len(codes)})
    return device, codes


@service
def otp_verify(*, actor: User, user: User, token: str):
    """The device that accepts `token` (a 6-digit code from the app, or an unused recovery code, which
    is then spent), else None. The caller counts a None as a failed login (core.login_policy). The
    actor is the account half signed in (its password accepted)."""
    _require_self(actor, user)
    token = _clean(token)
    if not token:
        return None
    if token.isdigit():
        device = twofactor.authenticator(user)
        if device is not None and device.verify_token(token):
            audit_record(action="core.auth.otp_verify", obj=user, actor=user)
            return device
        return None
    device = twofactor.recovery_device(user)
    if device is not None and device.verify_token(token):
        audit_record(
            action="core.auth.otp_recovery_used",
            obj=user,
            actor=user,
            after={"recovery_codes_left": device.token_set.count()},
        )
        return device
    return None


@service
def otp_recovery_regenerate(*, actor: User, user: User, token: str) -> list[str] | None:
    """Ten new recovery codes (the old ones stop working), against a current code from the app."""
    _require_self(actor, user)
    device = twofactor.authenticator(user)
    if device is None:
        raise ServiceError(_("Tài khoản chưa bật xác thực hai bước."), field="token")
    if not device.verify_token(_clean(token)):
        return None
    codes = _new_recovery_codes(user)
    audit_record(
        action="core.auth.otp_recovery_regenerate", obj=user, actor=user, after={"recovery_codes": len(codes)}
    )
    return codes


@service
def otp_reset(*, actor: User | None, user: User) -> int:
    """An administrator removes every second-factor device of `user` (a lost phone): at the next
    password login the person enrols again. Returns how many devices went. `actor` None is the command
    line (`cuakhau otp reset`: whoever runs the server)."""
    if actor is not None and not permissions.may_reset_second_factor(actor):
        raise ServiceError(_("Chỉ quản trị hệ thống mới đặt lại được xác thực hai bước."), status=403)
    removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
    removed += StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
    audit_record(action="core.auth.otp_reset", obj=user, after={"devices_removed": removed}, actor=actor)
    return removed


@service
def otp_demo_enrol(*, actor: None, user: User) -> TOTPDevice:
    """A demo account's authenticator with the demo's known secret (core.twofactor.demo_key), so that
    `cuakhau otp code USERNAME` can print its codes on a demo installation. Never on real accounts:
    only `cuakhau demo load` calls it (the system: `actor` is None)."""
    if actor is not None:
        raise ServiceError(_("Chỉ dữ liệu thử mới dùng khóa xác thực biết trước."), status=403)
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=twofactor.TOTP_NAME, confirmed=True, key=twofactor.demo_key(user.get_username())
    )
    audit_record(action="core.auth.otp_enrol", obj=user, after={"demo": True}, actor=None)
    return device
