"""The gates register's audit actions (core.actions)."""

from django.utils.translation import gettext_lazy as _

from cuakhau.core.actions import audit_actions

audit_actions.register(
    "gates",
    {"gates.gate.create": _("thêm cửa khẩu"), "gates.gate.update": _("sửa cửa khẩu")},
    legacy={"gate.create": "gates.gate.create", "gate.update": "gates.gate.update"},
)
