"""The Vietnamese lunisolar calendar, computed astronomically for a given time zone.

This is Hồ Ngọc Đức's published method ("Thuật toán tính âm lịch"): new moons from Meeus' series, the
sun's longitude for the solar terms; month 11 is the month containing the winter solstice, and in a
13-month year the leap month is the first month without a major solar term. Everything depends on
the local day in which a new moon or a solar term falls, hence the time-zone parameter: Vietnam has
used UTC+7 since 1968, China UTC+8, and the two calendars differ in some years (Tết 1985 was 21
January in Vietnam, 20 February in China). Use `VIETNAM_TZ` for anything Vietnamese.

Valid roughly for 1800-2199 (the accuracy of the series used).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

VIETNAM_TZ = 7.0

# Julian day number of date.toordinal() == 1 (0001-01-01, proleptic Gregorian).
_JD_OFFSET = 1721425
_SYNODIC = 29.530588853
_K_EPOCH = 2415021.076998695  # new moon of 1900-01-01, in Julian days
_DR = math.pi / 180


@dataclass(frozen=True, order=True)
class LunarDate:
    year: int
    month: int
    leap: bool
    day: int

    def __str__(self) -> str:
        return f"{self.day:02d}/{self.month:02d}{'+' if self.leap else ''}/{self.year}"


def jd_from_date(d: date) -> int:
    return d.toordinal() + _JD_OFFSET


def date_from_jd(jd: int) -> date:
    return date.fromordinal(jd - _JD_OFFSET)


def _new_moon(k: int) -> float:
    """The moment (Julian day, UT) of the k-th new moon after 1900-01-01."""
    t = k / 1236.85
    t2 = t * t
    t3 = t2 * t
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * _DR)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3  # sun's mean anomaly
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3  # moon's mean anomaly
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3  # moon's argument of latitude
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * _DR) + 0.0021 * math.sin(2 * _DR * m)
    c1 = c1 - 0.4068 * math.sin(mpr * _DR) + 0.0161 * math.sin(_DR * 2 * mpr)
    c1 = c1 - 0.0004 * math.sin(_DR * 3 * mpr)
    c1 = c1 + 0.0104 * math.sin(_DR * 2 * f) - 0.0051 * math.sin(_DR * (m + mpr))
    c1 = c1 - 0.0074 * math.sin(_DR * (m - mpr)) + 0.0004 * math.sin(_DR * (2 * f + m))
    c1 = c1 - 0.0004 * math.sin(_DR * (2 * f - m)) - 0.0006 * math.sin(_DR * (2 * f + mpr))
    c1 = c1 + 0.0010 * math.sin(_DR * (2 * f - mpr)) + 0.0005 * math.sin(_DR * (2 * mpr + m))
    if t < -11:
        deltat = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        deltat = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - deltat


def _sun_longitude(jdn: float) -> float:
    """The sun's apparent longitude (radians, 0..2π) at a Julian day (UT)."""
    t = (jdn - 2451545.0) / 36525
    t2 = t * t
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(_DR * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(_DR * 2 * m) + 0.000290 * math.sin(_DR * 3 * m)
    lon = (l0 + dl) * _DR
    return lon - 2 * math.pi * math.floor(lon / (2 * math.pi))


@lru_cache(maxsize=4096)
def _new_moon_day(k: int, tz: float) -> int:
    """The local day (Julian day number) on which the k-th new moon falls."""
    return math.floor(_new_moon(k) + 0.5 + tz / 24)


def _sun_sector(day_number: int, tz: float) -> int:
    """Which 30° sector (0..11) the sun is in at the start of a local day: the major solar term."""
    return math.floor(_sun_longitude(day_number - 0.5 - tz / 24) / math.pi * 6)


@lru_cache(maxsize=1024)
def _month11_start(year: int, tz: float) -> int:
    """The first day of the 11th lunar month (the one containing the winter solstice) of a year."""
    off = jd_from_date(date(year, 12, 31)) - 2415021
    k = math.floor(off / _SYNODIC)
    nm = _new_moon_day(k, tz)
    if _sun_sector(nm, tz) >= 9:
        nm = _new_moon_day(k - 1, tz)
    return nm


@lru_cache(maxsize=1024)
def _leap_month_offset(a11: int, tz: float) -> int:
    """In a 13-month year starting at month 11 = a11, the offset of the leap month from a11."""
    k = math.floor((a11 - _K_EPOCH) / _SYNODIC + 0.5)
    i = 1
    arc = _sun_sector(_new_moon_day(k + i, tz), tz)
    while True:
        last = arc
        i += 1
        arc = _sun_sector(_new_moon_day(k + i, tz), tz)
        if arc == last or i >= 14:
            break
    return i - 1


def solar_to_lunar(d: date, tz: float = VIETNAM_TZ) -> LunarDate:
    day_number = jd_from_date(d)
    k = math.floor((day_number - _K_EPOCH) / _SYNODIC)
    month_start = _new_moon_day(k + 1, tz)
    if month_start > day_number:
        month_start = _new_moon_day(k, tz)
    a11 = _month11_start(d.year, tz)
    b11 = a11
    if a11 >= month_start:
        lunar_year = d.year
        a11 = _month11_start(d.year - 1, tz)
    else:
        lunar_year = d.year + 1
        b11 = _month11_start(d.year + 1, tz)
    lunar_day = day_number - month_start + 1
    diff = math.floor((month_start - a11) / 29)
    leap = False
    lunar_month = diff + 11
    if b11 - a11 > 365:
        leap_diff = _leap_month_offset(a11, tz)
        if diff >= leap_diff:
            lunar_month = diff + 10
            leap = diff == leap_diff
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return LunarDate(year=lunar_year, month=lunar_month, leap=leap, day=lunar_day)


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False, tz: float = VIETNAM_TZ) -> date:
    """The solar date of a lunar date. ValueError if that lunar date does not exist (a leap month the
    year does not have, or the 30th of a 29-day month)."""
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"invalid lunar date {day}/{month}/{year}")
    if month < 11:
        a11 = _month11_start(year - 1, tz)
        b11 = _month11_start(year, tz)
    else:
        a11 = _month11_start(year, tz)
        b11 = _month11_start(year + 1, tz)
    k = math.floor(0.5 + (a11 - _K_EPOCH) / _SYNODIC)
    off = month - 11
    if off < 0:
        off += 12
    if b11 - a11 > 365:
        leap_off = _leap_month_offset(a11, tz)
        leap_month = leap_off - 2
        if leap_month < 0:
            leap_month += 12
        if leap and month != leap_month:
            raise ValueError(f"lunar year {year} has no leap month {month}")
        if leap or off >= leap_off:
            off += 1
    elif leap:
        raise ValueError(f"lunar year {year} has no leap month")
    month_start = _new_moon_day(k + off, tz)
    if day == 30 and _new_moon_day(k + off + 1, tz) - month_start < 30:
        raise ValueError(f"lunar month {month}/{year} has 29 days")
    return date_from_jd(month_start + day - 1)


def lunar_new_year(year: int, tz: float = VIETNAM_TZ) -> date:
    """Tết Nguyên đán: the first day of the first lunar month of the lunar year starting in `year`."""
    return lunar_to_solar(year, 1, 1, tz=tz)


_CAN = ["Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"]
_CHI = ["Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"]


def year_name(lunar_year: int) -> str:
    """The sexagenary name of a lunar year (2026 is Bính Ngọ)."""
    return f"{_CAN[(lunar_year + 6) % 10]} {_CHI[(lunar_year + 8) % 12]}"
