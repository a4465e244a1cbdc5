"""How many trips a gate has on a day: its published figures, weekends, Tết and the fruit harvests."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re

GROWTH = 1.04
# (month peak, width in months, weight): the fruit's harvest as a bump over the year.
SEASONS = {
    "mango": [(4.5, 1.0, 1.0)],
    "lychee": [(6.3, 0.5, 2.2)],
    "longan": [(8.0, 0.8, 1.6)],
    "durian": [(7.0, 1.3, 1.8)],
    "dragon": [(7.0, 1.5, 0.8), (12.5, 1.0, 1.0), (0.5, 1.0, 1.0)],
    "jackfruit": [(6.5, 3.0, 0.4)],
}

_VEHICLES_RE = re.compile(r"(\d[\d,]*) vehicles/day")
_BEFORE_RE = re.compile(r"\((\d+) before\)")
_WAGONS_RE = re.compile(r"about (\d+) export and (\d+)(?:-(\d+))? import")
_SPLIT_RE = re.compile(r"\((\d+) export / (\d+) import\)")


def gate_volumes(gates) -> dict[int, tuple[float, float]]:
    """{gate pk: (vehicles a day, export share)} from the gates' published figures."""
    out = {}
    for gate in gates:
        notes = gate.notes or ""
        volume, share = gate.daily_vehicles, 0.4
        if split := _SPLIT_RE.search(notes):
            e, i = int(split.group(1)), int(split.group(2))
            share = e / (e + i)
        if volume is None and (before := _BEFORE_RE.search(notes)):
            volume = int(before.group(1))
        if volume is None and (wagons := _WAGONS_RE.search(notes)):
            e, i = int(wagons.group(1)), int(wagons.group(3) or wagons.group(2))
            volume, share = e + i, e / (e + i)
        out[gate.pk] = (float(volume or 10), share)
    return out


def _bump(month: float, peak: float, width: float) -> float:
    d = min(abs(month - peak), 12 - abs(month - peak))
    return math.exp(-0.5 * (d / width) ** 2)


def fruit_weights(day: dt.date) -> dict[str, float]:
    """How much of each fruit is being harvested on `day` (0 = none, ~2 = peak)."""
    m = day.month - 1 + (day.day - 0.5) / calendar.monthrange(day.year, day.month)[1]
    return {name: sum(w * _bump(m, p, width) for p, width, w in bumps) for name, bumps in SEASONS.items()}


def day_factor(day: dt.date, tet: dt.date) -> float:
    """The day's traffic against an ordinary weekday: weekends and Tết."""
    f = (1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.7)[day.weekday()]
    offset = (day - tet).days
    if 0 <= offset <= 3:
        f *= 0.05  # the first days of the lunar year: the gates all but close
    elif -2 <= offset <= -1 or 4 <= offset <= 6:
        f *= 0.4
    elif -10 <= offset <= -3:
        f *= 1.15  # goods hurried across before Tết
    return f


def harvest_factor(day: dt.date) -> float:
    """Exports rise with the fruit harvests (1.0 at the quietest time of the year)."""
    return 1.0 + 0.25 * sum(fruit_weights(day).values())
