"""The working calendar: provisional rules (Labour Code 2019 Art. 111-112), official decisions entered
by staff, working-day arithmetic, the service's refusals, the reference loader and the CLI."""

import csv
import filecmp
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent, CalendarDay, CalendarYear
from cuakhau.core.service import batch
from cuakhau.core.services import calendar_year_enter
from cuakhau.core.workcal import add_working_days, is_working_day, working_days_between, year_calendar
from cuakhau.core.workcal.calendar import reset_cache
from cuakhau.core.workcal.reference import DATA, load_holidays
from cuakhau.core.workcal.rules import provisional_days_off
from tests.factories import UserFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db
SHARED_CSV = Path(__file__).resolve().parents[3] / "shared" / "data" / "holidays_vn.csv"


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.fixture(autouse=True)
def _fresh_cache():
    reset_cache()
    yield
    reset_cache()


@pytest.fixture
def holidays(db):
    with acting_as(None, channel="cli"):
        load_holidays()


def _csv_rows():
    with DATA.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _days(first, last):
    d = date.fromisoformat(first)
    while d <= date.fromisoformat(last):
        yield d
        d += timedelta(days=1)


# --- provisional: the rules ------------------------------------------------------------------------


def _provisional(year):
    return {d.date: d for d in provisional_days_off(year)}


def test_hung_kings_on_sunday_is_taken_on_monday_art_111():
    days = _provisional(2026)
    assert days[date(2026, 4, 26)].holiday == "hung_kings"  # Sunday 26/04
    assert days[date(2026, 4, 27)].compensatory
    assert days[date(2026, 4, 27)].label == "Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert not is_working_day(date(2026, 4, 27))
    assert is_working_day(date(2026, 4, 28))


def test_tet_is_last_day_of_the_year_and_four_days_with_weekend_days_made_up_after():
    # Tết Giáp Thìn: 30 Tết is Fri 09/02/2024, mùng 1 is Sat 10/02; Sat and Sun are made up Wed/Thu.
    days = _provisional(2024)
    tet = sorted(d for d, x in days.items() if x.holiday == "lunar_new_year")
    assert tet == [date(2024, 2, d) for d in (9, 10, 11, 12, 13, 14, 15)]
    assert [days[date(2024, 2, d)].compensatory for d in (13, 14, 15)] == [False, True, True]
    assert is_working_day(date(2024, 2, 16))


def test_new_year_on_saturday_and_30_4_1_5_on_a_weekend():
    days = _provisional(2022)  # 1/1 Saturday; 30/4 Saturday, 1/5 Sunday
    assert days[date(2022, 1, 3)].holiday == "new_year" and days[date(2022, 1, 3)].compensatory
    assert days[date(2022, 5, 2)].compensatory and days[date(2022, 5, 3)].compensatory
    assert is_working_day(date(2022, 5, 4))


def test_2023_provisional_matches_that_years_decision_for_30_4():
    # Hùng Kings Sat 29/04, 30/04 Sun, 01/05 Mon: the decision gave 29/04-03/05.
    off = {d for d in _provisional(2023) if date(2023, 4, 20) <= d <= date(2023, 5, 10)}
    assert off == {date(2023, 4, 29), date(2023, 4, 30), date(2023, 5, 1), date(2023, 5, 2), date(2023, 5, 3)}


def test_hung_kings_on_the_same_day_as_30_4_gives_an_extra_day():
    days = _provisional(1947)  # 10/3 lunar fell on 30/04 or 01/05
    around = sorted(d for d in days if date(1947, 4, 25) <= d <= date(1947, 5, 10))
    assert len(around) == 3 and sum(days[d].compensatory for d in around) == 1


@pytest.mark.parametrize(
    ("year", "extra"),
    [
        (2021, date(2021, 9, 3)),  # Thu 2/9: Fri 3/9
        (2022, date(2022, 9, 1)),  # Fri 2/9: Thu 1/9
        (2023, date(2023, 9, 1)),  # Sat 2/9: Fri 1/9 (and Mon 4/9 made up)
        (2024, date(2024, 9, 3)),  # Mon 2/9: Tue 3/9 (1/9 is a Sunday)
        (2025, date(2025, 9, 1)),  # Tue 2/9: Mon 1/9
        (2026, date(2026, 9, 1)),  # Wed 2/9: Tue 1/9
    ],
)
def test_national_day_extra_day_matches_the_decisions_2021_2026(year, extra):
    days = _provisional(year)
    national = sorted(d for d, x in days.items() if x.holiday == "national_day" and not x.compensatory)
    assert national == sorted([extra, date(year, 9, 2)])
    if year == 2023:
        assert days[date(2023, 9, 4)].compensatory


def test_every_provisional_year_has_the_statutory_eleven_days():
    for year in range(2000, 2100):
        days = provisional_days_off(year)
        weekdays_off = [d for d in days if d.date.weekday() < 5]
        assert len(weekdays_off) == 11, year  # Art. 112(1): 1 + 5 + 1 + 1 + 1 + 2


# --- official years: the CSV loaded through the service ----------------------------------------------


def test_project_copy_of_the_holiday_data_is_the_shared_one():
    if not SHARED_CSV.exists():
        pytest.skip("../shared/data is not present")
    assert filecmp.cmp(DATA, SHARED_CSV, shallow=False)


def test_every_official_period_in_the_csv_matches_after_loading(holidays):
    rows = _csv_rows()
    for year in {int(r["year"]) for r in rows}:
        cal = year_calendar(year)
        assert cal.official
        expected_off = {}
        expected_worked = set()
        for row in (r for r in rows if int(r["year"]) == year):
            for d in _days(row["first_day_off"], row["last_day_off"]):
                expected_off[d] = row["holiday"]
                assert not is_working_day(d), (row, d)
            for text in row["worked_weekend_days"].split():
                expected_worked.add(date.fromisoformat(text))
                assert is_working_day(date.fromisoformat(text))
        assert {d.date: d.holiday for d in cal.days_off} == expected_off
        assert set(cal.working_days) == expected_worked


def test_official_year_replaces_the_rules(holidays):
    # 2024 decision: Tết 08/02-14/02 (the rule would give 09/02 and 15/02), Sat 04/05 worked.
    assert not is_working_day(date(2024, 2, 8))
    assert is_working_day(date(2024, 2, 15))
    assert is_working_day(date(2024, 5, 4))
    assert not is_working_day(date(2024, 4, 29))
    assert year_calendar(2027).official is False
    assert CalendarYear.objects.count() == 3


def test_loader_is_idempotent_and_leaves_an_entered_year_alone(holidays):
    calendar_year_enter(
        actor=None,
        year=2026,
        decision="Thông báo 6150/TB-BNV",
        days_off=[(date(2026, 1, 1), "new_year", "")],
        working_days=[],
    )
    events = AuditEvent.objects.count()
    assert load_holidays() == "0 years entered, 3 already present"
    assert AuditEvent.objects.count() == events
    assert CalendarDay.objects.filter(calendar_year__year=2026).count() == 1


# --- working-day arithmetic ---------------------------------------------------------------------------


def test_the_issue_example_2026_02_13_plus_one_is_2026_02_23(holidays):
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert add_working_days(date(2026, 2, 23), -1) == date(2026, 2, 13)
    assert add_working_days(date(2026, 2, 13), 0) == date(2026, 2, 13)


def test_a_swapped_saturday_is_counted(holidays):
    # 2026: Sat 22/08 worked in exchange for Mon 31/08.
    assert add_working_days(date(2026, 8, 21), 1) == date(2026, 8, 22)
    assert working_days_between(date(2026, 8, 21), date(2026, 8, 24)) == 2
    reset_cache()
    CalendarYear.objects.filter(year=2026).delete()
    assert working_days_between(date(2026, 8, 21), date(2026, 8, 24)) == 1


def test_counting_working_days_in_a_year(holidays):
    # 2026: 260 weekdays after 1 January, 11 of them off by decision, 1 Saturday worked.
    assert working_days_between(date(2026, 1, 1), date(2026, 12, 31)) == 250
    assert working_days_between(date(2026, 12, 31), date(2026, 1, 1)) == -250
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1
    assert working_days_between(date(2026, 2, 14), date(2026, 2, 22)) == 0
    # across years
    assert working_days_between(date(2025, 12, 31), date(2026, 1, 5)) == 2  # Fri 2, Mon 5
    assert add_working_days(date(2025, 12, 31), 2) == date(2026, 1, 5)


def test_half_days_follow_office_hours(holidays):
    friday = at(2026, 2, 13, 10, 0)
    assert add_working_days(friday, Decimal("0.5")) == at(2026, 2, 13, 16, 0)
    assert add_working_days(at(2026, 2, 13, 16, 0), Decimal("0.5")) == at(2026, 2, 23, 10, 0)
    assert add_working_days(friday, 1) == at(2026, 2, 23, 10, 0)
    assert add_working_days(friday, "1.5") == at(2026, 2, 23, 16, 0)
    # 11:20 is 3h50 into the morning; the afternoon session is 3h30 long: its end.
    assert add_working_days(at(2026, 2, 13, 11, 20), Decimal("0.5")) == at(2026, 2, 13, 17, 0)
    # outside office hours: counted from the next session's start
    assert add_working_days(at(2026, 2, 13, 12, 0), Decimal("0.5")) == at(2026, 2, 23, 7, 30)
    assert add_working_days(at(2026, 2, 12, 18, 0), Decimal("0.5")) == at(2026, 2, 13, 13, 30)
    assert add_working_days(at(2026, 2, 15, 9, 0), 1) == at(2026, 2, 24, 7, 30)  # Sunday in Tết
    assert add_working_days(at(2026, 2, 23, 7, 30), Decimal("-0.5")) == at(2026, 2, 13, 13, 30)


def test_moments_in_other_time_zones_are_read_in_vietnam_time(holidays):
    utc = datetime(2026, 2, 13, 3, 0, tzinfo=ZoneInfo("UTC"))  # 10:00 in Hà Nội
    result = add_working_days(utc, Decimal("0.5"))
    assert result == at(2026, 2, 13, 16, 0)
    assert result.utcoffset() == timedelta(hours=7)


def test_counting_between_moments(holidays):
    friday = at(2026, 2, 13, 10, 0)
    assert working_days_between(friday, at(2026, 2, 23, 10, 0)) == 1
    assert working_days_between(friday, at(2026, 2, 23, 9, 59)) == Decimal("0.5")
    assert working_days_between(friday, at(2026, 2, 13, 16, 0)) == Decimal("0.5")
    assert working_days_between(friday, at(2026, 2, 13, 15, 59)) == 0
    assert working_days_between(at(2026, 2, 23, 10, 0), friday) == -1
    # a whole working day ends at 17:00; nothing happens until Monday 07:30
    assert working_days_between(at(2026, 2, 23, 7, 30), at(2026, 2, 23, 17, 0)) == 1


def test_counting_is_the_inverse_of_adding(holidays):
    start = at(2026, 2, 9, 6, 0)
    moments = [start + timedelta(minutes=47 * i) for i in range(0, 700)]  # across Tết 2026, day and night
    for moment in moments[::7]:
        for halves in range(0, 9):
            n = Decimal(halves) / 2
            end = add_working_days(moment, n)
            assert working_days_between(moment, end) == n, (moment, n)
            # a session's start is the same point of working time as the previous session's end
            if halves and end.time() not in (time(7, 30), time(13, 30)):
                assert working_days_between(moment, end - timedelta(minutes=1)) == n - Decimal("0.5")


def test_bad_amounts_and_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_working_days(at(2026, 3, 2, 8), Decimal("0.3"))
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 2), Decimal("0.5"))  # half days need a time
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 3, 2, 8, 0), 1)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 2), "abc")
    with pytest.raises(TypeError):
        working_days_between(date(2026, 3, 2), at(2026, 3, 3))
    with pytest.raises(ValueError):
        is_working_day(date(1800, 1, 1))


# --- cache ----------------------------------------------------------------------------------------------


def test_repeated_calls_do_not_query_the_database(holidays, django_assert_num_queries):
    reset_cache()
    add_working_days(date(2026, 2, 13), 1)
    with django_assert_num_queries(0):
        for i in range(500):
            add_working_days(at(2026, 1, 5, 8) + timedelta(hours=i), Decimal("2.5"))
            is_working_day(date(2026, 4, 27))


def test_entering_a_decision_is_seen_at_once_and_a_rolled_back_one_is_forgotten():
    assert is_working_day(date(2030, 1, 2))
    calendar_year_enter(
        actor=None,
        year=2030,
        decision="QĐ thử",
        days_off=[(date(2030, 1, 2), "other", "Nghỉ thử")],
        working_days=[],
    )
    assert not is_working_day(date(2030, 1, 2))
    assert year_calendar(2030).official
    with batch():
        calendar_year_enter(
            actor=None, year=2031, decision="", days_off=[(date(2031, 1, 2), "other", "")], working_days=[]
        )
        assert not is_working_day(date(2031, 1, 2))
        transaction.set_rollback(True)
    assert is_working_day(date(2031, 1, 2))
    assert not year_calendar(2031).official


# --- the service -------------------------------------------------------------------------------------


def test_entering_a_year_is_one_audited_change():
    user = UserFactory()
    with acting_as(user, channel="web"):
        cy = calendar_year_enter(
            actor=user,
            year=2027,
            decision="Thông báo của Bộ Nội vụ",
            days_off=[(date(2027, 1, 1), "new_year", ""), (date(2027, 2, 5), "lunar_new_year", "30 Tết")],
            working_days=[date(2027, 1, 9)],
            notes="thử",
        )
    assert cy.entered_by == user
    assert [(d.date, d.kind) for d in cy.days.all()] == [
        (date(2027, 1, 1), "day_off"),
        (date(2027, 1, 9), "working_day"),
        (date(2027, 2, 5), "day_off"),
    ]
    event = AuditEvent.objects.get(action="core.calendar_year.enter")
    assert event.actor == user and event.before is None
    assert event.after["working_days"] == ["2027-01-09"]
    assert is_working_day(date(2027, 1, 9))  # a Saturday, worked by decision

    calendar_year_enter(
        actor=None,
        year=2027,
        decision="Thay thế",
        days_off=[(date(2027, 1, 1), "new_year", "")],
        working_days=[],
    )
    assert list(cy.days.values_list("date", flat=True)) == [date(2027, 1, 1)]
    replaced = AuditEvent.objects.get(action="core.calendar_year.replace")
    assert (
        replaced.before["decision"] == "Thông báo của Bộ Nội vụ" and replaced.after["decision"] == "Thay thế"
    )
    assert not is_working_day(date(2027, 1, 9))


def test_only_the_boards_staff_enter_a_year():
    from cuakhau.core.roles import Role

    operator = UserFactory(role=Role.GATE_OPERATOR)
    with pytest.raises(ServiceError) as info:
        calendar_year_enter(
            actor=operator,
            year=2027,
            decision="x",
            days_off=[(date(2027, 1, 1), "new_year", "")],
            working_days=[],
        )
    assert info.value.status == 403
    assert not CalendarYear.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"working_days": [date(2027, 1, 6)]}, "working_days", "06/01/2027"),  # a Wednesday
        ({"working_days": [date(2028, 1, 8)]}, "working_days", "2027"),
        ({"working_days": [date(2027, 1, 9), date(2027, 1, 9)]}, "working_days", "hai lần"),
        ({"working_days": [date(2027, 1, 2)]}, "working_days", "vừa là ngày nghỉ"),
        ({"days_off": [(date(2026, 12, 31), "other", "")]}, "days_off", "31/12/2026"),
        (
            {"days_off": [(date(2027, 1, 1), "new_year", ""), (date(2027, 1, 1), "other", "")]},
            "days_off",
            "hai lần",
        ),
        ({"days_off": [(date(2027, 1, 1), "christmas", "")]}, "days_off", "christmas"),
        ({"days_off": []}, "days_off", "ít nhất"),
        ({"days_off": ["2027-01-01"]}, "days_off", ""),
        ({"year": 1800}, "year", "1900"),
    ],
)
def test_bad_decisions_are_refused_naming_the_field_and_change_nothing(kwargs, field, words):
    args = {
        "year": 2027,
        "decision": "x",
        "days_off": [(date(2027, 1, 1), "new_year", ""), (date(2027, 1, 2), "other", "")],
        "working_days": [],
    }
    args.update(kwargs)
    with pytest.raises(ServiceError) as info:
        calendar_year_enter(actor=None, **args)
    assert info.value.field == field
    assert words in " ".join(info.value.messages)
    assert not CalendarYear.objects.exists() and not AuditEvent.objects.exists()


# --- CLI ----------------------------------------------------------------------------------------------


def _cli(*args):
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


OFFICIAL_2026 = """\
2026-01-01\tTết Dương lịch
2026-02-14\tTết Âm lịch
2026-02-15\tTết Âm lịch
2026-02-16\tTết Âm lịch
2026-02-17\tTết Âm lịch
2026-02-18\tTết Âm lịch
2026-02-19\tTết Âm lịch
2026-02-20\tTết Âm lịch
2026-02-21\tTết Âm lịch
2026-02-22\tTết Âm lịch
2026-04-27\tGiỗ Tổ Hùng Vương
2026-04-30\tNgày Chiến thắng 30/4 và Quốc tế Lao động 1/5
2026-05-01\tNgày Chiến thắng 30/4 và Quốc tế Lao động 1/5
2026-05-02\tNgày Chiến thắng 30/4 và Quốc tế Lao động 1/5
2026-05-03\tNgày Chiến thắng 30/4 và Quốc tế Lao động 1/5
2026-08-29\tQuốc khánh 2/9
2026-08-30\tQuốc khánh 2/9
2026-08-31\tQuốc khánh 2/9
2026-09-01\tQuốc khánh 2/9
2026-09-02\tQuốc khánh 2/9
"""


def test_cli_holidays_of_an_official_year(holidays):
    assert _cli("holidays", "2026") == OFFICIAL_2026


def test_cli_holidays_of_a_provisional_year():
    lines = _cli("holidays", "2027").splitlines()
    assert lines[0] == "2027-01-01\tTết Dương lịch\tprovisional"
    assert "2027-02-06\tTết Âm lịch\tprovisional" in lines  # mùng 1 Tết Đinh Mùi
    assert "2027-02-10\tTết Âm lịch (nghỉ bù)\tprovisional" in lines
    assert all(line.endswith("\tprovisional") for line in lines)


def test_cli_arithmetic(holidays):
    assert _cli("add-working-days", "2026-02-13", "1") == "2026-02-23\n"
    assert _cli("add-working-days", "2026-02-13T10:00", "0.5") == "2026-02-13T16:00:00+07:00\n"
    assert _cli("working-days-between", "2026-02-13", "2026-02-23") == "1\n"
    assert _cli("working-days-between", "2026-02-13T10:00", "2026-02-23T16:00") == "1.5\n"
    assert _cli("working-days-between", "2026-01-01", "2026-12-31") == "250\n"
    with pytest.raises(CommandError):
        _cli("add-working-days", "13/02/2026", "1")
    with pytest.raises(CommandError):
        _cli("add-working-days", "2026-02-13", "0.5")
