from .audit import AuditEvent, AuditSeal
from .calendar import CalendarDay, CalendarYear
from .installation import Installation
from .org import ApiToken, Unit, User

__all__ = [
    "ApiToken",
    "AuditEvent",
    "AuditSeal",
    "CalendarDay",
    "CalendarYear",
    "Installation",
    "Unit",
    "User",
]
