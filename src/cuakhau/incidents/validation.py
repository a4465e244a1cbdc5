"""The checks the reporting and the lifecycle services share: a choice, the gate, the yard at it.
Each raises ServiceError naming the field."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError
from cuakhau.gates.models import Gate


def choice(value: str, choices, field: str, message: str) -> str:
    if value not in choices.values:
        raise ServiceError(message, field=field)
    return value


def active_gate(gate: Gate | None) -> Gate:
    if gate is None or not gate.is_active:
        raise ServiceError(_("Cần chọn cửa khẩu đang hoạt động nơi xảy ra vụ việc."), field="gate")
    return gate


def yard_at_gate(yard, gate: Gate):
    if yard is not None and yard.gate_id != gate.pk:
        raise ServiceError(
            _("Bãi %(yard)s không thuộc %(gate)s.") % {"yard": yard.name, "gate": gate.name}, field="yard"
        )
    return yard
