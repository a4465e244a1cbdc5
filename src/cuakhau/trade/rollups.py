"""Month rollups of the month rows of a series (StatRollup): one row per series, metric, month and
grouping, where a grouping is all ('*' in every key), by gate, by flow, by HS chapter, by gate and
flow, or by gate and chapter. PostgreSQL builds them in one scan with GROUPING SETS; SQLite in six
GROUP BY statements. The naive way (summing StatRow) stays available for cross-checks and the bench.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from .models import ALL

GROUPINGS = [
    (),
    ("gate_code",),
    ("flow",),
    ("hs_chapter",),
    ("gate_code", "flow"),
    ("gate_code", "hs_chapter"),
]
KEYS = ("gate_code", "flow", "hs_chapter")
ROLLUP_COLUMNS = "series_id, metric, month, gate_code, flow, hs_chapter, amount, row_count"


def rebuild(*, series_id: int, first: dt.date, last: dt.date) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM trade_statrollup WHERE series_id = %s AND month >= %s AND month <= %s",
            [series_id, first, last],
        )
        where = "series_id = %s AND granularity = 'month' AND period_start >= %s AND period_start <= %s"
        if connection.vendor == "postgresql":
            keys = ", ".join(f"CASE WHEN GROUPING({k}) = 1 THEN '{ALL}' ELSE {k} END" for k in KEYS)
            sets = ", ".join("(" + ", ".join(g) + ")" for g in GROUPINGS)
            cursor.execute(
                f"INSERT INTO trade_statrollup ({ROLLUP_COLUMNS}) "
                f"SELECT series_id, metric, period_start, {keys}, SUM(amount), COUNT(*) FROM trade_statrow "
                f"WHERE {where} GROUP BY series_id, metric, period_start, GROUPING SETS ({sets})",
                [series_id, first, last],
            )
            return
        for grouping in GROUPINGS:
            keys = ", ".join(k if k in grouping else f"'{ALL}'" for k in KEYS)
            group = "".join(f", {k}" for k in grouping)
            cursor.execute(
                f"INSERT INTO trade_statrollup ({ROLLUP_COLUMNS}) "
                f"SELECT series_id, metric, period_start, {keys}, SUM(amount), COUNT(*) FROM trade_statrow "
                f"WHERE {where} GROUP BY series_id, metric, period_start{group}",
                [series_id, first, last],
            )


def rebuild_all(series_id: int) -> None:
    from django.db.models import Max, Min

    from .models import StatRow

    bounds = StatRow.objects.filter(series_id=series_id, granularity="month").aggregate(
        first=Min("period_start"), last=Max("period_start")
    )
    if bounds["first"]:
        rebuild(series_id=series_id, first=bounds["first"], last=bounds["last"])
