"""Due dates on the working calendar: Tết 2025 and 2026, the swapped Saturdays and the half days, built
from the project's copy of ../shared/data/holidays_vn.csv; after-hours reception; calendar days rolled to
a working day."""

import csv
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cuakhau.core.workcal import is_working_day
from cuakhau.core.workcal.reference import DATA as HOLIDAYS_CSV
from cuakhau.procedures import clock
from cuakhau.procedures.models import DeadlineUnit, Timing

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# HOLIDAYS_CSV is the project's copy of ../shared/data/holidays_vn.csv (tests/core/test_calendar.py checks
# they match): the suite runs in a clone without ../shared beside it.
pytestmark = pytest.mark.django_db
WD, DAYS, HOURS = DeadlineUnit.WORKING_DAYS, DeadlineUnit.DAYS, DeadlineUnit.WORKING_HOURS


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def _rows():
    with HOLIDAYS_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _period(holiday: str, year: int) -> tuple[date, date]:
    row = next(r for r in _rows() if r["holiday"] == holiday and int(r["year"]) == year)
    return date.fromisoformat(row["first_day_off"]), date.fromisoformat(row["last_day_off"])


def _swapped(year: int) -> list[date]:
    return [
        date.fromisoformat(r["worked_weekend_days"])
        for r in _rows()
        if int(r["year"]) == year and r["worked_weekend_days"]
    ]


def _expected_nth_working_day(start: date, n: int, off: set[date], worked: set[date]) -> date:
    """An independent count over the CSV: weekdays not off, plus swapped Saturdays."""
    d, left = start, n
    while left:
        d += timedelta(days=1)
        if d in worked or (d.weekday() < 5 and d not in off):
            left -= 1
    return d


def _off_days(year: int) -> set[date]:
    days = set()
    for r in _rows():
        if int(r["year"]) == year:
            d, last = date.fromisoformat(r["first_day_off"]), date.fromisoformat(r["last_day_off"])
            while d <= last:
                days.add(d)
                d += timedelta(days=1)
    return days


@pytest.mark.parametrize("year", [2025, 2026])
def test_tet_is_skipped_exactly_as_the_csv_says(catalogue, year):
    first, last = _period("lunar_new_year", year)
    received = at(first.year, first.month, first.day, 10) - timedelta(days=3)
    while not is_working_day(received.date()):
        received -= timedelta(days=1)
    due = clock.due(received, Decimal(10), WD)
    expected = _expected_nth_working_day(received.date(), 10, _off_days(year), set(_swapped(year)))
    assert due.date() == expected
    assert due.timetz().replace(tzinfo=None) == received.timetz().replace(tzinfo=None)  # same time of day
    # and the due date is past Tết by the working days not spent before it
    before_tet = sum(
        1
        for k in range(1, 8)
        if (received.date() + timedelta(days=k)) < first
        and is_working_day(received.date() + timedelta(days=k))
    )
    assert (due.date() - last).days > 0
    assert before_tet < 10


def test_submitted_during_tet_2026_counts_from_the_first_working_morning(catalogue):
    first, last = _period("lunar_new_year", 2026)  # 14/02 .. 22/02/2026
    submitted = at(2026, 2, 17, 10)  # lunar new year day
    start = clock.start_of_clock(submitted)
    assert start == at(2026, 2, 23, 7, 30)
    assert start.date() == last + timedelta(days=1)
    # 10 working days from Monday 23/02 07:30: 23-27/02 and 02-06/03, ending Friday 06/03 at 17:00
    assert clock.due(submitted, Decimal(10), WD) == at(2026, 3, 6, 17, 0)


def test_tet_2025_calendar_days_roll_to_a_working_day(catalogue):
    # 15 days from Friday 17/01/2025 ends on Saturday 01/02, inside Tết (25/01-02/02): the period ends at
    # the end of the next working day, Monday 03/02 (Civil Code 2015 Art. 148(5)).
    due = clock.due(at(2025, 1, 17, 9), Decimal(15), DAYS)
    assert due == at(2025, 2, 3, 17, 0)
    first, last = _period("lunar_new_year", 2025)
    assert due.date() == last + timedelta(days=1)


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_swapped_saturday_is_a_working_day(catalogue, year):
    (saturday,) = _swapped(year)
    assert saturday.weekday() == 5 and is_working_day(saturday)
    friday = saturday - timedelta(days=1)
    # One working day from Friday 10:00 is the swapped Saturday at 10:00, not Monday.
    assert clock.due(at(friday.year, friday.month, friday.day, 10), Decimal(1), WD) == at(
        saturday.year, saturday.month, saturday.day, 10
    )


def test_april_2025_swapped_saturday_and_the_30_4_holidays(catalogue):
    # Fri 25/04 08:00 + 3 WD: Sat 26/04 (worked), Mon 28/04, Tue 29/04 -> 29/04 08:00.
    assert clock.due(at(2025, 4, 25, 8), Decimal(3), WD) == at(2025, 4, 29, 8)
    # + 4 WD: 30/04-04/05 are off, so Monday 05/05.
    assert clock.due(at(2025, 4, 25, 8), Decimal(4), WD) == at(2025, 5, 5, 8)


def test_half_days_follow_the_office_sessions(catalogue):
    monday = at(2026, 3, 9, 10)
    assert clock.due(monday, Decimal("0.5"), WD) == at(2026, 3, 9, 16)  # morning +0.5 -> afternoon
    assert clock.due(at(2026, 3, 9, 16), Decimal("0.5"), WD) == at(2026, 3, 10, 10)
    # 14:00 is 30 minutes into the afternoon; 5 sessions later is 30 minutes into Thursday morning
    assert clock.due(at(2026, 3, 9, 14), Decimal("2.5"), WD) == at(2026, 3, 12, 8)
    # Received at 13:00 (lunch): counts from 13:30; half a day later is the end of that session.
    assert clock.due(at(2026, 3, 9, 13), Decimal("0.5"), WD) == at(2026, 3, 9, 17)


def test_received_after_hours_counts_from_the_next_session(catalogue):
    evening = at(2026, 3, 6, 18)  # Friday 18:00
    assert clock.start_of_clock(evening) == at(2026, 3, 9, 7, 30)
    assert clock.due(evening, Decimal(3), WD) == at(2026, 3, 11, 17)
    assert clock.due(at(2026, 3, 7, 10), Decimal(3), WD) == at(2026, 3, 11, 17)  # Saturday: the same


def test_working_hours(catalogue):
    # 8 working hours from Monday 10:00: 1.5 h to 11:30, 3.5 h afternoon, then 3 h Tuesday -> 10:30
    assert clock.due(at(2026, 3, 9, 10), Decimal(8), HOURS) == at(2026, 3, 10, 10, 30)


def test_hung_kings_day_2026_made_up_on_monday(catalogue):
    # 10/3 lunar falls on Sunday 26/04/2026 and is made up on Monday 27/04; 30/04-03/05 are off too.
    assert not is_working_day(date(2026, 4, 27))
    assert clock.due(at(2026, 4, 24, 9), Decimal(2), WD) == at(2026, 4, 29, 9)


def test_timing_early_on_time_late():
    due = at(2026, 3, 6, 17)
    assert clock.timing(at(2026, 3, 5, 16), due) == Timing.EARLY
    assert clock.timing(at(2026, 3, 6, 9), due) == Timing.ON_TIME
    assert clock.timing(at(2026, 3, 6, 17), due) == Timing.ON_TIME
    assert clock.timing(at(2026, 3, 6, 17, 1), due) == Timing.LATE


def test_remaining_and_resume_keep_the_time_used(catalogue):
    received = at(2026, 3, 9, 8)
    due = clock.due(received, Decimal(10), WD)
    paused_at = clock.due(received, Decimal(4), WD)  # 4 working days used
    left = clock.remaining(paused_at, due, WD)
    assert left == Decimal(6)
    resumed = at(2026, 3, 23, 8)
    assert clock.due(resumed, left, WD) == clock.due(resumed, Decimal(6), WD)
    assert clock.due(resumed, left, WD) > due


def _last_working_day_before(first_off: date, year: int) -> date:
    off, worked = _off_days(year), set(_swapped(year))
    d = first_off - timedelta(days=1)
    while not (d in worked or (d.weekday() < 5 and d not in off)):
        d -= timedelta(days=1)
    return d


@pytest.mark.parametrize("year", [2025, 2026])
def test_half_days_across_tet_as_the_csv_says(catalogue, year):
    """Half days are sessions: from the last afternoon before Tết, half a day later is the first
    morning after it, at the same time into the session."""
    first, _last = _period("lunar_new_year", year)
    off, worked = _off_days(year), set(_swapped(year))
    eve = _last_working_day_before(first, year)
    after = [_expected_nth_working_day(eve, k, off, worked) for k in (1, 2)]
    assert after[0] > _last  # the CSV's own period is skipped
    # 16:00 is 2.5 h into the afternoon; 07:30 + 2.5 h = 10:00
    assert clock.due(at(eve.year, eve.month, eve.day, 16), Decimal("0.5"), WD) == at(
        after[0].year, after[0].month, after[0].day, 10
    )
    assert clock.due(at(eve.year, eve.month, eve.day, 16), Decimal("1.5"), WD) == at(
        after[1].year, after[1].month, after[1].day, 10
    )
    # from the morning before Tết, half a day is that afternoon and one and a half the first afternoon after
    assert clock.due(at(eve.year, eve.month, eve.day, 8), Decimal("0.5"), WD) == at(
        eve.year, eve.month, eve.day, 14
    )
    assert clock.due(at(eve.year, eve.month, eve.day, 8), Decimal("1.5"), WD) == at(
        after[0].year, after[0].month, after[0].day, 14
    )
    # received during Tết at 15:00: counts from the first morning after; half a day ends at 11:30
    inside = first + timedelta(days=2)
    assert clock.due(at(inside.year, inside.month, inside.day, 15), Decimal("0.5"), WD) == at(
        after[0].year, after[0].month, after[0].day, 11, 30
    )


@pytest.mark.parametrize("year", [2025, 2026])
def test_half_days_on_the_swapped_saturday(catalogue, year):
    (saturday,) = _swapped(year)
    off, worked = _off_days(year), set(_swapped(year))
    friday = saturday - timedelta(days=1)
    monday_after = _expected_nth_working_day(saturday, 1, off, worked)
    assert monday_after.weekday() == 0
    # Friday afternoon + 0.5: the Saturday's morning; the Saturday afternoon + 0.5: the next working morning
    assert clock.due(at(friday.year, friday.month, friday.day, 14), Decimal("0.5"), WD) == at(
        saturday.year, saturday.month, saturday.day, 8
    )
    assert clock.due(at(saturday.year, saturday.month, saturday.day, 16), Decimal("0.5"), WD) == at(
        monday_after.year, monday_after.month, monday_after.day, 10
    )
    # received on the swapped Saturday at 18:00: counts from the next working morning, not the Saturday's
    assert clock.start_of_clock(at(saturday.year, saturday.month, saturday.day, 18)) == at(
        monday_after.year, monday_after.month, monday_after.day, 7, 30
    )


def test_tet_2026_calendar_days_roll_to_a_working_day(catalogue):
    # 15 days from Tuesday 03/02/2026 end on Wednesday 18/02, inside Tết (14/02-22/02): the period ends
    # at the end of the next working day, Monday 23/02.
    first, last = _period("lunar_new_year", 2026)
    due = clock.due(at(2026, 2, 3, 9), Decimal(15), DAYS)
    assert first <= date(2026, 2, 18) <= last
    assert due == at(2026, 2, 23, 17, 0) and due.date() == last + timedelta(days=1)


def _expected_days_due(start: date, n: int, year: int) -> date:
    off, worked = _off_days(year), set(_swapped(year))
    d = start + timedelta(days=n)
    while not (d in worked or (d.weekday() < 5 and d not in off)):
        d += timedelta(days=1)
    return d


@pytest.mark.parametrize(
    "code,n,unit",
    [
        ("dt-cap-gcn-dkdt", 15, DAYS),
        ("dt-dieu-chinh-gcn-3", 3, WD),
        ("dt-dieu-chinh-gcn-7", 7, WD),
        ("dt-chap-thuan-nha-dau-tu", 25, DAYS),
        ("ld-cap-gpld", 10, WD),
        ("xd-cap-gpxd", 20, DAYS),
        ("tm-vpdd", 9, WD),
    ],
)
def test_every_seeded_procedure_received_before_tet_2026(catalogue, code, n, unit):
    """The slip's due date of each procedure in the catalogue for a dossier received at the desk on
    Friday 13/02/2026 at 16:00, the last afternoon before Tết, against a count over the CSV."""
    from cuakhau.core.models import Unit
    from cuakhau.core.roles import Role
    from tests.factories import UserFactory, dossier_at_desk

    desk = UserFactory(role=Role.DEPARTMENT_STAFF, unit=Unit.objects.get(code="van-phong"))
    dossier = dossier_at_desk(desk, code, at=at(2026, 2, 13, 16))
    assert dossier.version.deadline == n and dossier.version.deadline_unit == unit
    if unit == WD:
        day = _expected_nth_working_day(date(2026, 2, 13), n, _off_days(2026), set(_swapped(2026)))
        assert dossier.due_at == at(day.year, day.month, day.day, 16)
    else:
        day = _expected_days_due(date(2026, 2, 13), n, 2026)
        assert dossier.due_at == at(day.year, day.month, day.day, 17)
    assert dossier.due_at.date() > date(2026, 2, 22)
