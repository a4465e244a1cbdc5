"""The annual report's figures and the statistics pages on ten years of generated trips (PostgreSQL).

    createdb -h 127.0.0.1 -U postgres cuakhau_gen_10y
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/cuakhau_gen_10y
    .venv/bin/cuakhau migrate && .venv/bin/cuakhau reference load
    .venv/bin/cuakhau demo generate --years 10 --vehicles-per-day 2000 --until 2025   # ~7.3 million trips
    .venv/bin/python bench/annual_report.py --year 2025

Reads the database DATABASE_URL names (it writes nothing) and prints, each next to the same figures
done naively on the raw rows, with the machine's load average:

  * the year-end report's figures (`reports.figures.annual`: published series, the turnover computed
    from declarations through trade's rollup, the fees app's receipts, plans, incidents), against
    summing every goods line of the year's crossed trips with each day's rate and every receipt;
  * the server time of the statistics pages (`/trade/` for a year, `/trade/computed/` for a year with
    its six tables and growth), against building the computed tables from the raw goods lines.

Median of --runs runs after one warm-up. Figures are for comparison on one machine, not promises.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def timed(fn, runs: int):
    fn()
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def naive_computed(year: int) -> dict:
    """Source (a) the slow way: every goods line of the year's crossed trips, converted at its day's
    rate, summed by direction and gate (what the rollup gives in a few index reads)."""
    from decimal import Decimal

    from cuakhau.trade.periods import Period
    from cuakhau.trade.rates import RateMissing, RateTable
    from cuakhau.traffic.selectors import declared_value_sums

    period = Period.year(year)
    table = RateTable(until=period.end)
    out: dict = {}
    for item in declared_value_sums(start=period.start, end=period.end):
        try:
            usd = table.to_usd(Decimal(item["value"]), item["currency"], item["day"])
        except RateMissing:
            continue
        key = (item["direction"], item["gate_code"])
        out[key] = out.get(key, Decimal(0)) + usd
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/annual_report.py needs DATABASE_URL=postgres://... of a generated database")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cuakhau.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from decimal import Decimal

    from django.db import connection
    from django.db.models import Sum
    from django.test import Client

    from cuakhau.core.models import User
    from cuakhau.fees.models import Receipt
    from cuakhau.reports import figures
    from cuakhau.trade.models import ComputedTurnover
    from cuakhau.traffic.models import Declaration, GoodsLine

    y = args.year
    print(f"PostgreSQL {connection.cursor().connection.info.server_version}, {os.cpu_count()} CPUs")
    print(
        f"rows: {Declaration.objects.count():,} declarations, {GoodsLine.objects.count():,} goods lines, "
        f"{Receipt.objects.count():,} receipts, {ComputedTurnover.objects.count():,} computed-turnover rows"
    )
    print(f"load average before: {os.getloadavg()}")

    ms, figs = timed(lambda: figures.annual(y), args.runs)
    print(f"\nannual report figures {y} (reports.figures.annual): {ms:.0f} ms")
    for key in ("turnover_total", "computed_total", "computed_export", "fee_revenue"):
        line = getattr(figs, key)
        print(
            f"  {key}: {line.text if line else '-'} ({line.origin if line else ''}, growth {line.growth if line else '-'})"
        )
    ms_naive, naive = timed(lambda: naive_computed(y), max(1, args.runs // 2))
    naive_total = sum(naive.values(), Decimal(0))
    same = figs.computed_total and abs(Decimal(figs.computed_total.amount) - naive_total) < Decimal("0.01")
    print(
        f"  naive: computed turnover from every goods line of {y}: {ms_naive:.0f} ms ({'same' if same else 'DIFFERENT'})"
    )
    ms_fees, total = timed(
        lambda: Receipt.objects.filter(status="issued", issued_on__year=y).aggregate(s=Sum("amount"))["s"],
        args.runs,
    )
    print(f"  fee revenue {y} from the receipts (the report's own query): {ms_fees:.0f} ms, {total} đồng")

    board = User.objects.filter(role="board_leader", is_active=True).first() or User.objects.create(
        username="bench-leader", role="board_leader"
    )
    client = Client()
    client.force_login(board)
    print("\nstatistics pages, server time (test client, median)")
    for label, url in (
        (f"/trade/computed/ year {y} (6 tables with growth, chart)", f"/trade/computed/?kind=year&year={y}"),
        (f"/trade/computed/ Q3 {y}", f"/trade/computed/?kind=quarter&year={y}&quarter=3"),
        (f"/trade/ year {y} (customs series)", f"/trade/?kind=year&year={y}&series=synthetic_customs"),
    ):
        ms, response = timed(lambda url=url: client.get(url, secure=True), args.runs)
        print(f"  {label}: {ms:.0f} ms (HTTP {response.status_code})")
    ms_naive_tables, _ = timed(lambda: (naive_computed(y), naive_computed(y - 1)), 1)
    print(
        f"  naive: the page's figures by gate for {y} and {y - 1} from the raw goods lines: {ms_naive_tables:.0f} ms"
    )
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
