"""What the declaration services share: the declaration locked for its actor, the refusal of an
illegal transition, and the audit snapshot."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cuakhau.core.audit import snapshot
from cuakhau.core.errors import NotFound, ServiceError

from ..models import Declaration, Status

AUDIT_FIELDS = [
    "enterprise",
    "agent",
    "vehicle",
    "trailer",
    "driver",
    "gate",
    "flow",
    "direction",
    "two_way",
    "planned_arrival",
    "status",
    "queue_number",
    "return_reason",
    "cancel_reason",
]

S = Status


def state_error(declaration: Declaration, verb: str, allowed: tuple[str, ...]) -> ServiceError:
    labels = ", ".join(str(Status(s).label).lower() for s in allowed)
    return ServiceError(
        _(
            "Không thể %(verb)s tờ khai %(n)s đang ở trạng thái “%(state)s”; chỉ %(verb)s được khi: %(allowed)s."
        )
        % {
            "verb": verb,
            "n": declaration.number,
            "state": declaration.get_status_display(),
            "allowed": labels,
        },
        field="status",
        code="illegal_transition",
        status=409,
    )


def locked(declaration: Declaration | int, actor, action: str) -> Declaration:
    """The declaration, locked for update, if `actor` may do `action` on it; 404 otherwise."""
    pk = declaration.pk if isinstance(declaration, Declaration) else declaration
    queryset = Declaration.objects.all()
    if actor is not None:
        queryset = queryset.for_user(actor, action)
    found = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Không tìm thấy tờ khai hoặc bạn không có quyền thao tác."))
    return found


def snap(declaration: Declaration) -> dict[str, Any]:
    return snapshot(declaration, AUDIT_FIELDS)


def actor_user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
