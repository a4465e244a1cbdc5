"""Source (a): turnover computed from the declarations (ComputedTurnover), scoped to the user, never
added to a series."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from ..models import ALL, ComputedTurnover
from ..periods import Period
from ..permissions import computed_enterprise_filter, is_enterprise_reader, reads_series
from .tables import COMPUTED_DIMENSIONS, EXPORT, IMPORT, ZERO, Table, TableRow, Totals, build_table, shares

if TYPE_CHECKING:
    from cuakhau.core.models import User


def computed_queryset(
    *, user: User | None, by_enterprise: bool = False, enterprise_totals: bool = False
) -> QuerySet[ComputedTurnover]:
    """ComputedTurnover rows the user may read, at one grain. Statistics readers read every row: the
    Board grain (no enterprise) by default, the detail by enterprise with `by_enterprise`, or each
    enterprise's month totals (gate, flow and chapter '*') with `enterprise_totals`. An enterprise
    user reads their own enterprise's rows only; anyone else nothing."""
    if reads_series(user):
        qs = ComputedTurnover.objects.all()
    else:
        unit_id = computed_enterprise_filter(user) if user is not None and user.is_authenticated else None
        if not unit_id or not is_enterprise_reader(user):
            return ComputedTurnover.objects.none()
        from cuakhau.parties.models import Enterprise

        qs = ComputedTurnover.objects.filter(
            enterprise_id__in=Enterprise.objects.filter(unit_id=unit_id).values("pk")
        )
        by_enterprise = True
    if enterprise_totals:
        return qs.filter(by_enterprise=True, gate_code=ALL)
    if by_enterprise:
        return qs.filter(by_enterprise=True).exclude(gate_code=ALL)
    return qs.filter(by_enterprise=False)


_COMPUTED_FIELDS = {"gate": "gate_code", "flow": "flow", "hs": "hs_chapter", "month": "month"}


def _computed_rows(
    *, user: User | None, period: Period, gate: str, enterprise: bool, cache: dict | None
) -> list[dict]:
    """The period's rows at the grain the tables add up (one query; a page's six tables share it
    through `cache`)."""
    key = (period.first, period.last, gate, enterprise)
    if cache is not None and key in cache:
        cached: list[dict] = cache[key]
        return cached
    if enterprise:
        qs = computed_queryset(user=user, enterprise_totals=not gate, by_enterprise=bool(gate))
        fields = ["enterprise_id", "enterprise_name", "direction"]
    else:
        qs = computed_queryset(user=user)
        fields = ["month", "gate_code", "flow", "hs_chapter", "direction"]
    qs = qs.filter(month__gte=period.start, month__lte=period.end)
    if gate:
        qs = qs.filter(gate_code=gate)
    rows = list(qs.values(*fields).annotate(s=Sum("usd")).order_by())
    if cache is not None:
        cache[key] = rows
    return rows


def computed_amounts(
    *, user: User | None, period: Period, by: str | None = None, gate: str = "", cache: dict | None = None
) -> dict[str, dict[str, Decimal]]:
    """{key: {metric: USD}} of the computed turnover in a period, by a dimension (gate, flow, hs,
    month, direction, enterprise) or None (key '')."""
    rows = _computed_rows(user=user, period=period, gate=gate, enterprise=by == "enterprise", cache=cache)
    result: dict[str, dict[str, Decimal]] = {}
    for item in rows:
        if by == "enterprise":
            key = _enterprise_key(item)
        elif by == "direction":
            key = item["direction"]
        elif by in _COMPUTED_FIELDS:
            key = item[_COMPUTED_FIELDS[by]]
            key = key.strftime("%Y-%m") if isinstance(key, dt.date) else str(key or "")
        else:
            key = ""
        metric = EXPORT if item["direction"] == "export" else IMPORT
        bucket = result.setdefault(key, {})
        bucket[metric] = bucket.get(metric, ZERO) + Decimal(item["s"] or 0)
    return result


def _enterprise_key(item: dict) -> str:
    return "" if item["enterprise_id"] is None else str(item["enterprise_id"])


def computed_table(*, user: User | None, period: Period, by: str, cache: dict | None = None) -> Table:
    """A table of the computed turnover by a dimension, with growth on the same period a year earlier.
    Pass the same `cache` dict to build several tables of one page from one query per period."""
    if by not in COMPUTED_DIMENSIONS:
        raise ValueError(by)
    cache = {} if cache is None else cache
    current = computed_amounts(user=user, period=period, by=by, cache=cache)
    earlier = computed_amounts(user=user, period=period.same_last_year(), by=by, cache=cache)
    if by == "month":
        earlier = {f"{int(k[:4]) + 1:04d}{k[4:]}": v for k, v in earlier.items()}
    if by == "direction":
        current = {("export" if EXPORT in v else "import"): v for v in current.values()}
        earlier = {("export" if EXPORT in v else "import"): v for v in earlier.values()}
        out = Table(by=by)
        for key in sorted(current):
            data, before = current[key], earlier.get(key)
            out.rows.append(
                TableRow(
                    key=key,
                    label=str(_("Xuất khẩu") if key == "export" else _("Nhập khẩu")),
                    export=data.get(EXPORT, ZERO),
                    import_=data.get(IMPORT, ZERO),
                    previous_total=sum(before.values(), ZERO) if before else None,
                )
            )
        return shares(out)
    if by == "enterprise":
        rows = _computed_rows(user=user, period=period, gate="", enterprise=True, cache=cache)
        names = {_enterprise_key(item): item["enterprise_name"] for item in rows}
        out = Table(by=by)
        for key, data in current.items():
            before = earlier.get(key)
            out.rows.append(
                TableRow(
                    key=key,
                    label=names.get(key) or _("(không rõ doanh nghiệp)"),
                    export=data.get(EXPORT, ZERO),
                    import_=data.get(IMPORT, ZERO),
                    previous_total=(before.get(EXPORT, ZERO) + before.get(IMPORT, ZERO)) if before else None,
                )
            )
        out.rows.sort(key=lambda r: (-r.total, r.key))
        return shares(out)
    return build_table(by, current, earlier)


def computed_totals(*, user: User | None, period: Period, cache: dict | None = None) -> Totals:
    rows = _computed_rows(user=user, period=period, gate="", enterprise=False, cache=cache)
    data = computed_amounts(user=user, period=period, cache=cache).get("", {})
    months = len({r["month"] for r in rows})
    return Totals(export=data.get(EXPORT, ZERO), import_=data.get(IMPORT, ZERO), months_with_data=months)


def computed_period_totals(period: Period) -> Totals | None:
    """Board-wide turnover computed from declarations in a period (the reports' figure, not scoped:
    the report page is), or None when no trip crossed in it."""
    qs = ComputedTurnover.objects.filter(by_enterprise=False, month__gte=period.start, month__lte=period.end)
    data = {
        row["direction"]: Decimal(row["s"] or 0)
        for row in qs.values("direction").annotate(s=Sum("usd")).order_by()
    }
    if not data:
        return None
    months = qs.values("month").distinct().count()
    return Totals(export=data.get("export", ZERO), import_=data.get("import", ZERO), months_with_data=months)


def computed_latest_year() -> tuple[int, Totals] | None:
    """The latest year in which trips crossed, and the Board-wide turnover computed for it so far
    (the dashboard's figure; not scoped: the card is shown to statistics readers only), or None when
    nothing has been computed."""
    last = (
        ComputedTurnover.objects.filter(by_enterprise=False)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    if last is None:
        return None
    totals = computed_period_totals(Period.year(last.year))
    return (last.year, totals) if totals is not None else None
