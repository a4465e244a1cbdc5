"""Border-gate traffic: one declaration per trip (goods lines, containers), its regulation (queue
number, time slot, call forward), the agency checks it carries, yards, device gate events and the
exceptions operators resolve. Who sees which row is each queryset's `scope` (permissions.py).

One module a subject: declarations (flows, directions, statuses and the declaration), goods (goods
lines, containers and the goods kind of an HS code), regulation (capacity, time slots, the queue
counter), checks (agency checks), yards (yards, gate events, yard stays, gate exceptions), idempotency
(the first response to a device call), exits (each gate's exit rule). Every name is re-exported here, so callers keep writing
`from cuakhau.traffic.models import Declaration`."""

from .checks import (
    CHECK_AGENCIES,
    AgencyCheck,
    AgencyCheckQuerySet,
    CheckStatus,
)
from .declarations import (
    ACTIVE_STATUSES,
    FLOW_DIRECTION,
    QUEUE_STATUSES,
    Declaration,
    DeclarationQuerySet,
    Direction,
    Flow,
    Status,
)
from .exits import DEFAULT_EXIT_MODE, ExitMode, ExitRuleQuerySet, GateExitRule
from .goods import (
    Container,
    ContainerSize,
    GoodsKind,
    GoodsLine,
    goods_kind,
)
from .idempotency import IdempotencyRecord
from .regulation import (
    Capacity,
    QueueCounter,
    RegulationQuerySet,
    TimeSlot,
)
from .uploads import UploadJob, UploadJobQuerySet, UploadStatus
from .yards import (
    EventKind,
    ExceptionReason,
    ExceptionStatus,
    GateEvent,
    GateException,
    GateScopedQuerySet,
    MatchedBy,
    Yard,
    YardStay,
)

__all__ = [
    "ACTIVE_STATUSES",
    "CHECK_AGENCIES",
    "DEFAULT_EXIT_MODE",
    "FLOW_DIRECTION",
    "QUEUE_STATUSES",
    "AgencyCheck",
    "AgencyCheckQuerySet",
    "Capacity",
    "CheckStatus",
    "Container",
    "ContainerSize",
    "Declaration",
    "DeclarationQuerySet",
    "Direction",
    "EventKind",
    "ExitMode",
    "ExitRuleQuerySet",
    "ExceptionReason",
    "ExceptionStatus",
    "Flow",
    "GateEvent",
    "GateException",
    "GateExitRule",
    "GateScopedQuerySet",
    "GoodsKind",
    "GoodsLine",
    "UploadJob",
    "UploadJobQuerySet",
    "UploadStatus",
    "IdempotencyRecord",
    "MatchedBy",
    "QueueCounter",
    "RegulationQuerySet",
    "Status",
    "TimeSlot",
    "Yard",
    "YardStay",
    "goods_kind",
]
