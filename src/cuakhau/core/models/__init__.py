from .audit import AnchorKind, AuditAnchor, AuditEvent, AuditSeal
from .calendar import CalendarDay, CalendarYear
from .installation import Installation
from .org import ApiToken, Unit, User
from .throttle import AttemptThrottle

__all__ = [
    "AnchorKind",
    "ApiToken",
    "AuditAnchor",
    "AttemptThrottle",
    "AuditEvent",
    "AuditSeal",
    "CalendarDay",
    "CalendarYear",
    "Installation",
    "Unit",
    "User",
]
