"""Periods of statistics: a month, a quarter, a year, or a custom run of whole months; the period a
year earlier and the period just before, for growth.

    Period.year(2017).previous() == Period.year(2016)
    Period.quarter(2017, 1).previous() == Period.quarter(2016, 4)
    Period.custom(2024, 1, 2024, 10).same_last_year() == Period.custom(2023, 1, 2023, 10)
    Period.custom(2024, 1, 2024, 10).previous() == Period.custom(2023, 3, 2023, 12)   # the 10 months before

Statistics are kept by month, so every period is a run of whole months.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
KINDS = ("month", "quarter", "year", "custom")


class PeriodError(ValueError):
    def __init__(self, message: str, field: str = "period"):
        super().__init__(message)
        self.message = message
        self.field = field


def _month_index(year: int, month: int) -> int:
    return year * 12 + (month - 1)


def _from_index(index: int) -> tuple[int, int]:
    return index // 12, index % 12 + 1


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Period:
    kind: str
    first: int  # month index of the first month (year * 12 + month - 1)
    last: int  # month index of the last month, inclusive

    # --- constructors ---------------------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        _check(year, month)
        i = _month_index(year, month)
        return cls("month", i, i)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if quarter not in ROMAN:
            raise PeriodError(_("Quý phải từ 1 đến 4."), "quarter")
        _check(year, 1)
        i = _month_index(year, 3 * quarter - 2)
        return cls("quarter", i, i + 2)

    @classmethod
    def year(cls, year: int) -> Period:
        _check(year, 1)
        return cls("year", _month_index(year, 1), _month_index(year, 12))

    @classmethod
    def custom(cls, from_year: int, from_month: int, to_year: int, to_month: int) -> Period:
        _check(from_year, from_month)
        _check(to_year, to_month)
        first, last = _month_index(from_year, from_month), _month_index(to_year, to_month)
        if last < first:
            raise PeriodError(_("Tháng kết thúc phải sau hoặc bằng tháng bắt đầu."), "to")
        if last - first >= 12 * 30:
            raise PeriodError(_("Một kỳ tùy chọn dài tối đa 30 năm."), "to")
        return cls("custom", first, last)

    @classmethod
    def covering(cls, start: dt.date, end: dt.date) -> Period:
        return cls.custom(start.year, start.month, end.year, end.month)

    # --- derived --------------------------------------------------------------------------------
    @property
    def start(self) -> dt.date:
        y, m = _from_index(self.first)
        return dt.date(y, m, 1)

    @property
    def end(self) -> dt.date:
        return month_end(*_from_index(self.last))

    @property
    def months(self) -> int:
        return self.last - self.first + 1

    def month_starts(self) -> list[dt.date]:
        return [dt.date(*_from_index(i), 1) for i in range(self.first, self.last + 1)]

    def shifted(self, months: int) -> Period:
        first, last = self.first + months, self.last + months
        if first < _month_index(1900, 1):
            raise PeriodError(_("Năm phải từ 1900 đến 2999."), "year")
        return Period(self.kind, first, last)

    def same_last_year(self) -> Period:
        return self.shifted(-12)

    def previous(self) -> Period:
        return self.shifted(-self.months)

    @property
    def label(self) -> str:
        y, m = _from_index(self.first)
        if self.kind == "month":
            return _("Tháng %(m)d/%(y)d") % {"m": m, "y": y}
        if self.kind == "quarter":
            return _("Quý %(q)s/%(y)d") % {"q": ROMAN[(m - 1) // 3 + 1], "y": y}
        if self.kind == "year":
            return _("Năm %(y)d") % {"y": y}
        y2, m2 = _from_index(self.last)
        return _("Từ tháng %(m1)d/%(y1)d đến tháng %(m2)d/%(y2)d") % {"m1": m, "y1": y, "m2": m2, "y2": y2}

    def query(self) -> dict[str, str]:
        """The GET parameters that give this period back (see `from_params`)."""
        y, m = _from_index(self.first)
        if self.kind == "month":
            return {"kind": "month", "year": str(y), "month": str(m)}
        if self.kind == "quarter":
            return {"kind": "quarter", "year": str(y), "quarter": str((m - 1) // 3 + 1)}
        if self.kind == "year":
            return {"kind": "year", "year": str(y)}
        y2, m2 = _from_index(self.last)
        return {"kind": "custom", "from": f"{y:04d}-{m:02d}", "to": f"{y2:04d}-{m2:02d}"}

    def __str__(self) -> str:
        return self.label


def _check(year: int, month: int) -> None:
    if not 1900 <= year <= 2999:
        raise PeriodError(_("Năm phải từ 1900 đến 2999."), "year")
    if not 1 <= month <= 12:
        raise PeriodError(_("Tháng phải từ 1 đến 12."), "month")


_YM = re.compile(r"^(\d{4})-(\d{1,2})$")


def _int(params, name: str, default: int | None = None) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        if default is None:
            raise PeriodError(_("Thiếu %(name)s.") % {"name": name}, name)
        return default
    if not raw.isdigit():
        raise PeriodError(_("%(name)s phải là số nguyên.") % {"name": name}, name)
    return int(raw)


def _ym(params, name: str) -> tuple[int, int]:
    raw = (params.get(name) or "").strip()
    match = _YM.match(raw)
    if not match:
        raise PeriodError(_("%(name)s phải có dạng YYYY-MM (ví dụ 2024-10).") % {"name": name}, name)
    return int(match.group(1)), int(match.group(2))


def from_params(params, *, default_year: int) -> Period:
    """The period named by GET parameters: kind=month|quarter|year|custom with year, month, quarter,
    or from/to as YYYY-MM. A missing kind means the year `default_year`."""
    kind = (params.get("kind") or "year").strip()
    if kind not in KINDS:
        raise PeriodError(_("Loại kỳ phải là month, quarter, year hoặc custom."), "kind")
    if kind == "custom":
        return Period.custom(*_ym(params, "from"), *_ym(params, "to"))
    year = _int(params, "year", default_year)
    if kind == "month":
        return Period.month(year, _int(params, "month", 1))
    if kind == "quarter":
        return Period.quarter(year, _int(params, "quarter", 1))
    return Period.year(year)


# --- periods as written in statistics files --------------------------------------------------------

_NAMED = {
    "year": (1, 12, "year"),
    "h1": (1, 6, "period"),
    "h2": (7, 12, "period"),
    "q1": (1, 3, "quarter"),
    "q2": (4, 6, "quarter"),
    "q3": (7, 9, "quarter"),
    "q4": (10, 12, "quarter"),
}
_MONTHS = {
    name: i
    for i, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
_RANGE = re.compile(r"^([a-z]{3})-([a-z]{3})$")
_QUARTER = re.compile(r"^(\d{4})-q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_file_period(text: str, year_text: str = "") -> tuple[str, dt.date, dt.date]:
    """(granularity, start, end) of a period as statistics files write it:
    "2017-03" (a month), "2017-Q1", "2017"; or, with a separate year column, "year", "h1", "q3",
    "03", "jan-oct". Raises PeriodError with the form expected."""
    text = (text or "").strip().lower()
    year_text = (year_text or "").strip()
    expected = _(
        "kỳ phải có dạng 2017-03 (tháng), 2017-Q1 (quý), 2017 (năm), hoặc cột year cùng year/h1/h2/q1–q4/"
        "01–12/jan-oct"
    )
    if year_text:
        if not _YEAR.match(year_text):
            raise PeriodError(_("Năm “%(v)s” không hợp lệ.") % {"v": year_text}, "year")
        year = int(year_text)
        _check(year, 1)
        if text in _NAMED:
            m1, m2, gran = _NAMED[text]
        elif text.isdigit() and 1 <= int(text) <= 12:
            m1 = m2 = int(text)
            gran = "month"
        elif (match := _RANGE.match(text)) and match.group(1) in _MONTHS and match.group(2) in _MONTHS:
            m1, m2 = _MONTHS[match.group(1)], _MONTHS[match.group(2)]
            if m2 < m1:
                raise PeriodError(expected)
            gran = "month" if m1 == m2 else ("year" if (m1, m2) == (1, 12) else "period")
        else:
            raise PeriodError(_("Kỳ “%(v)s”: %(e)s.") % {"v": text, "e": expected})
        return gran, dt.date(year, m1, 1), month_end(year, m2)
    if match := _YM.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        _check(year, month)
        return "month", dt.date(year, month, 1), month_end(year, month)
    if match := _QUARTER.match(text):
        year, q = int(match.group(1)), int(match.group(2))
        _check(year, 1)
        return "quarter", dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q)
    if _YEAR.match(text):
        year = int(text)
        _check(year, 1)
        return "year", dt.date(year, 1, 1), dt.date(year, 12, 31)
    raise PeriodError(_("Kỳ “%(v)s”: %(e)s.") % {"v": text, "e": expected})
