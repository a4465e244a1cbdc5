"""Working days: which dates are worked, and working-day arithmetic for legal deadlines.

A year's calendar is official when its decision has been entered (a `CalendarYear` row: its
`CalendarDay` rows are the truth, days off and Saturdays swapped into working days) and provisional
otherwise (computed by `rules.provisional_days_off`). A date is a working day when it is a swapped
working day, or a Monday-Friday that is not a day off.

Half days. The Board's office hours are modelled as two sessions, each worth half a working day:
morning 07:30-11:30 and afternoon 13:30-17:00 (the usual hours of Lạng Sơn's provincial agencies).
A moment is placed in the session it falls in, or, outside office hours, at the start of the next
session (a dossier received at 18:00 or on a Sunday counts as received when the office next opens).
Adding N working days moves 2N sessions forward and keeps the time elapsed since the session's
start (clamped to the session's end): Friday 10:00 + 1 = next working day 10:00, 10:00 + 0.5 =
16:00, 16:00 + 0.5 = next morning 10:00.

Dates. `add_working_days(date, N)` is the N-th working day after the date (Civil Code 2015 Art. 147:
a period in days starts the day after the event), and `working_days_between(a, b)` counts the
working days d with a < d <= b, so that working_days_between(a, add_working_days(a, N)) == N.

Per-year day sets are cached in the process: computed years for ever, official years for
`OFFICIAL_TTL` seconds (other processes pick up a newly entered decision within that time); this
process drops its cache when a calendar row is saved or deleted, and again when that transaction
commits.
"""

from __future__ import annotations

import bisect
import threading
import time as _time
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from .rules import DayOff, is_weekly_rest_day, provisional_days_off

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MIN_YEAR, MAX_YEAR = 1900, 2199
OFFICIAL_TTL = 60.0

# Office sessions: (start, end). Each is half a working day.
SESSIONS: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
HALF = Decimal("0.5")


@dataclass(frozen=True)
class YearCalendar:
    year: int
    official: bool
    days_off: tuple[DayOff, ...]
    working_days: tuple[date, ...] = ()  # weekend days swapped into working days (official years only)
    decision: str = ""
    notes: str = ""
    _off: frozenset[date] = field(default=frozenset(), repr=False, compare=False)
    _swapped: frozenset[date] = field(default=frozenset(), repr=False, compare=False)
    _worked: tuple[int, ...] = field(default=(), repr=False, compare=False)  # ordinals, sorted

    @classmethod
    def build(cls, *, year: int, official: bool, days_off, working_days=(), decision="", notes=""):
        days_off = tuple(sorted(days_off))
        working_days = tuple(sorted(working_days))
        off = frozenset(d.date for d in days_off)
        swapped = frozenset(working_days)
        first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        worked = tuple(
            n
            for n in range(first, last + 1)
            if (d := date.fromordinal(n)) in swapped or (not is_weekly_rest_day(d) and d not in off)
        )
        return cls(
            year=year,
            official=official,
            days_off=days_off,
            working_days=working_days,
            decision=decision,
            notes=notes,
            _off=off,
            _swapped=swapped,
            _worked=worked,
        )

    def is_working_day(self, d: date) -> bool:
        return d in self._swapped or (not is_weekly_rest_day(d) and d not in self._off)

    def day_off(self, d: date) -> DayOff | None:
        return next((x for x in self.days_off if x.date == d), None)


# --- the per-year cache --------------------------------------------------------------------------

_cache: dict[int, tuple[float, YearCalendar]] = {}
_lock = threading.Lock()
_local = threading.local()  # .pending: this thread wrote calendar rows in a transaction not yet ended


def invalidate(year: int | None = None) -> None:
    """Forget the cached calendar (one year or all). Called when calendar rows change."""
    with _lock:
        if year is None:
            _cache.clear()
        else:
            _cache.pop(year, None)


def calendar_changed() -> None:
    """A calendar row was written in the current transaction: drop the cache now, do not cache this
    thread's uncommitted view, and drop the cache again once the transaction commits."""
    invalidate()
    if connection.in_atomic_block:
        _local.pending = True

        def _committed():
            _local.pending = False
            invalidate()

        transaction.on_commit(_committed)


def reset_cache() -> None:
    """Forget everything, including pending state (tests)."""
    _local.pending = False
    invalidate()


def _may_store() -> bool:
    if getattr(_local, "pending", False):
        if connection.in_atomic_block:
            return False
        _local.pending = False  # the writing transaction ended (rolled back, or committed and cleared)
    return True


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"the working calendar covers {MIN_YEAR}-{MAX_YEAR}, not {year}")


def _load(year: int) -> YearCalendar:
    from ..models import CalendarDay, CalendarYear

    entered = CalendarYear.objects.filter(year=year).first()
    if entered is None:
        return YearCalendar.build(year=year, official=False, days_off=provisional_days_off(year))
    days_off, working = [], []
    for day in CalendarDay.objects.filter(calendar_year=entered).order_by("date"):
        if day.kind == CalendarDay.Kind.WORKING_DAY:
            working.append(day.date)
        else:
            days_off.append(DayOff(day.date, day.holiday, day.name))
    return YearCalendar.build(
        year=year,
        official=True,
        days_off=days_off,
        working_days=working,
        decision=entered.decision,
        notes=entered.notes,
    )


def year_calendar(year: int) -> YearCalendar:
    """The calendar of one year, official or provisional."""
    _check_year(year)
    now = _time.monotonic()
    hit = _cache.get(year)
    if hit is not None and (not hit[1].official or now - hit[0] < OFFICIAL_TTL) and _may_store():
        return hit[1]
    result = _load(year)
    if _may_store():
        with _lock:
            _cache[year] = (now, result)
    return result


# --- working days ----------------------------------------------------------------------------------


def is_working_day(d: date) -> bool:
    if isinstance(d, datetime):
        d = _local_dt(d).date()
    return year_calendar(d.year).is_working_day(d)


def _nth_working_day_after(d: date, n: int) -> date:
    """The n-th working day after d (n > 0), or the |n|-th working day before it (n < 0); d for 0."""
    if n == 0:
        return d
    year, ordinal = d.year, d.toordinal()
    if n > 0:
        while True:
            worked = year_calendar(year)._worked
            i = bisect.bisect_right(worked, ordinal)
            if i + n - 1 < len(worked):
                return date.fromordinal(worked[i + n - 1])
            n -= len(worked) - i
            year += 1
    n = -n
    while True:
        worked = year_calendar(year)._worked
        i = bisect.bisect_left(worked, ordinal)
        if i - n >= 0:
            return date.fromordinal(worked[i - n])
        n -= i
        year -= 1


def _count_working(a: date, b: date) -> int:
    """Working days d with a < d <= b (a <= b)."""
    total = 0
    for year in range(a.year, b.year + 1):
        worked = year_calendar(year)._worked
        lo = bisect.bisect_right(worked, a.toordinal()) if year == a.year else 0
        hi = bisect.bisect_right(worked, b.toordinal()) if year == b.year else len(worked)
        total += hi - lo
    return total


def _halves(n) -> int:
    """n working days as a whole number of half days; refuses floats that are not exact and
    anything that is not a multiple of 0.5."""
    if isinstance(n, bool):
        raise TypeError("n must be a number of working days")
    try:
        value = Decimal(str(n)) if isinstance(n, float) else Decimal(n)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise ValueError(f"not a number of working days: {n!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not a number of working days: {n!r}")
    twice = value * 2
    if twice != twice.to_integral_value():
        raise ValueError(f"working days come in halves: {n} is not a multiple of 0.5")
    return int(twice)


def _local_dt(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("working-day arithmetic needs an aware datetime")
    return moment.astimezone(TZ)


def _session_length(index: int) -> timedelta:
    start, end = SESSIONS[index]
    return datetime.combine(date.min, end) - datetime.combine(date.min, start)


def _position(moment: datetime) -> tuple[date, int, timedelta]:
    """(working day, session index, time elapsed in the session) of a moment, moved forward to the
    next session's start when it is outside office hours."""
    local = _local_dt(moment)
    d, t = local.date(), local.time().replace(tzinfo=None)
    if is_working_day(d):
        for index, (start, end) in enumerate(SESSIONS):
            if t < start:
                return d, index, timedelta(0)
            if t < end:
                return d, index, datetime.combine(d, t) - datetime.combine(d, start)
    return _nth_working_day_after(d, 1), 0, timedelta(0)


def _moment(d: date, index: int, elapsed: timedelta) -> datetime:
    start = datetime.combine(d, SESSIONS[index][0], tzinfo=TZ)
    return start + min(elapsed, _session_length(index))


def add_working_days(moment: date | datetime, n: int | Decimal | str) -> date | datetime:
    """`moment` plus `n` working days (n a multiple of 0.5; negative goes back).

    For a date: the n-th working day after it (whole n only). For an aware datetime: the same time
    into the session 2n sessions later, in Asia/Ho_Chi_Minh (see the module docstring)."""
    halves = _halves(n)
    if not isinstance(moment, datetime):
        if halves % 2:
            raise ValueError("half working days need a datetime, not a date")
        return _nth_working_day_after(moment, halves // 2)
    d, index, elapsed = _position(moment)
    sessions = len(SESSIONS)
    target = index + halves
    d = _nth_working_day_after(d, target // sessions)
    return _moment(d, target % sessions, elapsed)


def working_days_between(start: date | datetime, end: date | datetime) -> Decimal:
    """Working days from start to end, in halves; negative when end is before start.

    For dates: the working days d with start < d <= end. For datetimes: the whole sessions of working
    time between the two moments, each worth 0.5; time outside office hours does not count, so Friday
    17:00 and Monday 07:30 are the same point and add_working_days(start, k) <= end for the result k."""
    if isinstance(start, datetime) != isinstance(end, datetime):
        raise TypeError("start and end must both be dates or both be datetimes")
    if not isinstance(start, datetime) or not isinstance(end, datetime):  # both dates (checked above)
        if end < start:
            return -Decimal(_count_working(end, start))
        return Decimal(_count_working(start, end))
    if _local_dt(end) < _local_dt(start):
        return -working_days_between(end, start)
    d1, i1, e1 = _position(start)
    d2, i2, e2 = _position(end)
    sessions = len(SESSIONS)
    days = _count_working(d1, d2)
    halves = days * sessions + i2 - i1
    if min(e1, _session_length(i2)) > e2:
        halves -= 1
    return Decimal(max(halves, 0)) * HALF
