"""Submission online, reception at the one-stop desk (form 01) and refusal (form 03)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import policy
from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import User
from cuakhau.core.service import service

from .. import notify, permissions
from ..actions import WORKFLOW, log_event, snap
from ..codes import allocate_code
from ..files import store_files
from ..models import Channel, Dossier, DossierFile, Procedure, Status
from ..rules import (
    at_or_now,
    clean_text,
    due_of_step,
    first_unit,
    normalise_id,
    start_clock,
    version_in_force,
)


def _applicant_id(value: str) -> str:
    value = normalise_id(value)
    if not 8 <= len(value) <= 20:
        raise ServiceError(
            _("Mã số thuế hoặc số giấy tờ tùy thân phải có 8–20 chữ số hoặc chữ cái."), field="applicant_id"
        )
    return value


def _applicant(
    *, applicant_name, applicant_id, applicant_email, applicant_phone, subject, address, enterprise
) -> dict:
    email = (applicant_email or "").strip()
    if email and ("@" not in email or len(email) > 254):
        raise ServiceError(_("Địa chỉ thư điện tử không hợp lệ."), field="applicant_email")
    return {
        "applicant_name": clean_text(
            applicant_name or (enterprise.name if enterprise else ""),
            "applicant_name",
            _("tên người nộp hồ sơ"),
            max_len=200,
        ),
        "applicant_id": _applicant_id(applicant_id or (enterprise.tax_code if enterprise else "")),
        "applicant_email": email or (enterprise.email if enterprise else ""),
        "applicant_phone": (applicant_phone or (enterprise.phone if enterprise else "")).strip()[:20],
        "address": (address or (enterprise.address if enterprise else "")).strip()[:300],
        "subject": clean_text(subject, "subject", _("nội dung đề nghị"), min_len=5),
    }


@service
def dossier_submit(
    *,
    actor: User,
    procedure: Procedure,
    enterprise,
    subject: str,
    files=(),
    applicant_name: str = "",
    applicant_id: str = "",
    applicant_email: str = "",
    applicant_phone: str = "",
    address: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """A business submits a dossier online (Decree 45/2020/ND-CP). It gets its code at once; the clock
    starts when the desk receives it, counted from the submission (outside office hours: from the
    next working session)."""
    at = at_or_now(at)
    if actor is not None:
        policy.require(actor, "procedures.submit", message=_("Chỉ doanh nghiệp nộp hồ sơ trực tuyến."))
    if enterprise is None:
        raise ServiceError(_("Cần chọn doanh nghiệp nộp hồ sơ."), field="enterprise")
    if actor is not None and not permissions.may_submit_for(actor, enterprise):
        raise ServiceError(_("Chỉ nộp được hồ sơ của doanh nghiệp mình."), field="enterprise")
    version = version_in_force(procedure, at)
    if not files:
        raise ServiceError(_("Cần đính kèm thành phần hồ sơ (ít nhất một tệp)."), field="files")
    data = _applicant(
        applicant_name=applicant_name,
        applicant_id=applicant_id,
        applicant_email=applicant_email,
        applicant_phone=applicant_phone,
        subject=subject,
        address=address,
        enterprise=enterprise,
    )
    dossier = Dossier.objects.create(
        code=allocate_code(timezone.localdate(at)),
        version=version,
        channel=Channel.ONLINE,
        status=Status.NEW,
        enterprise=enterprise,
        submitted_at=at,
        submitted_by=actor,
        handling_unit=first_unit(version),
        **data,
    )
    store_files(dossier, files, DossierFile.Kind.APPLICATION, actor, at)
    log_event(dossier, action="submit", from_status="", actor=actor, at=at, to_unit=dossier.handling_unit)
    audit_record(action="procedures.dossier.submit", obj=dossier, after=snap(dossier), actor=actor)
    notify.on_commit(dossier, "submitted")
    return dossier


@service
def dossier_receive_at_desk(
    *,
    actor: User,
    procedure: Procedure,
    subject: str,
    applicant_name: str,
    applicant_id: str,
    enterprise=None,
    files=(),
    applicant_email: str = "",
    applicant_phone: str = "",
    address: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """The one-stop desk receives a complete dossier in person and issues the slip (form 01)."""
    at = at_or_now(at)
    if actor is not None and not permissions.may_receive_at_desk(actor):
        raise ServiceError(_("Chỉ Bộ phận một cửa tiếp nhận hồ sơ trực tiếp."), field="", status=403)
    version = version_in_force(procedure, at)
    data = _applicant(
        applicant_name=applicant_name,
        applicant_id=applicant_id,
        applicant_email=applicant_email,
        applicant_phone=applicant_phone,
        subject=subject,
        address=address,
        enterprise=enterprise,
    )
    dossier = Dossier(
        code=allocate_code(timezone.localdate(at)),
        version=version,
        channel=Channel.DESK,
        status=Status.RECEIVED,
        enterprise=enterprise,
        submitted_at=at,
        submitted_by=actor,
        received_at=at,
        received_by=actor,
        handling_unit=first_unit(version),
        fee_amount=version.fee,
        **data,
    )
    start_clock(dossier, at)
    dossier.save()
    store_files(dossier, files, DossierFile.Kind.APPLICATION, actor, at)
    log_event(
        dossier,
        action="desk",
        from_status="",
        actor=actor,
        at=at,
        internal_note=note,
        to_unit=dossier.handling_unit,
        step_name=(dossier.step or {}).get("name", ""),
        step_due_at=due_of_step(dossier, 0, dossier.clock_start),
    )
    audit_record(action="procedures.dossier.desk", obj=dossier, after=snap(dossier), actor=actor)
    notify.on_commit(dossier, "received")
    return dossier


@service
def dossier_receive(
    *, actor: User, dossier: Dossier, note: str = "", at: dt.datetime | None = None
) -> Dossier:
    """The desk accepts an online dossier as complete; the clock counts from its submission (Decree
    45/2020/ND-CP: an online dossier counts as received when submitted, or from the next working
    session if submitted outside office hours), and the slip (form 01) is issued."""
    at = at_or_now(at)
    with WORKFLOW.step(actor, dossier, "receive", at=at, internal_note=note) as step:
        dossier = step.obj
        dossier.received_at = at
        dossier.received_by = actor
        dossier.fee_amount = dossier.version.fee
        start_clock(dossier, dossier.submitted_at)
        step.extra.update(
            to_unit=dossier.handling_unit,
            step_name=(dossier.step or {}).get("name", ""),
            step_due_at=due_of_step(dossier, 0, dossier.clock_start),
        )
    return step.obj


@service
def dossier_refuse(*, actor: User, dossier: Dossier, reason: str, at: dt.datetime | None = None) -> Dossier:
    """Refuse to receive a dossier that is not eligible, giving the reason (form 03)."""
    at = at_or_now(at)
    with WORKFLOW.step(actor, dossier, "refuse", at=at) as step:
        reason = clean_text(reason, "reason", _("lý do từ chối"), min_len=5, max_len=2000)
        step.obj.refuse_reason = reason
        step.extra["public_note"] = reason
    return step.obj
