"""What the dossier services share: the transitions and their labels, the log's public snapshot,
the lock, the state and role check, the dossier's event and audit record, the clock's start and
each step's due moment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit, User
from cuakhau.core.permissions import CHANGE

from .. import clock, permissions
from ..models import (
    OPEN,
    RUNNING,
    Dossier,
    DossierEvent,
    Procedure,
    ProcedureVersion,
    Status,
)
from ..permissions import APPLY

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


def snap(dossier: Dossier) -> dict[str, Any]:
    # The applicant's contact details are personal data (Decree 13/2023/ND-CP): kept out of the log.
    return {name: getattr(dossier, name) for name in PUBLIC_SNAPSHOT}


def at_or_now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def actor_user(actor) -> User | None:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def clean_text(value: str, field: str, label: str, *, min_len: int = 1, max_len: int = 500) -> str:
    value = (value or "").strip()
    if not value and min_len:
        raise ServiceError(_("Cần ghi %(label)s.") % {"label": label}, field=field)
    if len(value) < min_len:
        raise ServiceError(
            _("%(label)s quá ngắn: cần ít nhất %(n)s ký tự.") % {"label": label.capitalize(), "n": min_len},
            field=field,
        )
    if len(value) > max_len:
        raise ServiceError(
            _("%(label)s dài quá %(n)s ký tự.") % {"label": label.capitalize(), "n": max_len}, field=field
        )
    return value


def version_in_force(procedure: Procedure, at: dt.datetime) -> ProcedureVersion:
    if procedure is None or not procedure.is_active:
        raise ServiceError(_("Cần chọn thủ tục đang áp dụng."), field="procedure")
    version = procedure.current_version(at)
    if version is None:
        raise ServiceError(
            _("Thủ tục %(code)s chưa có phiên bản áp dụng vào ngày này.") % {"code": procedure.code},
            field="procedure",
        )
    return version


def unit_by_code(code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first() if code else None


def first_unit(version: ProcedureVersion) -> Unit:
    steps = version.steps or []
    return (unit_by_code(steps[0].get("unit", "")) if steps else None) or version.handling_unit


def due_of_step(dossier: Dossier, index: int, start: dt.datetime) -> dt.datetime | None:
    steps = dossier.version.steps or []
    if index >= len(steps) or not steps[index].get("days"):
        return None
    return clock.due(start, Decimal(str(steps[index]["days"])), "working_days")


def log_event(
    dossier, *, action, from_status, actor, at, public_note="", internal_note="", **extra
) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        actor=actor_user(actor),
        at=at,
        public_note=public_note,
        internal_note=internal_note,
        **extra,
    )


def audit(action: str, dossier: Dossier, before: dict | None, actor) -> None:
    audit_record(
        action=f"procedures.dossier.{action}",
        obj=dossier,
        before=before,
        after=snap(dossier),
        actor=actor_user(actor),
    )


def check_transition(actor, dossier: Dossier, action: str) -> tuple[str, str]:
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


def lock_dossier(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().select_related("version").get(pk=dossier.pk)


def start_clock(dossier: Dossier, start: dt.datetime) -> None:
    version = dossier.version
    dossier.clock_start = clock.start_of_clock(start)
    dossier.due_at = clock.due(start, version.deadline, version.deadline_unit)
    dossier.first_due_at = dossier.due_at
    dossier.appointment_at = dossier.due_at
    dossier.step_started_at = dossier.clock_start
