"""What the audit hash chain costs under concurrency (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/audit_chain.py --workers 8 --events 2000

Creates a throwaway database (cuakhau_bench_audit) on the server DATABASE_URL points at, migrates it,
and runs N worker processes, each with its own connection, doing M small service-like transactions
(lock one row, change it, audit_record with before/after). Modes, each on the same data:

  plain     audit_record without any sealing: the cost of the INSERT alone (baseline)
  seal      audit_record as shipped: sealed after commit, not waiting for a busy chain head
  blocking  sealed after commit, but each committer queues for the chain head (the naive way)

Then the events left unsealed by `plain` are sealed in one catch-up run, and the whole chain is
verified. Prints events/s and p50/p99 latency of each transaction as the caller sees it (the
after-commit seal included). The figures are for comparison on one machine, not promises.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
BENCH_DB = "cuakhau_bench_audit"


def _server_url(url: str, dbname: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path=f"/{dbname}"))


def _recreate_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(_server_url(url, "postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {BENCH_DB}")


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = _server_url(url, BENCH_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cuakhau.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()


def _worker(mode: str, unit_pk: int, count: int, barrier, results) -> None:
    from django.db import connection, transaction

    from cuakhau.core import audit, audit_chain
    from cuakhau.core.audit import audit_record, snapshot
    from cuakhau.core.context import acting_as
    from cuakhau.core.models import Unit

    if mode == "plain":
        audit._seal_on_commit = lambda: None
    elif mode == "blocking":
        audit_chain.seal_after_commit = lambda: audit_chain.seal_pending(wait=True)

    latencies = []
    with acting_as(None, channel="task", client_ip="10.0.0.1"):
        Unit.objects.filter(pk=unit_pk).exists()  # connect before the clock starts
        barrier.wait()
        started = time.perf_counter()
        for i in range(count):
            t0 = time.perf_counter()
            with transaction.atomic():
                unit = Unit.objects.select_for_update().get(pk=unit_pk)
                before = snapshot(unit, ["name"])
                unit.name = f"Đơn vị thử {unit_pk} lần {i}"
                unit.save(update_fields=["name"])
                audit_record(
                    action="bench.unit_rename", obj=unit, before=before, after=snapshot(unit, ["name"])
                )
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
    connection.close()
    results.put((elapsed, latencies))


def _run(mode: str, units: list[int], per_worker: int) -> dict:
    from django.db import connections

    connections.close_all()  # children must not share the parent's socket
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(len(units)), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(mode, pk, per_worker, barrier, results)) for pk in units]
    wall0 = time.perf_counter()
    for p in procs:
        p.start()
    outcomes = [results.get() for _ in procs]
    for p in procs:
        p.join()
        if p.exitcode:
            raise SystemExit(f"{mode}: a worker failed (exit {p.exitcode})")
    wall = time.perf_counter() - wall0
    latencies = sorted(lat for _, lats in outcomes for lat in lats)
    total = len(latencies)
    slowest = max(elapsed for elapsed, _ in outcomes)
    return {
        "mode": mode,
        "events": total,
        "rate": total / slowest,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(total - 1, int(total * 0.99))] * 1000,
        "wall": wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--events", type=int, default=2000, help="transactions per worker")
    parser.add_argument("--modes", default="plain,seal,blocking")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must point at a PostgreSQL server")
    _recreate_database(url)
    try:
        _setup_django(url)
        from django.core.management import call_command
        from django.db import connection

        from cuakhau.core.audit_chain import seal_pending, verify_chain
        from cuakhau.core.models import AuditEvent, Unit
        from cuakhau.core.roles import UnitKind

        call_command("migrate", verbosity=0)
        units = [
            Unit.objects.create(code=f"bench-{n}", name=f"Đơn vị thử {n}", kind=UnitKind.BOARD_DEPARTMENT).pk
            for n in range(args.workers)
        ]
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        print(
            f"PostgreSQL {version}; {args.workers} workers x {args.events} transactions; cpu {os.cpu_count()}"
        )
        print(f"{'mode':<10} {'events':>8} {'events/s':>10} {'p50 ms':>8} {'p99 ms':>8}  unsealed after")
        for mode in args.modes.split(","):
            if mode != "plain":
                seal_pending()  # start each sealed run from a sealed log
            row = _run(mode, units, args.events)
            row["unsealed"] = AuditEvent.objects.filter(chain_seq__isnull=True).count()
            print(
                f"{row['mode']:<10} {row['events']:>8} {row['rate']:>10.0f} {row['p50']:>8.2f} {row['p99']:>8.2f}"
                f"  {row['unsealed']}"
            )
            if mode == "plain":
                t0 = time.perf_counter()
                sealed = seal_pending()
                took = time.perf_counter() - t0
                print(f"{'catch-up':<10} {sealed:>8} {sealed / took:>10.0f}   (one sealer, batches of 1000)")
        seal_pending()
        t0 = time.perf_counter()
        result = verify_chain()
        took = time.perf_counter() - t0
        print(f"verify: {result} in {took:.2f} s ({result.events / took:.0f} events/s)")
        connection.close()
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            _recreate_database(url, drop_only=True)


if __name__ == "__main__":
    main()
