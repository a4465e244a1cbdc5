"""Trade statistics at ten years (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/trade.py

Creates a throwaway database (cuakhau_bench_trade) on the server DATABASE_URL points at, migrates it,
loads the gates and series, writes a synthetic customs-statistics CSV of ten years (months x 9 gates x
2 directions x 4 goods flows x 58 HS chapters x 2 headings = 1,002,240 rows, volumes shaped by
border_gates.csv), and prints:

  * the import of that file with `stats_import` (check every line, COPY, rebuild the rollups), all or nothing;
  * each year's export/import/total from the rollups next to the same sums done naively on the raw rows;
  * the server time of the statistics page (a year, every table and chart) through Django's test client;

then drops the database. The figures are for comparison on one machine, not promises.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
BENCH_DB = "cuakhau_bench_trade"


def _server_url(url: str, dbname: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{dbname}"))


def _recreate(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(_server_url(url, "postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {BENCH_DB}")


def _write_file(path: str, years: int, first_year: int) -> int:
    from cuakhau.trade import synthetic

    def doubled():
        for period, gate, direction, flow, chapter, value in synthetic.rows(
            first_year=first_year, years=years, vehicles_per_day=2000, chapters=58, seed=11
        ):
            half = (value / 2).quantize(1)
            yield period, gate, direction, flow, chapter, half
            yield period, gate, direction, flow, chapter, value - half

    return synthetic.write_csv(path, doubled())


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--first-year", type=int, default=2015)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("bench/trade.py needs DATABASE_URL=postgres://...")
    _recreate(url)
    os.environ["DATABASE_URL"] = _server_url(url, BENCH_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cuakhau.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _recreate(url, drop_only=True)


def run(args) -> None:
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Sum
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cuakhau.core.context import acting_as
    from cuakhau.core.models import User
    from cuakhau.core.reference import load_units
    from cuakhau.gates.reference import load_gates
    from cuakhau.trade import selectors
    from cuakhau.trade.models import SeriesKind, StatRollup, StatRow
    from cuakhau.trade.parsing import MACHINE
    from cuakhau.trade.periods import Period
    from cuakhau.trade.reference import load_reference_series
    from cuakhau.trade.services import series_ensure, stats_import

    call_command("migrate", verbosity=0)
    with acting_as(None, channel="cli"):
        load_units()
        load_gates()
        load_reference_series()
        series = series_ensure(actor=None, code="bench", name="Bench", kind=SeriesKind.TURNOVER)
    print(
        f"PostgreSQL {connection.cursor().connection.info.server_version}, {os.cpu_count()} CPUs, {_load()}"
    )

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "customs.csv")
        t0 = time.perf_counter()
        lines = _write_file(path, args.years, args.first_year)
        size = os.path.getsize(path) / 1e6
        print(f"file: {lines:,} rows, {size:.0f} MB, written in {time.perf_counter() - t0:.1f}s")
        phases = {}
        last = [time.perf_counter()]

        def progress(done):
            if done >= lines:
                phases["check"] = time.perf_counter() - last[0]

        t0 = time.perf_counter()
        with acting_as(None, channel="cli"):
            summary = stats_import(
                actor=None, series=series, path=path, progress=progress, name="customs.csv", lang=MACHINE
            )
        total = time.perf_counter() - t0
        print(
            f"import: {summary['rows']:,} rows in {total:.1f}s (check {phases.get('check', 0):.1f}s, "
            f"write + rollups {total - phases.get('check', 0):.1f}s), {summary['rows'] / total:,.0f} rows/s"
        )
    print(
        f"raw rows {StatRow.objects.filter(series=series).count():,}, rollup rows {StatRollup.objects.filter(series=series).count():,}"
    )

    print("\nannual figures (USD): rollups vs naive sums over the raw rows")
    fast_times, naive_times = [], []
    for year in range(args.first_year, args.first_year + args.years):
        period = Period.year(year)
        t0 = time.perf_counter()
        fast = selectors.totals(series=series, period=period)
        fast_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        naive = {
            r["metric"]: r["s"]
            for r in StatRow.objects.filter(series=series, granularity="month", period_start__year=year)
            .values("metric")
            .annotate(s=Sum("amount"))
            .order_by()
        }
        naive_times.append(time.perf_counter() - t0)
        same = fast.export == naive.get("turnover_export", Decimal(0)) and fast.import_ == naive.get(
            "turnover_import", Decimal(0)
        )
        print(
            f"  {year}: total {fast.total / 1_000_000:,.3f} M USD  rollup {fast_times[-1] * 1000:6.1f} ms  "
            f"naive {naive_times[-1] * 1000:7.1f} ms  {'same' if same else 'DIFFERENT'}"
        )
    print(f"  all ten years: rollups {sum(fast_times) * 1000:.0f} ms, naive {sum(naive_times) * 1000:.0f} ms")
    t0 = time.perf_counter()
    ten = selectors.totals(
        series=series, period=Period.custom(args.first_year, 1, args.first_year + args.years - 1, 12)
    )
    t1 = time.perf_counter()
    ten_naive = StatRow.objects.filter(series=series, granularity="month").aggregate(s=Sum("amount"))["s"]
    t2 = time.perf_counter()
    print(
        f"  ten-year total in one query: rollup {(t1 - t0) * 1000:.0f} ms, naive {(t2 - t1) * 1000:.0f} ms, {'same' if ten.total == ten_naive else 'DIFFERENT'}"
    )

    t0 = time.perf_counter()
    for by in ("gate", "hs", "flow"):
        selectors.table(
            series=series,
            period=Period.year(args.first_year + args.years - 1),
            by=by,
            filters=selectors.Filters(),
            naive=True,
        )
    print(f"  three tables of a year, naive: {(time.perf_counter() - t0) * 1000:.0f} ms")

    leader = User.objects.create(username="bench-leader", role="board_leader")
    client = Client()
    client.force_login(leader)
    year = args.first_year + args.years - 1
    timings = []
    print(f"\n{_load()}")
    for query in (
        f"kind=year&year={year}",
        f"kind=quarter&year={year}&quarter=3",
        f"kind=custom&from={args.first_year}-01&to={year}-12",
    ):
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            response = client.get(f"/trade/?series=bench&{query}", secure=True)
            runs.append(time.perf_counter() - t0)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"/trade/?series=bench&{query}", secure=True)
        sql = [q for q in ctx.captured_queries if "trade_" in q["sql"]]
        ms = sum(float(q["time"]) for q in sql) * 1000
        timings.append((query, statistics.median(runs), len(sql), ms))
    print("statistics page (summary, 5 tables, 2 charts), server time, median of 5:")
    for query, t, n, ms in timings:
        print(f"  /trade/?{query}: {t * 1000:.0f} ms ({n} trade queries, {ms:.0f} ms of SQL)")
    t0 = time.perf_counter()
    response = client.get(f"/trade/?series=bench&kind=year&year={year}&export=all", secure=True)
    print(
        f"  Excel export of every table: {(time.perf_counter() - t0) * 1000:.0f} ms, {len(response.content) / 1000:.0f} kB"
    )
    print(_load())


if __name__ == "__main__":
    main()
