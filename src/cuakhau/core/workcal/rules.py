"""The statutory public holidays of a year, computed by rule: the provisional calendar of a year for
which no official decision has been entered.

Labour Code 2019 (Law 45/2019/QH14), Art. 112(1): New Year's Day (1/1); Lunar New Year, 5 days; Hùng
Kings' Commemoration Day (10th day of the 3rd lunar month); Victory Day (30/4); International Labour
Day (1/5); National Day, 2 days (2/9 and one day before or after it). Art. 112(3): the Prime Minister
places the Tết days and the extra National Day each year. Art. 111(3): when a holiday falls on a
weekly rest day, the worker takes the day off on the next working day.

Where the Prime Minister decides, this module has to guess. Its placements, compared with the
decisions for 2021-2026:

* Tết: the last day of the old lunar year (29 or 30 of month 12) and the first four days of the new
  one. Decisions since 2021 have all included that stretch (usually adding weekends around it, which
  only an official decision can do).
* National Day: of 1/9 and 3/9, the one that is a weekday; if both are, the one that joins the break
  to a weekend (3/9 when 2/9 is a Thursday); otherwise 1/9. This matches every decision 2021-2026.
* Art. 111 compensation: every holiday date that falls on Saturday or Sunday, or on a date already
  taken by another holiday (Hùng Kings' day can meet 30/4), gives one day off on the next weekday
  that is not a holiday, after that date.

Weekly rest days: Saturday and Sunday (Decree 145/2020 and the civil servants' 40-hour week). The
same rules are applied to every year; years before 2021 (older Labour Code) are approximations only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ..models.calendar import Holiday
from .lunar import VIETNAM_TZ, lunar_new_year, lunar_to_solar

SATURDAY, SUNDAY = 5, 6


def is_weekly_rest_day(d: date) -> bool:
    return d.weekday() >= SATURDAY


@dataclass(frozen=True, order=True)
class DayOff:
    """One day off in a year's calendar. `name` is the official text when one was entered; otherwise
    the holiday's label is shown (see `label`)."""

    date: date
    holiday: str = Holiday.OTHER
    name: str = ""
    compensatory: bool = False  # a day given under Art. 111 for a holiday on a rest day

    @property
    def label(self) -> str:
        from django.utils.translation import gettext as _

        base = self.name or (Holiday(self.holiday).label if self.holiday in Holiday.values else self.holiday)
        if self.compensatory:
            return _("%(name)s (nghỉ bù)") % {"name": base}
        return str(base)


def _national_day_extra(year: int) -> date:
    before, after = date(year, 9, 1), date(year, 9, 3)
    if is_weekly_rest_day(before):
        return after
    if is_weekly_rest_day(after):
        return before
    # Both weekdays: prefer the one that bridges to a weekend (2/9 on a Thursday), else the day before.
    return after if is_weekly_rest_day(after + timedelta(days=1)) else before


def statutory_dates(year: int, tz: float = VIETNAM_TZ) -> list[tuple[date, str]]:
    """The holiday dates of Art. 112(1) for a year, before any Art. 111 compensation."""
    tet = lunar_new_year(year, tz)
    days = [(date(year, 1, 1), Holiday.NEW_YEAR)]
    days += [(tet + timedelta(days=offset), Holiday.LUNAR_NEW_YEAR) for offset in range(-1, 4)]
    days.append((lunar_to_solar(year, 3, 10, tz=tz), Holiday.HUNG_KINGS))
    days.append((date(year, 4, 30), Holiday.REUNIFICATION))
    days.append((date(year, 5, 1), Holiday.LABOUR))
    days.append((_national_day_extra(year), Holiday.NATIONAL_DAY))
    days.append((date(year, 9, 2), Holiday.NATIONAL_DAY))
    return sorted(days)


@lru_cache(maxsize=512)
def provisional_days_off(year: int) -> tuple[DayOff, ...]:
    """The provisional days off of a year: the statutory dates (those on a weekend included, so the
    list reads like a decision's periods) plus the Art. 111 compensation days."""
    taken: dict[date, DayOff] = {}
    owed: list[tuple[date, str]] = []
    for d, holiday in statutory_dates(year):
        if d in taken:
            owed.append((d, holiday))
            continue
        taken[d] = DayOff(d, str(holiday))
        if is_weekly_rest_day(d):
            owed.append((d, holiday))
    for d, holiday in owed:
        candidate = d + timedelta(days=1)
        while is_weekly_rest_day(candidate) or candidate in taken:
            candidate += timedelta(days=1)
        taken[candidate] = DayOff(candidate, str(holiday), compensatory=True)
    return tuple(sorted(taken.values()))
