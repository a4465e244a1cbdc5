"""Writes to dossiers. Each function is one transaction with one audit event; bad input or a step the
dossier's state does not allow raises ServiceError naming the field, and nothing is changed.

The one-stop mechanism (Decree 61/2018/ND-CP, amended by Decree 107/2021/ND-CP; forms of Circular
01/2018/TT-VPCP): a dossier is received (or refused, form 03) at the one-stop desk, which issues the
receipt-and-appointment slip (form 01); it is handed from unit to unit, each hand-off timed on the
handover-and-tracking slip (form 06); the handling unit may ask for a supplement (form 02), which
pauses the clock, or for the fee; the result is returned at the desk. A dossier that will be late
gets an apology letter with one new appointment (form 04); a withdrawn dossier is stopped (form 05).

    new → received | refused
    received → processing ⇄ supplement | fee_due → processed → returned
    new | received | processing | supplement | fee_due → withdrawn → stopped

The clock rules are in clock.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit, User
from cuakhau.core.permissions import CHANGE
from cuakhau.core.roles import Role
from cuakhau.core.vnformat import format_datetime

from . import clock, notify, permissions
from .models import (
    FINISHED,
    OPEN,
    RUNNING,
    ApologyLetter,
    Channel,
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierFile,
    DueWarning,
    Procedure,
    ProcedureVersion,
    Status,
)
from .permissions import APPLY

# Placeholder in the official shape (agency code of the national list, date, daily number); the Board
# sets PROCEDURES_AGENCY_CODE to its own code.
DEFAULT_AGENCY_CODE = "000.00.00.H39"

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 20
# extension -> (content type, magic prefixes)
ALLOWED_FILES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}

# action -> (statuses it may start from, status it leads to, permission needed)
TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "receive": (frozenset({Status.NEW}), Status.RECEIVED, CHANGE),
    "refuse": (frozenset({Status.NEW}), Status.REFUSED, CHANGE),
    "handoff": (frozenset({Status.RECEIVED, Status.PROCESSING}), Status.PROCESSING, CHANGE),
    "request_supplement": (frozenset({Status.RECEIVED, Status.PROCESSING}), Status.SUPPLEMENT, CHANGE),
    "supplement": (frozenset({Status.SUPPLEMENT}), Status.PROCESSING, APPLY),
    "request_fee": (frozenset({Status.PROCESSING}), Status.FEE_DUE, CHANGE),
    "pay_fee": (frozenset({Status.FEE_DUE}), Status.PROCESSING, CHANGE),
    "process": (frozenset({Status.PROCESSING}), Status.PROCESSED, CHANGE),
    "return": (frozenset({Status.PROCESSED}), Status.RETURNED, CHANGE),
    "withdraw": (frozenset(OPEN), Status.WITHDRAWN, APPLY),
    "stop": (frozenset({Status.WITHDRAWN}), Status.STOPPED, CHANGE),
    "apologise": (frozenset(RUNNING | {Status.SUPPLEMENT}), "", CHANGE),
}
ACTION_LABELS = {
    "submit": gettext_lazy("nộp hồ sơ trực tuyến"),
    "desk": gettext_lazy("tiếp nhận tại Bộ phận một cửa"),
    "receive": gettext_lazy("tiếp nhận hồ sơ"),
    "refuse": gettext_lazy("từ chối tiếp nhận"),
    "handoff": gettext_lazy("chuyển bước xử lý"),
    "request_supplement": gettext_lazy("yêu cầu bổ sung hồ sơ"),
    "supplement": gettext_lazy("nộp bổ sung hồ sơ"),
    "request_fee": gettext_lazy("thông báo nộp phí, lệ phí"),
    "pay_fee": gettext_lazy("ghi nhận đã nộp phí"),
    "process": gettext_lazy("ghi kết quả giải quyết"),
    "return": gettext_lazy("trả kết quả"),
    "withdraw": gettext_lazy("rút hồ sơ"),
    "stop": gettext_lazy("dừng giải quyết"),
    "apologise": gettext_lazy("xin lỗi và hẹn lại"),
}
PUBLIC_SNAPSHOT = (
    "code",
    "status",
    "handling_unit_id",
    "step_index",
    "due_at",
    "appointment_at",
    "paused_remaining",
    "finished_timing",
    "assignee_id",
)


def _snap(dossier: Dossier) -> dict[str, Any]:
    # The applicant's contact details are personal data (Decree 13/2023/ND-CP): kept out of the log.
    return {name: getattr(dossier, name) for name in PUBLIC_SNAPSHOT}


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _actor_user(actor) -> User | None:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# --- the code -----------------------------------------------------------------------------------------


def agency_code() -> str:
    return getattr(settings, "PROCEDURES_AGENCY_CODE", "") or DEFAULT_AGENCY_CODE


def _locked_counter(agency: str, day: dt.date) -> DossierCounter:
    lock = DossierCounter.objects.select_for_update()
    counter = lock.filter(agency_code=agency, day=day).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():  # a savepoint: losing the race to create the day's row is not fatal
            DossierCounter.objects.create(agency_code=agency, day=day)
    except IntegrityError:
        pass
    return lock.get(agency_code=agency, day=day)


def allocate_code(day: dt.date) -> str:
    """The next dossier code of the day: <agency code>-<YYMMDD>-<4-digit daily number>. Must run inside
    the transaction that writes the dossier: the counter row stays locked until it ends, so a rollback
    gives the number back and two desks never share one."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_code must run inside the dossier's transaction")
    agency = agency_code()
    counter = _locked_counter(agency, day)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{agency}-{day:%y%m%d}-{counter.last_number:04d}"


# --- validation ---------------------------------------------------------------------------------------


def _text(value: str, field: str, label: str, *, min_len: int = 1, max_len: int = 500) -> str:
    value = (value or "").strip()
    if len(value) < min_len:
        raise ServiceError(_("Cần ghi %(label)s.") % {"label": label}, field=field)
    if len(value) > max_len:
        raise ServiceError(
            _("%(label)s dài quá %(n)s ký tự.") % {"label": label.capitalize(), "n": max_len}, field=field
        )
    return value


def normalise_id(value: str) -> str:
    return "".join(ch for ch in (value or "").upper() if ch.isalnum() or ch == "-")


def _applicant_id(value: str) -> str:
    value = normalise_id(value)
    if not 8 <= len(value) <= 20:
        raise ServiceError(
            _("Mã số thuế hoặc số giấy tờ tùy thân phải có 8–20 chữ số hoặc chữ cái."), field="applicant_id"
        )
    return value


def check_file(upload, field: str = "files") -> tuple[str, bytes, str]:
    """(safe name, content, content type) of an upload, or ServiceError naming the rule broken."""
    name = PurePath(getattr(upload, "name", "") or "tep").name[:150]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_FILES:
        raise ServiceError(
            _("Tệp %(name)s: chỉ nhận PDF, JPG, PNG, DOCX hoặc XLSX.") % {"name": name}, field=field
        )
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise ServiceError(_("Tệp %(name)s lớn quá 10 MB.") % {"name": name}, field=field)
    upload.seek(0) if hasattr(upload, "seek") else None
    content = upload.read()
    if len(content) > MAX_FILE_BYTES:
        raise ServiceError(_("Tệp %(name)s lớn quá 10 MB.") % {"name": name}, field=field)
    if not content:
        raise ServiceError(_("Tệp %(name)s rỗng.") % {"name": name}, field=field)
    content_type, magics = ALLOWED_FILES[ext]
    if not any(content.startswith(m) for m in magics):
        raise ServiceError(
            _("Tệp %(name)s không đúng định dạng %(ext)s.") % {"name": name, "ext": ext.upper()}, field=field
        )
    return name, content, content_type


def _store_files(dossier: Dossier, files, kind: str, actor, at) -> list[DossierFile]:
    files = list(files or [])
    if dossier.files.count() + len(files) > MAX_FILES:
        raise ServiceError(_("Mỗi hồ sơ tối đa %(n)s tệp.") % {"n": MAX_FILES}, field="files")
    stored = []
    for upload in files:
        document = getattr(upload, "document", "") or ""
        name, content, content_type = check_file(upload)
        item = DossierFile(
            dossier=dossier,
            kind=kind,
            document=document[:300],
            name=name,
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_at=at,
            uploaded_by=_actor_user(actor),
        )
        item.file.save(
            f"{secrets.token_hex(12)}.{name.rsplit('.', 1)[-1].lower()}", ContentFile(content), save=False
        )
        item.save()
        stored.append(item)
    return stored


def _version_in_force(procedure: Procedure, at: dt.datetime) -> ProcedureVersion:
    if procedure is None or not procedure.is_active:
        raise ServiceError(_("Cần chọn thủ tục đang áp dụng."), field="procedure")
    version = procedure.current_version(at)
    if version is None:
        raise ServiceError(
            _("Thủ tục %(code)s chưa có phiên bản áp dụng vào ngày này.") % {"code": procedure.code},
            field="procedure",
        )
    return version


def _unit(code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first() if code else None


def _first_unit(version: ProcedureVersion) -> Unit:
    steps = version.steps or []
    return (_unit(steps[0].get("unit", "")) if steps else None) or version.handling_unit


def _step_due(dossier: Dossier, index: int, start: dt.datetime) -> dt.datetime | None:
    steps = dossier.version.steps or []
    if index >= len(steps) or not steps[index].get("days"):
        return None
    return clock.due(start, Decimal(str(steps[index]["days"])), "working_days")


def _event(
    dossier, *, action, from_status, actor, at, public_note="", internal_note="", **extra
) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        actor=_actor_user(actor),
        at=at,
        public_note=public_note,
        internal_note=internal_note,
        **extra,
    )


def _audit(action: str, dossier: Dossier, before: dict | None, actor) -> None:
    audit_record(
        action=f"procedures.dossier.{action}",
        obj=dossier,
        before=before,
        after=_snap(dossier),
        actor=_actor_user(actor),
    )


def _check(actor, dossier: Dossier, action: str) -> tuple[str, str]:
    """Refuse a step the state or the role does not allow, naming the field; (from, to) statuses."""
    starts, to_status, needed = TRANSITIONS[action]
    label = ACTION_LABELS[action]
    if dossier.status not in starts:
        raise ServiceError(
            _("Không thể %(action)s: hồ sơ %(code)s đang ở trạng thái “%(status)s”.")
            % {"action": label, "code": dossier.code, "status": dossier.get_status_display()},
            field="status",
            status=409,
        )
    if actor is not None and not permissions.allowed(actor, dossier, needed):
        raise ServiceError(
            _("Bạn không có quyền %(action)s với hồ sơ này.") % {"action": label}, field="", status=403
        )
    return dossier.status, to_status


def _lock(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().select_related("version").get(pk=dossier.pk)


def _start_clock(dossier: Dossier, start: dt.datetime) -> None:
    version = dossier.version
    dossier.clock_start = clock.start_of_clock(start)
    dossier.due_at = clock.due(start, version.deadline, version.deadline_unit)
    dossier.first_due_at = dossier.due_at
    dossier.appointment_at = dossier.due_at
    dossier.step_started_at = dossier.clock_start


# --- submission and reception ---------------------------------------------------------------------------


def _applicant(
    *, applicant_name, applicant_id, applicant_email, applicant_phone, subject, address, enterprise
) -> dict:
    email = (applicant_email or "").strip()
    if email and ("@" not in email or len(email) > 254):
        raise ServiceError(_("Địa chỉ thư điện tử không hợp lệ."), field="applicant_email")
    return {
        "applicant_name": _text(
            applicant_name or (enterprise.name if enterprise else ""),
            "applicant_name",
            _("tên người nộp hồ sơ"),
            max_len=200,
        ),
        "applicant_id": _applicant_id(applicant_id or (enterprise.tax_code if enterprise else "")),
        "applicant_email": email or (enterprise.email if enterprise else ""),
        "applicant_phone": (applicant_phone or (enterprise.phone if enterprise else "")).strip()[:20],
        "address": (address or (enterprise.address if enterprise else "")).strip()[:300],
        "subject": _text(subject, "subject", _("nội dung đề nghị"), min_len=5),
    }


@transaction.atomic
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
    at = _now(at)
    if actor is not None and not (actor.is_superuser or actor.role in (Role.ENTERPRISE_USER, Role.ADMIN)):
        raise ServiceError(_("Chỉ doanh nghiệp nộp hồ sơ trực tuyến."), field="", status=403)
    if enterprise is None:
        raise ServiceError(_("Cần chọn doanh nghiệp nộp hồ sơ."), field="enterprise")
    if actor is not None and actor.role == Role.ENTERPRISE_USER and enterprise.unit_id != actor.unit_id:
        raise ServiceError(_("Chỉ nộp được hồ sơ của doanh nghiệp mình."), field="enterprise")
    version = _version_in_force(procedure, at)
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
        submitted_by=_actor_user(actor),
        handling_unit=_first_unit(version),
        **data,
    )
    _store_files(dossier, files, DossierFile.Kind.APPLICATION, actor, at)
    _event(dossier, action="submit", from_status="", actor=actor, at=at, to_unit=dossier.handling_unit)
    _audit("submit", dossier, None, actor)
    notify.on_commit(dossier, "submitted")
    return dossier


@transaction.atomic
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
    at = _now(at)
    if actor is not None and not permissions.may_receive_at_desk(actor):
        raise ServiceError(_("Chỉ Bộ phận một cửa tiếp nhận hồ sơ trực tiếp."), field="", status=403)
    version = _version_in_force(procedure, at)
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
        submitted_by=_actor_user(actor),
        received_at=at,
        received_by=_actor_user(actor),
        handling_unit=_first_unit(version),
        fee_amount=version.fee,
        **data,
    )
    _start_clock(dossier, at)
    dossier.save()
    _store_files(dossier, files, DossierFile.Kind.APPLICATION, actor, at)
    _event(
        dossier,
        action="desk",
        from_status="",
        actor=actor,
        at=at,
        internal_note=note,
        to_unit=dossier.handling_unit,
        step_name=(dossier.step or {}).get("name", ""),
        step_due_at=_step_due(dossier, 0, dossier.clock_start),
    )
    _audit("desk", dossier, None, actor)
    notify.on_commit(dossier, "received")
    return dossier


@transaction.atomic
def dossier_receive(
    *, actor: User, dossier: Dossier, note: str = "", at: dt.datetime | None = None
) -> Dossier:
    """The desk accepts an online dossier as complete; the clock counts from its submission (Decree
    45/2020/ND-CP: an online dossier counts as received when submitted, or from the next working
    session if submitted outside office hours), and the slip (form 01) is issued."""
    at = _now(at)
    dossier = _lock(dossier)
    before = _snap(dossier)
    from_status, to_status = _check(actor, dossier, "receive")
    dossier.status = to_status
    dossier.received_at = at
    dossier.received_by = _actor_user(actor)
    dossier.fee_amount = dossier.version.fee
    _start_clock(dossier, dossier.submitted_at)
    dossier.save()
    _event(
        dossier,
        action="receive",
        from_status=from_status,
        actor=actor,
        at=at,
        internal_note=note,
        to_unit=dossier.handling_unit,
        step_name=(dossier.step or {}).get("name", ""),
        step_due_at=_step_due(dossier, 0, dossier.clock_start),
    )
    _audit("receive", dossier, before, actor)
    notify.on_commit(dossier, "received")
    return dossier


@transaction.atomic
def dossier_refuse(*, actor: User, dossier: Dossier, reason: str, at: dt.datetime | None = None) -> Dossier:
    """Refuse to receive a dossier that is not eligible, giving the reason (form 03)."""
    at = _now(at)
    dossier = _lock(dossier)
    before = _snap(dossier)
    from_status, to_status = _check(actor, dossier, "refuse")
    reason = _text(reason, "reason", _("lý do từ chối"), min_len=5, max_len=2000)
    dossier.status = to_status
    dossier.refuse_reason = reason
    dossier.save()
    _event(dossier, action="refuse", from_status=from_status, actor=actor, at=at, public_note=reason)
    _audit("refuse", dossier, before, actor)
    notify.on_commit(dossier, "refused")
    return dossier


# --- processing ---------------------------------------------------------------------------------------


@transaction.atomic
def dossier_handoff(
    *,
    actor: User,
    dossier: Dossier,
    internal_note: str = "",
    assignee: User | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Hand the dossier to the next step's unit (form 06): the hand-off is timed against the step's
    share of the deadline and marked early, on time or late."""
    at = _now(at)
    dossier = _lock(dossier)
    before = _snap(dossier)
    from_status, to_status = _check(actor, dossier, "handoff")
    steps = dossier.version.steps or []
    if dossier.step_index + 2 >= len(steps):  # the last step returns the result: reached by `process`
        raise ServiceError(
            _("Hồ sơ đang ở bước %(step)s: bước tiếp theo là ghi kết quả giải quyết.")
            % {"step": (dossier.step or {}).get("name", "")},
            field="step",
            status=409,
        )
    step_due = _step_due(dossier, dossier.step_index, dossier.step_started_at or dossier.clock_start)
    from_unit = dossier.handling_unit
    dossier.step_index += 1
    dossier.handling_unit = _unit(steps[dossier.step_index].get("unit", "")) or dossier.version.handling_unit
    dossier.step_started_at = at
    dossier.status = to_status
    if assignee is not None:
        if assignee.unit_id != dossier.handling_unit_id:
            raise ServiceError(
                _("Cán bộ %(name)s không thuộc %(unit)s.")
                % {"name": assignee.display_name, "unit": dossier.handling_unit.name},
                field="assignee",
            )
    dossier.assignee = assignee
    dossier.save()
    _event(
        dossier,
        action="handoff",
        from_status=from_status,
        actor=actor,
        at=at,
        internal_note=internal_note,
        step_name=steps[dossier.step_index - 1].get("name", ""),
        from_unit=from_unit,
        to_unit=dossier.handling_unit,
        step_due_at=step_due,
        timing=clock.timing(at, step_due),
    )
    _audit("handoff", dossier, before, actor)
    return dossier


@transaction.atomic
def dossier_request_supplement(
    *, actor: User, dossier: Dossier, items: str, internal_note: str = "", at: dt.datetime | None = None
) -> Dossier:
    """Ask the applicant to supplement the dossier, once and in full, saying what is missing (form 02).
    The clock stops; what is left of the deadline is kept (clock.py)."""
    at = _now(at)
    dossier = _lock(dossier)
    before = _snap(dossier)
    from_status, to_status = _check(actor, dossier, "request_supplement")
    items = _text(items, "items", _("nội dung cần bổ sung"), min_len=5, max_len=4000)
    version = dossier.version
    dossier.paused_remaining = clock.remaining(at, dossier.due_at, version.deadline_unit)
    dossier.paused_at = at
    dossier.status = to_status
    dossier.save()
    _event(
        dossier,
        action="request_supplement",
        from_status=from_status,
        actor=actor,
        at=at,
        public_note=items,
        internal_note=internal_note,
        from_unit=dossier.handling_unit,
    )
    _audit("request_supplement", dossier, before, actor)
    notify.on_commit(dossier, "supplement_requested", extra=items)
    return dossier


@transaction.atomic
def dossier_supplement(
    *, actor: User, dossier: Dossier, files=(), note: str = "", at: dt.datetime | None = None
) -> Dossier:
    """The applicant supplies what was asked; the clock restarts with what was left."""
    at = _now(at)
    dossier = _lock(dossier)
    before = _snap(dossier)
    from_status, to_status = _check(actor, dossier, "supplement")
    if not files:
        raise ServiceError(_("Cần đính kèm tệp hồ sơ bổ sung."), field="files")
    _store_files(dossier, files, DossierFile.Kind.SUPPLEMENT, actor, at)
    version = dossier.version
    old_due = dossier.due_at
    dossier.due_at = clock.due(at, dossier.paused_remaining or Decimal(0), version.deadline_unit)
    if dossier.appointment_at == old_due or dossier.appointment_at is None:
        dossier.appointment_at = dossier.due_at
    elif dossier.appointment_at < dossier.due_at:
        dossier.appointment_at = dossier.due_at
    paused = clock.remaining(
        clock.start_of_clock(dossier.paused_at), clock.start_of_clock(at), "working_days"
    )
    dossier.paused_total = (dossier.paused_total or 0) + paused
    dossier.paused_at = None
    dossier.paused_remaining = None
    dossier.status = to_status
    dossier.save()
    _event(
        dossier,
        action="supplement",
        from_status=from_status,
        actor=actor,
        at=at,
        public_note=_("Đã nhận hồ sơ bổ sung; hẹn trả kết quả %(due)s.")
        % {"due": format_datetime(dossier.appointment_at)},
        internal_note=note,
        to_unit=dossier.handling_unit,
    )
    _audit("supplement", dossier, before, actor)
    notify.on_commit(dossier, "supplemented")
    return dossier


@transaction.atomic
def dossier_request_fee(
    *, actor: User, dossier: Dossier, amount: int | None = None, at: dt.datetime | None = None
) -> Dossier:
    """Tell the applicant the fee to pay before the result (the catalogue's fee unless stated)."""
    at = _now(at)
    dossier = _lock(dossier)
    before = _snap(dossier)
    from_status, to_status = _check(actor, dossier, "request_fee")
    amount = dossier.version.fee if amount is None else amount
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ServiceError(_("Số tiền phí, lệ phí phải là số đồng lớn hơn 0."), field="amount")
    dossier.fee_amount = amount
    dossier.status = to_status
    dossier.save()
    _event(
        dossier,
        action="request_fee",
        from_status=from_status,
        actor=actor,
        at=at,
        public_note=_("Phí, lệ phí phải nộp: %(amount)s đồng.") % {"amount": f"{amount:,}".replace(",", ".")},
    )
    _audit("request_fee", dossier, before, actor)
    notify.on_commit(dossier, "fee_due")
    return dossier


@transaction.atomic
def dossier_pay_fee(
    *, actor: User, dossier: Dossier, online: bool = False, at: dt.datetime | None = None
) -> Dossier:
    at = _now(at)
    dossier = _lock(dossier)
    before = _snap(dossier)
    from_status, to_status = _check(actor, dossier, "pay_fee")
    dossier.fee_paid_at = at
    dossier.fee_paid_online = bool(online)
    dossier.status = to_status
    dossier.save()
    _event(
        dossier,
        action="pay_fee",
        from_status=from_status,
        actor=actor,
        at=at,
        public_note=_("Đã nộp phí, lệ phí."),
    )
    _audit("pay_fee", dossier, before, actor)
    return dossier


@transaction.atomic
def dossier_process(
    *,
    actor: User,
    dossier: Dossier,
    result_summary: str,
    files=(),
    internal_note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Record the result; the dossier is marked early, on time or late against its legal due moment
    (an apology's new appointment does not make a late dossier on time)."""
    at = _now(at)
    dossier = _lock(dossier)
    before = _snap(dossier)
    from_status, to_status = _check(actor, dossier, "process")
    result_summary = _text(result_summary, "result_summary", _("kết quả giải quyết"), min_len=5, max_len=4000)
    _store_files(dossier, files, DossierFile.Kind.RESULT, actor, at)
    steps = dossier.version.steps or []
    step_due = _step_due(dossier, dossier.step_index, dossier.step_started_at or dossier.clock_start)
    from_unit = dossier.handling_unit
    if steps:
        dossier.step_index = len(steps) - 1
        dossier.handling_unit = _unit(steps[-1].get("unit", "")) or dossier.version.handling_unit
    dossier.status = to_status
    dossier.processed_at = at
    dossier.result_summary = result_summary
    dossier.finished_timing = clock.timing(at, dossier.due_at)
    dossier.save()
    _event(
        dossier,
        action="process",
        from_status=from_status,
        actor=actor,
        at=at,
        public_note=result_summary,
        internal_note=internal_note,
        from_unit=from_unit,
        to_unit=dossier.handling_unit,
        step_due_at=step_due,
        timing=clock.timing(at, step_due),
        step_name=(steps[before["step_index"]].get("name", "") if steps else ""),
    )
    _audit("process", dossier, before, actor)
    notify.on_commit(dossier, "processed")
    return dossier


@transaction.atomic
def dossier_return(
    *, actor: User, dossier: Dossier, note: str = "", at: dt.datetime | None = None
) -> Dossier:
    at = _now(at)
    dossier = _lock(dossier)
    before = _snap(dossier)
    from_status, to_status = _check(actor, dossier, "return")
    dossier.status = to_status
    dossier.returned_at = at
    dossier.save()
    _event(
        dossier,
        action="return",
        from_status=from_status,
        actor=actor,
        at=at,
        public_note=note or _("Đã trả kết quả."),
    )
    _audit("return", dossier, before, actor)
    notify.on_commit(dossier, "returned")
    return dossier


@transaction.atomic
def dossier_withdraw(*, actor: User, dossier: Dossier, reason: str, at: dt.datetime | None = None) -> Dossier:
    """The applicant asks to withdraw the dossier (in writing, or online)."""
    at = _now(at)
    dossier = _lock(dossier)
    before = _snap(dossier)
    from_status, to_status = _check(actor, dossier, "withdraw")
    reason = _text(reason, "reason", _("lý do rút hồ sơ"), min_len=5, max_len=2000)
    dossier.status = to_status
    dossier.stop_reason = reason
    if from_status == Status.SUPPLEMENT:
        dossier.paused_at = None
    dossier.save()
    _event(dossier, action="withdraw", from_status=from_status, actor=actor, at=at, public_note=reason)
    _audit("withdraw", dossier, before, actor)
    return dossier


@transaction.atomic
def dossier_stop(*, actor: User, dossier: Dossier, note: str = "", at: dt.datetime | None = None) -> Dossier:
    """Stop handling a withdrawn dossier (form 05); the files are returned on request."""
    at = _now(at)
    dossier = _lock(dossier)
    before = _snap(dossier)
    from_status, to_status = _check(actor, dossier, "stop")
    dossier.status = to_status
    dossier.save()
    _event(
        dossier,
        action="stop",
        from_status=from_status,
        actor=actor,
        at=at,
        public_note=_("Dừng giải quyết theo đề nghị rút hồ sơ."),
        internal_note=note,
    )
    _audit("stop", dossier, before, actor)
    notify.on_commit(dossier, "stopped")
    return dossier


@transaction.atomic
def dossier_apologise(
    *,
    actor: User,
    dossier: Dossier,
    reason: str,
    new_due_at: dt.datetime,
    at: dt.datetime | None = None,
) -> ApologyLetter:
    """A dossier that is or will be late: the handling unit apologises in writing and gives one new
    appointment (form 04; Decree 61/2018/ND-CP, amended by Decree 107/2021/ND-CP). A second
    re-appointment is refused: the dossier stays late and is counted so."""
    at = _now(at)
    dossier = _lock(dossier)
    before = _snap(dossier)
    _check(actor, dossier, "apologise")
    existing = ApologyLetter.objects.filter(dossier=dossier).first()
    if existing is not None:
        raise ServiceError(
            _(
                "Hồ sơ %(code)s đã được hẹn lại một lần (phiếu xin lỗi ngày %(day)s, hẹn %(due)s); không được hẹn lại lần thứ hai."
            )
            % {
                "code": dossier.code,
                "day": format_datetime(existing.issued_at),
                "due": format_datetime(existing.new_due_at),
            },
            field="new_due_at",
            status=409,
        )
    if dossier.due_at is None or not (
        dossier.due_at <= at
        or clock.due_within_a_working_day(dossier.due_at, timezone.localdate(at))
        or dossier.status == Status.SUPPLEMENT
    ):
        raise ServiceError(
            _(
                "Hồ sơ chưa đến hạn (hẹn %(due)s): chỉ lập phiếu xin lỗi khi hồ sơ quá hạn hoặc sẽ quá hạn trong ngày làm việc tới."
            )
            % {"due": format_datetime(dossier.due_at) if dossier.due_at else "—"},
            field="new_due_at",
            status=409,
        )
    reason = _text(reason, "reason", _("lý do quá hạn"), min_len=5, max_len=2000)
    if new_due_at is None or timezone.is_naive(new_due_at):
        raise ServiceError(_("Cần ghi ngày hẹn lại."), field="new_due_at")
    if new_due_at <= max(at, dossier.appointment_at or at):
        raise ServiceError(
            _("Ngày hẹn lại phải sau hẹn hiện tại (%(due)s) và sau thời điểm lập phiếu.")
            % {"due": format_datetime(dossier.appointment_at)},
            field="new_due_at",
        )
    letter = ApologyLetter.objects.create(
        dossier=dossier,
        reason=reason,
        previous_due_at=dossier.appointment_at,
        new_due_at=new_due_at,
        issued_at=at,
        issued_by=_actor_user(actor),
    )
    dossier.appointment_at = new_due_at
    dossier.save(update_fields=["appointment_at", "updated_at"])
    _event(
        dossier,
        action="apologise",
        from_status=dossier.status,
        actor=actor,
        at=at,
        public_note=_("Xin lỗi vì chậm trả kết quả: %(reason)s. Hẹn lại: %(due)s.")
        % {"reason": reason, "due": format_datetime(new_due_at)},
    )
    _audit("apologise", dossier, before, actor)
    notify.on_commit(dossier, "apologised")
    return letter


# --- warnings ---------------------------------------------------------------------------------------


@transaction.atomic
def warnings_send(*, today: dt.date | None = None) -> dict:
    """Warn each handling unit of its dossiers that would be late by the end of the next working day,
    once per due moment. Run daily (`cuakhau procedures warn`, or the `warn_due_dossiers` task)."""
    today = today or timezone.localdate()
    due = Dossier.objects.filter(status__in=RUNNING, due_at__isnull=False).select_related(
        "handling_unit", "version"
    )
    sent, already = [], 0
    for dossier in due:
        if not clock.due_within_a_working_day(dossier.due_at, today):
            continue
        if DueWarning.objects.filter(dossier=dossier, due_at=dossier.due_at).exists():
            already += 1
            continue
        recipients = list(
            User.objects.filter(unit=dossier.handling_unit, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        DueWarning.objects.create(
            dossier=dossier, due_at=dossier.due_at, unit=dossier.handling_unit, recipients=len(recipients)
        )
        notify.warn_unit_on_commit(dossier, recipients)
        sent.append(dossier.code)
    if sent:
        audit_record(
            action="procedures.dossier.warn",
            object_type="procedures.dossier",
            object_repr=_("Cảnh báo sắp quá hạn: %(n)s hồ sơ") % {"n": len(sent)},
            after={"today": today, "codes": sent},
        )
    return {"warned": len(sent), "already_warned": already, "codes": sent}


# --- the catalogue --------------------------------------------------------------------------------------


@transaction.atomic
def procedure_version_publish(
    *, procedure: Procedure, valid_from: dt.datetime, actor: User | None = None, **fields
) -> ProcedureVersion:
    """Publish a new version of a procedure from a moment on; dossiers received before keep theirs."""
    if actor is not None and not (actor.is_superuser or actor.role in (Role.ADMIN, Role.DEPARTMENT_STAFF)):
        raise ServiceError(_("Chỉ phòng chuyên môn của Ban cập nhật danh mục thủ tục."), field="", status=403)
    last = procedure.versions.order_by("-number").first()
    if last is not None and valid_from <= last.valid_from:
        raise ServiceError(
            _("Phiên bản mới phải áp dụng sau phiên bản %(n)s (%(day)s).")
            % {"n": last.number, "day": format_datetime(last.valid_from)},
            field="valid_from",
        )
    base = {}
    if last is not None:
        base = {
            f.name: getattr(last, f.name)
            for f in ProcedureVersion._meta.concrete_fields
            if f.name not in ("id", "procedure", "number", "valid_from", "created_at")
        }
    base.update(fields)
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=(last.number + 1 if last else 1), valid_from=valid_from, **base
    )
    audit_record(
        action="procedures.version.publish",
        obj=version,
        after={
            "number": version.number,
            "deadline": version.deadline,
            "deadline_unit": version.deadline_unit,
        },
    )
    return version


__all__ = [
    "ACTION_LABELS",
    "FINISHED",
    "TRANSITIONS",
    "allocate_code",
    "check_file",
    "dossier_apologise",
    "dossier_handoff",
    "dossier_pay_fee",
    "dossier_process",
    "dossier_receive",
    "dossier_receive_at_desk",
    "dossier_refuse",
    "dossier_request_fee",
    "dossier_request_supplement",
    "dossier_return",
    "dossier_stop",
    "dossier_submit",
    "dossier_supplement",
    "dossier_withdraw",
    "procedure_version_publish",
    "warnings_send",
]
