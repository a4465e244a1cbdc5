"""What the dossier services share that is not a write: the texts' checks, the version in force, the
units of a procedure's steps, each step's due moment and the clock's start."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit

from . import clock
from .models import Dossier, Procedure, ProcedureVersion


def at_or_now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def normalise_id(value: str) -> str:
    """An ID or tax code as stored: capitals, digits and dashes only."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum() or ch == "-")


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


def start_clock(dossier: Dossier, start: dt.datetime) -> None:
    """Set the dossier's deadline from the moment it counts as received (not saved here)."""
    version = dossier.version
    dossier.clock_start = clock.start_of_clock(start)
    dossier.due_at = clock.due(start, version.deadline, version.deadline_unit)
    dossier.first_due_at = dossier.due_at
    dossier.appointment_at = dossier.due_at
    dossier.step_started_at = dossier.clock_start
