"""The catalogue: the Board confirms or corrects a procedure by publishing a new version, in force from a
moment on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.l10n import format_number
from cuakhau.core.models import Unit, User
from cuakhau.core.service import service
from cuakhau.core.vnformat import format_datetime
from cuakhau.core.workcal.calendar import MAX_YEAR, MIN_YEAR

from .. import permissions
from ..models import DeadlineUnit, Procedure, ProcedureVersion
from ..rules import at_or_now, clean_text
from .processing import MAX_FEE


class _Keep:
    """The default of a version's field: carried over from the last version."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()

MAX_DEADLINE = Decimal(365)
HALF = Decimal("0.5")


def _deadline(value) -> Decimal:
    try:
        deadline = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        deadline = None
    if (
        deadline is None
        or not deadline.is_finite()
        or not HALF <= deadline <= MAX_DEADLINE
        or (deadline * 2) % 1
    ):
        raise ServiceError(
            _("Thời hạn giải quyết phải từ 0,5 đến %(max)s, theo từng nửa ngày.")
            % {"max": format_number(MAX_DEADLINE)},
            field="deadline",
        )
    return deadline.quantize(Decimal("0.1"))  # as the column keeps it


def _fee(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_FEE:
        raise ServiceError(
            _("Phí, lệ phí phải là số đồng từ 0 đến %(max)s.") % {"max": format_number(MAX_FEE)},
            field="fee",
        )
    return value


def _steps_for(steps: list[dict], old: Decimal, new: Decimal) -> list[dict]:
    """The steps' shares add up to a deadline in working days: when it changes, the longest step takes
    the difference (each step keeps at least half a day)."""
    if not steps or old == new:
        return steps
    shares = [Decimal(str(s.get("days") or 0)) for s in steps]
    if sum(shares) != old:
        return steps
    longest = max(range(len(shares)), key=lambda i: shares[i])
    rest = sum(shares) - shares[longest]
    if new - rest < HALF:
        raise ServiceError(
            _("Thời hạn quá ngắn cho các bước của quy trình: ít nhất %(min)s ngày làm việc.")
            % {"min": format_number(rest + HALF)},
            field="deadline",
        )
    steps = [dict(s) for s in steps]
    share = new - rest
    steps[longest]["days"] = str(int(share)) if share == int(share) else str(share.normalize())
    return steps


@service
def procedure_version_publish(
    *,
    actor: User | None,
    procedure: Procedure,
    valid_from: dt.datetime,
    at: dt.datetime | None = None,
    name: str = KEEP,
    legal_basis: str = KEEP,
    deadline: Decimal = KEEP,
    deadline_unit: str = KEEP,
    deadline_note: str = KEEP,
    fee: int = KEEP,
    fee_note: str = KEEP,
    documents: list = KEEP,
    steps: list = KEEP,
    result_document: str = KEEP,
    handling_unit: Unit = KEEP,
    to_be_confirmed: bool = KEEP,
) -> ProcedureVersion:
    """Publish a new version of a procedure from a moment on (the Board confirms the seeded entries, or
    corrects their deadline, fee or legal basis, this way). Dossiers received before keep the version
    they were received under. What is not given is carried over from the last version. A person may
    not back-date a version (what was in force yesterday stays what it was); the system (actor None:
    the catalogue's loader) may."""
    at = at_or_now(at)
    if actor is not None and not permissions.may_edit_catalogue(actor):
        raise ServiceError(_("Chỉ phòng chuyên môn của Ban cập nhật danh mục thủ tục."), field="", status=403)
    given = {
        "name": name,
        "legal_basis": legal_basis,
        "deadline": deadline,
        "deadline_unit": deadline_unit,
        "deadline_note": deadline_note,
        "fee": fee,
        "fee_note": fee_note,
        "documents": documents,
        "steps": steps,
        "result_document": result_document,
        "handling_unit": handling_unit,
        "to_be_confirmed": to_be_confirmed,
    }
    fields = {key: value for key, value in given.items() if value is not KEEP}
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)  # one number at a time
    if valid_from is None or timezone.is_naive(valid_from) or not MIN_YEAR <= valid_from.year <= MAX_YEAR:
        raise ServiceError(_("Cần ghi thời điểm áp dụng (ngày, giờ)."), field="valid_from")
    if actor is not None and timezone.localdate(valid_from) < timezone.localdate(at):
        raise ServiceError(
            _("Phiên bản mới áp dụng từ hôm nay trở đi, không áp dụng hồi tố."), field="valid_from"
        )
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
    base["name"] = clean_text(base.get("name"), "name", _("tên thủ tục"), min_len=5, max_len=300)
    base["legal_basis"] = clean_text(
        base.get("legal_basis"), "legal_basis", _("căn cứ pháp lý"), min_len=5, max_len=4000
    )
    base["result_document"] = clean_text(
        base.get("result_document"), "result_document", _("kết quả"), min_len=3, max_len=300
    )
    base["fee_note"] = clean_text(base.get("fee_note"), "fee_note", _("ghi chú phí"), min_len=0, max_len=300)
    base["deadline"] = _deadline(base.get("deadline"))
    base["fee"] = _fee(base.get("fee", 0))
    base["to_be_confirmed"] = bool(base.get("to_be_confirmed", True))
    if base.get("deadline_unit") not in DeadlineUnit.values:
        raise ServiceError(
            _("Đơn vị thời hạn phải là một trong: %(units)s.")
            % {"units": ", ".join(str(label) for label in DeadlineUnit.labels)},
            field="deadline_unit",
        )
    if last is not None and "deadline_note" not in fields and base["deadline_unit"] != last.deadline_unit:
        from ..catalogue import DEADLINE_NOTES

        base["deadline_note"] = DEADLINE_NOTES[base["deadline_unit"]]
    if (
        last is not None
        and "steps" not in fields
        and base["deadline_unit"] == last.deadline_unit == DeadlineUnit.WORKING_DAYS
    ):
        base["steps"] = _steps_for(base.get("steps") or [], last.deadline, base["deadline"])
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=(last.number + 1 if last else 1), valid_from=valid_from, **base
    )

    def summary(v):
        return {
            "number": v.number,
            "valid_from": v.valid_from,
            "deadline": v.deadline,
            "deadline_unit": v.deadline_unit,
            "fee": v.fee,
            "to_be_confirmed": v.to_be_confirmed,
        }

    audit_record(
        action="procedures.version.publish",
        obj=version,
        before=summary(last) if last is not None else None,
        after=summary(version),
        actor=actor,
    )
    return version
