"""The dossier clock: when it starts, when a dossier is due, how a supplement request pauses it, and
whether a step or a dossier finished early, on time or late. Built on the working calendar
(core.workcal), which knows the holidays, the swapped Saturdays and the two office sessions.

Rules applied (the catalogue entries are marked "to be confirmed by the Board"):

* Start. The clock starts when the dossier is received; a dossier received (or submitted online)
  outside office hours, on a weekend or a holiday counts from the start of the next working session
  (Decree 61/2018/ND-CP on the one-stop mechanism and Decree 45/2020/ND-CP on online procedures: an
  online dossier received outside working time is dealt with from the next working day).
* Working days. `N` working days from the start is the moment N working days later in working time
  (core.workcal.add_working_days: half days are sessions). A due moment that lands on the start of a
  session is shown as the end of the previous one: 10 working days from Monday 07:30 end on the second
  Friday at 17:00, not the Monday after at 07:30 (the same instant in working time).
* Days. Where the law says "N ngày" without "làm việc", the period is in calendar days: it starts the
  day after the start day and ends at the end of the N-th day (Civil Code 2015 Art. 147, 148(1)); if that
  day is not a working day, it ends at the end of the next working day (Civil Code 2015 Art. 148(5)).
* Working hours. Counted inside the office sessions only.
* Pause. A request to supplement the dossier stops the clock; what was left is kept; the clock
  restarts with what was left when the supplement is received (from the next working session if
  received outside office hours). The time used before the request counts (Decree 61/2018/ND-CP,
  Art. 18: the time the agency has spent on the dossier before asking counts in the handling time).
* Timing. Finished before the due date: early; on the due date by the due moment: on time; after it:
  late.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cuakhau.core.workcal import SESSIONS, add_working_days, is_working_day, working_days_between
from cuakhau.core.workcal.calendar import TZ

from .models import DeadlineUnit, Timing

DAY_END = SESSIONS[-1][1]


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(TZ)


def start_of_clock(moment: dt.datetime) -> dt.datetime:
    """The moment itself if inside a working session, else the start of the next session."""
    return add_working_days(moment, 0)


def _next_working_day(d: dt.date) -> dt.date:
    while not is_working_day(d):
        d += dt.timedelta(days=1)
    return d


def end_of_day(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, DAY_END, tzinfo=TZ)


def tidy(moment: dt.datetime) -> dt.datetime:
    """A due moment at a session's start is the same working-time instant as the previous session's
    end: show that (Friday 17:00 rather than Monday 07:30)."""
    m = local(moment)
    t = m.time().replace(tzinfo=None)
    if t == SESSIONS[0][0]:
        prev = m.date() - dt.timedelta(days=1)
        while not is_working_day(prev):
            prev -= dt.timedelta(days=1)
        return end_of_day(prev)
    for (_s0, e0), (s1, _e1) in zip(SESSIONS, SESSIONS[1:], strict=False):
        if t == s1:
            return dt.datetime.combine(m.date(), e0, tzinfo=TZ)
    return m


def _add_working_hours(start: dt.datetime, hours: Decimal) -> dt.datetime:
    moment = start_of_clock(start)
    left = dt.timedelta(seconds=float(hours * 3600))
    while True:
        m = local(moment)
        d, t = m.date(), m.time().replace(tzinfo=None)
        for s, e in SESSIONS:
            if is_working_day(d) and t < e:
                begin = max(dt.datetime.combine(d, s, tzinfo=TZ), m)
                room = dt.datetime.combine(d, e, tzinfo=TZ) - begin
                if left <= room:
                    return begin + left
                left -= room
                t = e
        moment = dt.datetime.combine(d + dt.timedelta(days=1), SESSIONS[0][0], tzinfo=TZ)


def due(start: dt.datetime, amount: Decimal, unit: str) -> dt.datetime:
    """The due moment of a period of `amount` `unit`s counted from `start`."""
    amount = Decimal(amount)
    if unit == DeadlineUnit.WORKING_DAYS:
        return tidy(add_working_days(start, amount))
    if unit == DeadlineUnit.WORKING_HOURS:
        return tidy(_add_working_hours(start, amount))
    if unit == DeadlineUnit.DAYS:
        first = local(start_of_clock(start)).date()
        last = first + dt.timedelta(days=int(amount))
        return end_of_day(_next_working_day(last))
    raise ValueError(f"unknown deadline unit {unit!r}")


def remaining(now: dt.datetime, due_at: dt.datetime, unit: str) -> Decimal:
    """What is left of a period at `now` (for a pause), in the period's unit; never negative."""
    if due_at <= now:
        return Decimal(0)
    if unit == DeadlineUnit.WORKING_DAYS:
        return max(working_days_between(now, due_at), Decimal(0))
    if unit == DeadlineUnit.WORKING_HOURS:
        return max(working_days_between(now, due_at), Decimal(0)) * Decimal("7.5")
    if unit == DeadlineUnit.DAYS:
        return Decimal(max((local(due_at).date() - local(start_of_clock(now)).date()).days, 0))
    raise ValueError(f"unknown deadline unit {unit!r}")


def timing(finished_at: dt.datetime, due_at: dt.datetime | None) -> str:
    if due_at is None:
        return ""
    if finished_at > due_at:
        return Timing.LATE
    if local(finished_at).date() < local(due_at).date():
        return Timing.EARLY
    return Timing.ON_TIME


def due_within_a_working_day(due_at: dt.datetime, today: dt.date) -> bool:
    """Whether a dossier would be late by the end of the next working day after `today`: the day
    before it would be late, its handling unit is warned."""
    tomorrow = today + dt.timedelta(days=1)
    return local(due_at) <= end_of_day(_next_working_day(tomorrow))
