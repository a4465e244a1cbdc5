"""Source (a): the turnover computed from the declarations, rebuilt from the traffic app's selectors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cuakhau.core.audit import audit_record
from cuakhau.core.loaders import bulk_write
from cuakhau.core.models import User
from cuakhau.core.service import service

from ..models import ALL, ComputedTurnover

DIRECTIONS = {"exit": "export", "entry": "import"}


def _declared_values(start: dt.date, end: dt.date):
    """The traffic app's declared values (traffic is upstream of trade), or nothing when it is not
    installed."""
    from django.apps import apps

    if not apps.is_installed("cuakhau.traffic"):
        return []
    from cuakhau.traffic.selectors import declared_value_sums

    return declared_value_sums(start=start, end=end)


# pg_advisory_xact_lock's key for refreshes of the computed turnover ('trad').
REFRESH_LOCK = 0x74726164


def _serialise_refreshes() -> None:
    """One refresh at a time: two that overlap (the refresh after trips cross and the nightly one)
    would each delete the month's rows before the other's insert is visible, and leave them twice.
    SQLite's transactions already run one at a time (IMMEDIATE); PostgreSQL takes a lock held until
    the transaction ends."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])


@service
def computed_refresh(*, actor: User | None, start: dt.date, end: dt.date) -> dict:
    """Rebuild the computed turnover (source (a)) for the months from `start` to `end`: the declared
    values of the goods lines of trips that crossed, each converted to USD at the central rate of its
    crossing day (Circular 38/2015/TT-BTC art. 21: the rate of the day applies), summed per month at
    three grains: gate x direction x flow x HS chapter (what the Board's pages and reports read), the
    same by enterprise (enterprise users' pages), and each enterprise's month total (the table by
    enterprise)."""
    from ..periods import Period
    from ..rates import RateMissing, RateTable

    _serialise_refreshes()
    period = Period.covering(start, end)
    start, end = period.start, period.end
    table = RateTable(until=end)
    sums: dict[tuple, list] = {}
    for item in _declared_values(start, end):
        direction = DIRECTIONS.get(item["direction"], item["direction"])
        month = item["day"].replace(day=1)
        try:
            usd, missing = table.to_usd(Decimal(item["value"]), item["currency"], item["day"]), 0
        except RateMissing:
            usd, missing = Decimal(0), item["lines"]
        base = (month, item["gate_code"], direction, item["flow"], item["hs_chapter"])
        enterprise = (item["enterprise_id"], item["enterprise_name"])
        keys = (base + (None, ""), base + enterprise, (month, ALL, direction, ALL, ALL) + enterprise)
        for key in keys:
            acc = sums.setdefault(key, [Decimal(0), 0, 0])
            acc[0] += usd
            acc[1] += missing
            acc[2] += item["lines"]
    deleted = ComputedTurnover.objects.filter(month__gte=start, month__lte=end)
    deleted._raw_delete(deleted.db)
    # COPY on PostgreSQL: a month at 2,000 trucks a day is ~22,000 rows, whose INSERTs through the
    # ORM took 8 of a refresh's 11 s (bulk_create elsewhere). The table has no signals to skip.
    bulk_write(
        ComputedTurnover,
        [
            "month",
            "gate_code",
            "direction",
            "flow",
            "hs_chapter",
            "by_enterprise",
            "enterprise_id",
            "enterprise_name",
            "usd",
            "unconverted",
            "line_count",
        ],
        (
            (
                k[0],
                k[1],
                k[2],
                k[3],
                k[4],
                k[5] is not None,
                k[5],
                (k[6] or "")[:255],
                v[0].quantize(Decimal("0.0001")),
                v[1],
                v[2],
            )
            for k, v in sums.items()
        ),
    )
    totals = [v for k, v in sums.items() if k[5] is None]
    # Three grains: the Board's (no enterprise), the detail by enterprise, and each enterprise's month
    # totals (gate, flow, chapter '*'), which the table by enterprise reads.
    summary = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "groups": len(totals),
        "enterprise_groups": len(sums) - len(totals),
        "lines": sum(v[2] for v in totals),
        "unconverted": sum(v[1] for v in totals),
    }
    audit_record(
        action="trade.computed.refresh",
        object_type="trade.computedturnover",
        object_id=start.isoformat(),
        after=summary,
    )
    return summary
