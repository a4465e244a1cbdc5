"""Writes to the organisation: units, users, API tokens. One transaction and one audit event each."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.vn import mst

from .. import permissions
from ..audit import audit_record, snapshot
from ..errors import ServiceError
from ..keys import key_accounts
from ..models import ApiToken, Unit, User
from ..roles import ROLE_UNIT_KINDS, SERVICE_ACCOUNT_ROLES, AgencyKind, Role, UnitKind
from ..service import service

USER_FIELDS = [
    "username",
    "full_name",
    "email",
    "phone",
    "role",
    "unit",
    "is_active",
    "language",
    "is_service_account",
]


def _require_admin(actor: User | None) -> None:
    """Units and accounts are the administrators' (None: the command line, the reference loader)."""
    if actor is not None and not permissions.may_manage_users(actor):
        raise ServiceError(
            _("Chỉ quản trị hệ thống mới quản lý được đơn vị và tài khoản."), code="forbidden", status=403
        )


@service
def unit_upsert(
    *,
    actor: User | None,
    code: str,
    name: str,
    kind: str,
    name_en: str = "",
    agency_kind: str = "",
    parent: Unit | None = None,
    tax_code: str = "",
) -> Unit:
    """Create a unit, or bring an existing one (by code) to these values."""
    _require_admin(actor)
    if kind not in UnitKind.values:
        raise ServiceError(_("Loại đơn vị không hợp lệ: %(kind)s.") % {"kind": kind}, field="kind")
    if agency_kind and (kind != UnitKind.AGENCY or agency_kind not in AgencyKind.values):
        raise ServiceError(_("Chỉ lực lượng chức năng mới có loại lực lượng hợp lệ."), field="agency_kind")
    if tax_code:
        try:
            tax_code = mst.validate(tax_code)
        except Exception as exc:
            raise ServiceError(_("Mã số thuế không hợp lệ."), field="tax_code") from exc
    unit = Unit.objects.select_for_update().filter(code=code).first()
    values = {
        "name": name,
        "kind": kind,
        "name_en": name_en,
        "agency_kind": agency_kind,
        "parent": parent,
        "tax_code": tax_code,
    }
    if unit is None:
        unit = Unit.objects.create(code=code, **values)
        audit_record(action="core.unit.create", obj=unit, after=snapshot(unit), actor=actor)
        return unit
    before = snapshot(unit)
    for key, value in values.items():
        setattr(unit, key, value)
    unit.save()
    after = snapshot(unit)
    if before != after:
        audit_record(action="core.unit.update", obj=unit, before=before, after=after, actor=actor)
    return unit


def _check_role_unit(role: str, unit: Unit | None, *, service_account: bool = False) -> None:
    if role not in Role.values:
        raise ServiceError(_("Vai trò không hợp lệ: %(role)s.") % {"role": role}, field="role")
    if service_account and (role not in SERVICE_ACCOUNT_ROLES or unit is None):
        raise ServiceError(
            _("Tài khoản thiết bị hoặc hệ thống chỉ mang vai trò %(roles)s, trong một đơn vị.")
            % {"roles": ", ".join(str(Role(r).label) for r in sorted(SERVICE_ACCOUNT_ROLES))},
            field="role",
        )
    if unit is None:
        if role != Role.DRIVER:
            raise ServiceError(_("Vai trò này phải thuộc một đơn vị."), field="unit")
        return
    if unit.kind not in ROLE_UNIT_KINDS[role]:
        raise ServiceError(
            _("Vai trò %(role)s không thuộc được loại đơn vị %(kind)s.")
            % {"role": Role(role).label, "kind": unit.get_kind_display()},
            field="unit",
        )


@service
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    role: str,
    unit: Unit | None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    is_superuser: bool = False,
    is_service_account: bool = False,
) -> User:
    """A new user with one role in one unit. The password is checked by Django's validators. A service
    account (a device or another system) has no password and acts only through its API keys."""
    _require_admin(actor)
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(_("Tên đăng nhập %(u)s đã có.") % {"u": username}, field="username")
    _check_role_unit(role, unit, service_account=is_service_account)
    if is_service_account and (password or is_superuser):
        raise ServiceError(
            _("Tài khoản thiết bị hoặc hệ thống không có mật khẩu: nó chỉ dùng khóa API."), field="password"
        )
    user = User(
        username=username,
        role=role,
        unit=unit,
        full_name=full_name,
        email=email,
        phone=phone,
        is_staff=is_superuser or permissions.role_is_staff(role),
        is_superuser=is_superuser,
        is_service_account=is_service_account,
    )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ServiceError(" ".join(exc.messages), field="password") from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(action="core.user.create", obj=user, after=snapshot(user, USER_FIELDS), actor=actor)
    return user


@service
def user_update(
    *,
    actor: User | None,
    user: User,
    role: str,
    unit: Unit | None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    is_active: bool = True,
) -> User:
    """Change a user's role, unit, contact details or whether they may sign in. A deactivated user's
    sessions end at their next request; their API tokens stop working at once (authentication checks
    is_active)."""
    _require_admin(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_role_unit(role, unit, service_account=user.is_service_account)
    if actor is not None and actor.pk == user.pk and (not is_active or role != user.role):
        raise ServiceError(_("Không thể tự đổi vai trò hoặc tự khóa tài khoản của mình."), field="role")
    before = snapshot(user, USER_FIELDS)
    user.role, user.unit, user.full_name, user.email, user.phone, user.is_active = (
        role,
        unit,
        full_name,
        email,
        phone,
        is_active,
    )
    user.is_staff = user.is_superuser or permissions.role_is_staff(role)
    user.full_clean(exclude=["password"])
    user.save()
    after = snapshot(user, USER_FIELDS)
    if before != after:
        audit_record(action="core.user.update", obj=user, before=before, after=after, actor=actor)
    return user


@service
def user_set_password(*, actor: User | None, user: User, password: str) -> User:
    """An administrator sets a user's password. The user's sessions elsewhere end at their next request
    (Django checks each session's hash of the password)."""
    _require_admin(actor)
    if user.is_service_account:
        raise ServiceError(
            _("Tài khoản thiết bị hoặc hệ thống không có mật khẩu: nó chỉ dùng khóa API."), field="password"
        )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(action="core.user.set_password", obj=user, actor=actor)
    return user


@service
def token_create(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """A new API key acting as the device or system account `user`, within its unit. Returns the key and
    its secret, which is shown once and never stored (only its SHA-256). The issuer (the acting person,
    none on the command line) must cover the account's unit, and the account must be one a key may act
    as (core.keys): never a person, so a key can never act as someone else."""
    issuer = actor
    if issuer is not None and not permissions.may_issue_keys(issuer):
        raise ServiceError(_("Bạn không có quyền cấp khóa API."), code="forbidden", status=403)
    if not permissions.may_hold_key(user):
        raise ServiceError(
            _("Khóa API chỉ cấp cho tài khoản thiết bị hoặc hệ thống đang hoạt động, không cho một người."),
            field="user",
        )
    if not key_accounts(issuer).filter(pk=user.pk).exists():
        raise ServiceError(
            _("Bạn chỉ cấp được khóa cho tài khoản thiết bị của đơn vị mình hoặc của các cửa khẩu."),
            field="user",
        )
    if not name.strip():
        raise ServiceError(_("Cần đặt tên cho khóa API."), field="name")
    prefix = secrets.token_hex(4)
    secret = f"ck_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name.strip(),
        prefix=prefix,
        key_hash=ApiToken.hash_secret(secret),
        user=user,
        unit=user.unit,
        created_by=issuer,
    )
    audit_record(
        action="core.api_token.create",
        obj=token,
        after=snapshot(token, ["name", "prefix", "user", "unit", "created_by"]),
        actor=actor,
    )
    return token, secret


@service
def token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke an API key now: whoever may issue keys, within the keys they see (None: the command
    line)."""
    if actor is not None and not (
        permissions.may_issue_keys(actor)
        and ApiToken.objects.for_user(actor, permissions.CHANGE).filter(pk=token.pk).exists()
    ):
        raise ServiceError(_("Bạn không có quyền thu hồi khóa API này."), code="forbidden", status=403)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action="core.api_token.revoke", obj=token, after={"revoked_at": token.revoked_at}, actor=actor
        )
    return token
