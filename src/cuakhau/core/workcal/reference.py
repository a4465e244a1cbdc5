"""Reference data: the official holiday periods of recent years, entered through the service as
each year's decision. A year already entered (by staff or an earlier load) is left alone."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from . import signals  # noqa: F401  (cache invalidation on any calendar write)

DATA = Path(__file__).resolve().parent.parent / "data" / "holidays_vn.csv"
SOURCE_NOTE = "Nạp từ dữ liệu tham chiếu holidays_vn.csv (các kỳ nghỉ chính thức đã công bố)."


def _dates(text: str) -> list[date]:
    return [date.fromisoformat(part) for part in text.replace(";", " ").split()]


def read_periods(path: Path = DATA) -> dict[int, dict]:
    """{year: {"days_off": [(date, holiday, name)], "working_days": [date]}} for the
    years whose every row is official."""
    years: dict[int, dict] = defaultdict(lambda: {"days_off": [], "working_days": [], "ok": True})
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            entry = years[int(row["year"])]
            if row["status"].strip() != "official":
                entry["ok"] = False
                continue
            first, last = date.fromisoformat(row["first_day_off"]), date.fromisoformat(row["last_day_off"])
            day = first
            while day <= last:
                entry["days_off"].append((day, row["holiday"], ""))
                day += timedelta(days=1)
            entry["working_days"] += _dates(row["worked_weekend_days"])
    return {year: entry for year, entry in sorted(years.items()) if entry["ok"]}


def load_holidays() -> str:
    from ..models import CalendarYear
    from ..services.calendar import calendar_year_enter

    periods = read_periods()
    entered = 0
    for year, entry in periods.items():
        if CalendarYear.objects.filter(year=year).exists():
            continue
        calendar_year_enter(
            actor=None,
            year=year,
            decision="",
            days_off=entry["days_off"],
            working_days=entry["working_days"],
            notes=SOURCE_NOTE,
        )
        entered += 1
    return f"{entered} years entered, {len(periods) - entered} already present"
