"""Checks, permission helpers and snapshots shared by the plans services. Each check raises
ServiceError naming the field and the rule."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from cuakhau.core import policy
from cuakhau.core.audit import snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit
from cuakhau.core.roles import UnitKind

from .models import Action, Plan, Task

# Units that may lead or cooperate on a task or an action: the Board's own units and the forces at
# the gates; not enterprises, not the province.
WORK_UNIT_KINDS = frozenset(
    {UnitKind.BOARD_LEADERSHIP, UnitKind.BOARD_DEPARTMENT, UnitKind.GATE_CENTRE, UnitKind.AGENCY}
)


# The public's ratings: a comment's length, and how many ratings one address sends in a window.
MAX_COMMENT = 1000


def feedback_limit() -> tuple[int, int]:
    return (
        int(getattr(settings, "FEEDBACK_RATE_LIMIT", 5)),
        int(getattr(settings, "FEEDBACK_RATE_WINDOW_SECONDS", 3600)),
    )


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


# The default of an update's field that the caller leaves as it is (an update names what it changes).
UNCHANGED: Any = _Unchanged()


def require(actor, question: str, obj=None) -> None:
    """Refuse (403) unless `actor` may do `question`; the system (actor None: a loader, a task, the
    CLI) may do everything."""
    if actor is not None:
        policy.require(actor, question, obj)


def in_scope(model, actor, action: str, pk):
    """The row `pk` of `model`, locked, if `actor` may do `action` on it (its scope); 403 otherwise.
    The system (actor None) acts on every row."""
    rows = model._default_manager.all()
    if actor is not None and not rows.for_user(actor, action).filter(pk=pk).exists():
        raise ServiceError(_("Bạn không có quyền thực hiện thao tác này."), code="forbidden", status=403)
    return rows.select_for_update().get(pk=pk)


def clean_text(
    value: Any, field: str, label: str, *, required: bool = True, max_length: int | None = None
) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not value:
        raise ServiceError(_("%(label)s không được để trống.") % {"label": label}, field=field)
    if max_length and len(value) > max_length:
        raise ServiceError(
            _("%(label)s dài quá %(n)s ký tự.") % {"label": label, "n": max_length}, field=field
        )
    return value


def work_unit(unit: Unit | None, field: str) -> Unit:
    if unit is None:
        raise ServiceError(_("Cần chọn đơn vị chủ trì."), field=field)
    if unit.kind not in WORK_UNIT_KINDS or not unit.is_active:
        raise ServiceError(
            _("Đơn vị %(unit)s không thể chủ trì hay phối hợp nhiệm vụ của Ban.") % {"unit": unit.name},
            field=field,
        )
    return unit


def cooperating(units: Iterable[Unit] | None, lead: Unit, field: str = "cooperating_units") -> list[Unit]:
    result = []
    for unit in units or ():
        work_unit(unit, field)
        if unit.pk == lead.pk:
            raise ServiceError(
                _("Đơn vị %(unit)s đã là đơn vị chủ trì, không ghi thêm là đơn vị phối hợp.")
                % {"unit": unit.name},
                field=field,
            )
        if unit not in result:
            result.append(unit)
    return result


def decimal_value(value: Any, field: str, label: str, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ServiceError(_("%(label)s không được để trống.") % {"label": label}, field=field)
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ServiceError(_("%(label)s phải là một số.") % {"label": label}, field=field) from exc
    if not number.is_finite() or number < 0 or number >= Decimal("1e15"):
        raise ServiceError(_("%(label)s phải là số không âm.") % {"label": label}, field=field)
    return number.quantize(Decimal("0.001"))


def plan_snap(plan: Plan) -> dict:
    return snapshot(plan)


def task_snap(task: Task) -> dict:
    data = snapshot(task)
    if task.pk:
        data["cooperating_units"] = sorted(task.cooperating_units.values_list("pk", flat=True))
    return data


def action_snap(action: Action) -> dict:
    data = snapshot(action)
    if action.pk:
        data["cooperating_units"] = sorted(action.cooperating_units.values_list("pk", flat=True))
    return data


def state_label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))
