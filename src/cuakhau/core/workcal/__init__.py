"""The working calendar: Vietnamese public holidays by rule (Labour Code 2019, Art. 111-112; lunar
dates for UTC+7), each year's official decision on top, and working-day arithmetic.

Public functions: `is_working_day`, `add_working_days`, `working_days_between`, `year_calendar`
(see calendar.py for the half-day model), and the lunar conversions in lunar.py.
"""

from .calendar import (
    SESSIONS,
    YearCalendar,
    add_working_days,
    invalidate,
    is_working_day,
    working_days_between,
    year_calendar,
)
from .rules import DayOff, provisional_days_off

__all__ = [
    "SESSIONS",
    "DayOff",
    "YearCalendar",
    "add_working_days",
    "invalidate",
    "is_working_day",
    "provisional_days_off",
    "working_days_between",
    "year_calendar",
]
