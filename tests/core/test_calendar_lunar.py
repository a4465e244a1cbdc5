"""Lunar calendar for Vietnam (UTC+7), checked against known dates and, where China's calendar
(UTC+8) agrees, against the `lunardate` tables."""

from datetime import date, timedelta

import lunardate
import pytest

from cuakhau.core.workcal.lunar import LunarDate, lunar_new_year, lunar_to_solar, solar_to_lunar, year_name

# Years 1930-2099 in which Tết in Vietnam (UTC+7) is not Tết in China (UTC+8): a new moon or a solar
# term falls in the hour between midnight UTC+8 and midnight UTC+7, so on different local days.
TET_DIFFERS_FROM_CHINA = {1935, 1965, 1968, 1969, 1985, 2007, 2030, 2053}


def _china(year, month, day):
    return lunardate.LunarDate(year, month, day).to_solar_date()


def test_tet_1985_was_in_january_in_vietnam_and_february_in_china():
    assert lunar_new_year(1985) == date(1985, 1, 21)
    assert lunar_new_year(1985, tz=8.0) == date(1985, 2, 20)
    assert _china(1985, 1, 1) == date(1985, 2, 20)


@pytest.mark.parametrize(
    ("year", "tet"),
    [
        (1968, date(1968, 1, 29)),  # Tết Mậu Thân: a day before China's
        (2007, date(2007, 2, 17)),
        (2024, date(2024, 2, 10)),
        (2025, date(2025, 1, 29)),
        (2026, date(2026, 2, 17)),
        (2030, date(2030, 2, 2)),
    ],
)
def test_known_tet_dates(year, tet):
    assert lunar_new_year(year) == tet


@pytest.mark.parametrize(
    ("year", "day"),
    [
        (2023, date(2023, 4, 29)),  # a year with a leap 2nd month
        (2024, date(2024, 4, 18)),
        (2025, date(2025, 4, 7)),
        (2026, date(2026, 4, 26)),
    ],
)
def test_hung_kings_day(year, day):
    assert lunar_to_solar(year, 3, 10) == day


def test_tet_matches_chinese_tables_except_the_known_utc7_years():
    differs = {y for y in range(1930, 2100) if lunar_new_year(y) != _china(y, 1, 1)}
    assert differs == TET_DIFFERS_FROM_CHINA
    # and in those years our UTC+8 computation reproduces China's date: the time zone is the cause
    for year in TET_DIFFERS_FROM_CHINA:
        assert lunar_new_year(year, tz=8.0) == _china(year, 1, 1)


def test_hung_kings_matches_chinese_tables_where_the_time_zones_agree():
    compared = 0
    for year in range(1930, 2100):
        china = _china(year, 3, 10)
        if lunar_to_solar(year, 3, 10, tz=8.0) != china:
            continue  # China differs from itself at UTC+8 (pre-1929 local time); not comparable
        if solar_to_lunar(china, tz=7.0) == solar_to_lunar(china, tz=8.0):
            assert lunar_to_solar(year, 3, 10) == china, year
            compared += 1
    assert compared > 150


def test_solar_to_lunar_and_back_for_every_day_2020_2031():
    d = date(2020, 1, 1)
    while d < date(2032, 1, 1):
        lunar = solar_to_lunar(d)
        assert lunar_to_solar(lunar.year, lunar.month, lunar.day, leap=lunar.leap) == d
        d += timedelta(days=1)


def test_leap_month_2023():
    assert solar_to_lunar(date(2023, 3, 22)) == LunarDate(year=2023, month=2, leap=True, day=1)
    assert lunar_to_solar(2023, 2, 1, leap=True) == date(2023, 3, 22)
    assert lunar_to_solar(2023, 3, 1) == date(2023, 4, 20)


def test_lunar_dates_that_do_not_exist_are_refused():
    with pytest.raises(ValueError):
        lunar_to_solar(2026, 2, 1, leap=True)  # 2026 has no leap month
    with pytest.raises(ValueError):
        lunar_to_solar(2025, 12, 30)  # month 12 of Ất Tỵ has 29 days: Tết Bính Ngọ is on 17/02/2026
    assert lunar_to_solar(2025, 12, 29) == date(2026, 2, 16)
    with pytest.raises(ValueError):
        lunar_to_solar(2026, 13, 1)


def test_year_names():
    assert year_name(2024) == "Giáp Thìn"
    assert year_name(2025) == "Ất Tỵ"
    assert year_name(2026) == "Bính Ngọ"
    assert year_name(1968) == "Mậu Thân"
