"""Enterprises and the customs-agency mandates between them."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.vn import mst

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import Problems, ServiceError
from cuakhau.core.models import Unit, User
from cuakhau.core.roles import UnitKind
from cuakhau.core.service import service

from .. import actions, permissions
from ..models import AgencyMandate, Enterprise
from ..validation import UNCHANGED, clean_phone, normalise_tax_code, snap

ENTERPRISE_FIELDS = [
    "name",
    "name_en",
    "name_zh",
    "address",
    "phone",
    "email",
    "is_customs_agent",
    "is_active",
]
# Fields an enterprise's own users may not change: the Board's register keepers set them.
BOARD_ONLY_FIELDS = ("tax_code", "is_customs_agent", "is_active")


def _validate_enterprise(enterprise: Enterprise) -> None:
    """Every field checked and every error raised together (name, phone, e-mail, tax code)."""
    problems = Problems()
    enterprise.name = (enterprise.name or "").strip()
    if not enterprise.name:
        problems.add(_("Tên doanh nghiệp không được để trống."), field="name")
    phone = problems.run(clean_phone, enterprise.phone)
    if phone is not None:
        enterprise.phone = phone
    if enterprise.email:
        try:
            validate_email(enterprise.email)
        except ValidationError:
            problems.add(
                _("Địa chỉ thư điện tử %(email)s không hợp lệ.") % {"email": enterprise.email}, field="email"
            )
    if Enterprise.objects.filter(tax_code=enterprise.tax_code).exclude(pk=enterprise.pk).exists():
        problems.add(
            _("Doanh nghiệp có mã số thuế %(code)s đã được đăng ký.") % {"code": enterprise.tax_code},
            field="tax_code",
        )
    problems.raise_if_any()


def _unit_code(tax_code: str) -> str:
    return f"dn-{tax_code}"


@service
def enterprise_register(
    *,
    actor: User | None,
    tax_code: str,
    name: str,
    unit: Unit | None = None,
    name_en: str = "",
    name_zh: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    is_customs_agent: bool = False,
    is_active: bool = True,
) -> Enterprise:
    """Register an enterprise. Its tax code is checked as the Law on Tax Administration 2019 (art. 30)
    and Circular 105/2020/TT-BTC (art. 5) define it: 10 digits with a check digit, and for a dependent
    unit (branch) a 3-digit suffix 001-999. Without `unit`, a core.Unit of kind enterprise is created
    for it, so that its users are scoped by it."""
    if actor is not None and not permissions.may_register(actor, Enterprise):
        raise permissions.refused(_("Vai trò của bạn không được đăng ký doanh nghiệp."))
    problems = Problems()
    tax_code = problems.run(normalise_tax_code, tax_code) or tax_code
    enterprise = Enterprise(
        tax_code=tax_code,
        name=name,
        name_en=name_en,
        name_zh=name_zh,
        address=address,
        phone=phone,
        email=email,
        is_customs_agent=is_customs_agent,
        is_active=is_active,
    )
    try:
        _validate_enterprise(enterprise)
    except ServiceError as exc:
        problems.merge(exc)
    problems.raise_if_any()
    if unit is None:
        code = _unit_code(tax_code)
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            unit = Unit.objects.create(
                code=code,
                name=enterprise.name,
                name_en=enterprise.name_en,
                kind=UnitKind.ENTERPRISE,
                tax_code=mst.compact(tax_code),
            )
    if unit.kind != UnitKind.ENTERPRISE:
        raise ServiceError(
            _("Đơn vị %(unit)s không phải đơn vị loại doanh nghiệp.") % {"unit": unit.name}, field="unit"
        )
    if Enterprise.objects.filter(unit=unit).exists():
        raise ServiceError(
            _("Đơn vị %(unit)s đã gắn với một doanh nghiệp khác.") % {"unit": unit.name}, field="unit"
        )
    enterprise.unit = unit
    enterprise.full_clean(validate_unique=False, validate_constraints=False)
    enterprise.save()
    audit_record(
        action=actions.ENTERPRISE_REGISTER,
        obj=enterprise,
        after=snap(enterprise) | {"unit_code": unit.code},
        actor=actor,
    )
    return enterprise


@service
def enterprise_update(
    *,
    actor: User | None,
    enterprise: Enterprise,
    tax_code: str = UNCHANGED,
    name: str = UNCHANGED,
    name_en: str = UNCHANGED,
    name_zh: str = UNCHANGED,
    address: str = UNCHANGED,
    phone: str = UNCHANGED,
    email: str = UNCHANGED,
    is_customs_agent: bool = UNCHANGED,
    is_active: bool = UNCHANGED,
) -> Enterprise:
    """Change an enterprise's record (a field not given stays as it is); a new tax code is checked as
    at registration. The unit's name and tax code follow the enterprise's. An enterprise's own users
    change its contact details; its tax code, customs-agent standing and activity are the Board's."""
    if actor is not None and not permissions.may_change(actor, enterprise):
        raise permissions.refused(_("Bạn không có quyền sửa thông tin doanh nghiệp này."))
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    before = snap(enterprise)
    values = {
        "name": name,
        "name_en": name_en,
        "name_zh": name_zh,
        "address": address,
        "phone": phone,
        "email": email,
        "is_customs_agent": is_customs_agent,
        "is_active": is_active,
    }
    if tax_code is not UNCHANGED:
        values["tax_code"] = normalise_tax_code(tax_code)
    values = {key: value for key, value in values.items() if value is not UNCHANGED}
    if actor is not None and not permissions.may_keep_register(actor):
        for key in BOARD_ONLY_FIELDS:
            if key in values and values[key] != getattr(enterprise, key):
                raise permissions.refused(
                    _(
                        "Chỉ Ban Quản lý sửa được mã số thuế, tư cách đại lý hải quan và trạng thái hoạt động."
                    ),
                    field=key,
                )
    for key, value in values.items():
        setattr(enterprise, key, value)
    _validate_enterprise(enterprise)
    if not enterprise.is_customs_agent and before["is_customs_agent"]:
        if enterprise.mandates_as_agent.filter(permissions.valid_mandate_q(timezone.localdate())).exists():
            raise ServiceError(
                _(
                    "Doanh nghiệp còn hợp đồng đại lý đang hiệu lực; hãy chấm dứt trước khi bỏ "
                    "tư cách đại lý hải quan."
                ),
                field="is_customs_agent",
            )
    enterprise.full_clean(validate_unique=False, validate_constraints=False)
    enterprise.save()
    Unit.objects.filter(pk=enterprise.unit_id).update(
        name=enterprise.name, name_en=enterprise.name_en, tax_code=mst.compact(enterprise.tax_code)
    )
    after = snap(enterprise)
    if before != after:
        audit_record(
            action=actions.ENTERPRISE_UPDATE, obj=enterprise, before=before, after=after, actor=actor
        )
    return enterprise


# --- customs-agency mandates ---------------------------------------------------------------------


@service
def mandate_grant(
    *,
    actor: User | None,
    agent: Enterprise,
    client: Enterprise,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    reference: str = "",
) -> AgencyMandate:
    """A client enterprise appoints a customs agent (Law on Customs 2014, art. 20-22; Decree
    08/2015/ND-CP, art. 14). The agent must be registered as one; the same pair may not hold two
    mandates whose periods overlap. A person appoints for the enterprises they may (their own; any,
    for the Board's register keepers)."""
    if actor is not None and not (
        permissions.may_register(actor, AgencyMandate)
        and permissions.mandate_clients(actor).filter(pk=client.pk).exists()
    ):
        raise permissions.refused(
            _("Bạn không được ủy thác đại lý hải quan cho %(name)s.") % {"name": client.name}, field="client"
        )
    if not agent.is_customs_agent:
        raise ServiceError(
            _("%(name)s chưa được đăng ký là đại lý hải quan.") % {"name": agent.name}, field="agent"
        )
    if agent.pk == client.pk:
        raise ServiceError(_("Doanh nghiệp không thể làm đại lý cho chính mình."), field="client")
    if valid_from is None:
        raise ServiceError(_("Ngày bắt đầu hiệu lực không được để trống."), field="valid_from")
    if valid_to is not None and valid_to < valid_from:
        raise ServiceError(_("Ngày hết hiệu lực phải từ ngày bắt đầu hiệu lực trở đi."), field="valid_to")
    # Lock the client's row: two concurrent grants for one client are serialised here.
    Enterprise.objects.select_for_update().filter(pk=client.pk).first()
    overlapping = AgencyMandate.objects.filter(agent=agent, client=client, revoked_at__isnull=True).exclude(
        valid_to__lt=valid_from
    )
    if valid_to is not None:
        overlapping = overlapping.exclude(valid_from__gt=valid_to)
    if overlapping.exists():
        raise ServiceError(
            _("Đã có hợp đồng đại lý giữa hai doanh nghiệp này trong thời gian đó."), field="valid_from"
        )
    mandate = AgencyMandate.objects.create(
        agent=agent,
        client=client,
        valid_from=valid_from,
        valid_to=valid_to,
        reference=(reference or "").strip(),
    )
    audit_record(action=actions.MANDATE_GRANT, obj=mandate, after=snap(mandate), actor=actor)
    return mandate


@service
def mandate_revoke(*, actor: User | None, mandate: AgencyMandate, reason: str) -> AgencyMandate:
    """End a mandate now; from this moment the agent no longer sees or acts for the client. Either
    party ends it (or the Board)."""
    if actor is not None and not permissions.may_change(actor, mandate):
        raise permissions.refused(_("Bạn không có quyền chấm dứt hợp đồng đại lý này."))
    mandate = AgencyMandate.objects.select_for_update().get(pk=mandate.pk)
    if mandate.revoked_at is not None:
        raise ServiceError(_("Hợp đồng đại lý này đã chấm dứt."), field="")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Cần ghi lý do chấm dứt."), field="reason")
    before = snap(mandate)
    mandate.revoked_at = timezone.now()
    mandate.revoke_reason = reason[:255]
    mandate.save(update_fields=["revoked_at", "revoke_reason"])
    audit_record(action=actions.MANDATE_REVOKE, obj=mandate, before=before, after=snap(mandate), actor=actor)
    return mandate
