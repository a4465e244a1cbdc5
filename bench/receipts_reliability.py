"""Receipt numbers under concurrency and after a crash (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/receipts_reliability.py

1. 8 worker processes, each with its own connection, issue 2,000 receipts in one series at once (cash
   collection, the real service). The numbers must be exactly 1..2000.
2. A worker takes the counter lock inside an open transaction (number allocated, receipt row written, not
   committed) and is killed with SIGKILL. Meanwhile another worker waits on the lock. PostgreSQL aborts the
   killed transaction; the waiting worker gets the number the dead one had taken. No gap, no duplicate.
Then `receipts verify-sequence` must print OK. Exit status 0 when both hold.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import signal
import sys
import time

import receipts_common as rc

DB = "cuakhau_bench_receipts_rel"


def _worker(url, cashier_pk, ids, barrier, out):
    rc.setup_django(url, DB)
    from django.db import connection

    connection.ensure_connection()
    barrier.wait()
    out.put(rc.collect_many(cashier_pk, ids))


def _holder(url, cashier_pk, pk, ready):
    """Allocate a number inside a transaction and hang, holding the counter lock, until killed."""
    rc.setup_django(url, DB)
    from django.db import transaction

    from cuakhau.core.context import acting_as
    from cuakhau.core.models import User
    from cuakhau.fees.services import payment_collect_cash

    cashier = User.objects.get(pk=cashier_pk)
    with acting_as(cashier, channel="task"), transaction.atomic():
        receipt = payment_collect_cash(actor=cashier, assessment_id=pk)
        ready.put(receipt.number)
        time.sleep(3600)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--receipts", type=int, default=2000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    url = rc.database_url()
    rc.recreate_database(url, DB)
    rc.setup_django(url, DB)
    rc.migrate()
    cashiers, ids = rc.make_world(cashiers=args.workers + 2, assessments=args.receipts + 3)
    from django.db import connections

    connections.close_all()
    ctx = mp.get_context("spawn")
    ok = True

    # 1. concurrency
    per = [ids[i :: args.workers] for i in range(args.workers)][: args.workers]
    batch = ids[: args.receipts]
    per = [batch[i :: args.workers] for i in range(args.workers)]
    barrier, out = ctx.Barrier(args.workers), ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(url, cashiers[i], per[i], barrier, out))
        for i in range(args.workers)
    ]
    started = time.perf_counter()
    for p in procs:
        p.start()
    numbers = []
    for _ in procs:
        numbers += out.get()
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started
    exact = sorted(numbers) == list(range(1, args.receipts + 1))
    ok &= exact
    print(
        f"concurrency: {args.workers} workers issued {len(numbers)} receipts in {elapsed:.1f}s; "
        f"numbers 1..{args.receipts} exactly: {'yes' if exact else 'NO'}"
    )

    # 2. a worker killed while holding the counter lock
    spare = ids[args.receipts :]
    ready = ctx.Queue()
    holder = ctx.Process(target=_holder, args=(url, cashiers[-1], spare[0], ready))
    holder.start()
    held = ready.get(timeout=60)
    waiter_out, waiter_barrier = ctx.Queue(), ctx.Barrier(1)
    waiter = ctx.Process(target=_worker, args=(url, cashiers[-2], [spare[1]], waiter_barrier, waiter_out))
    waiter.start()
    time.sleep(1.5)
    blocked = waiter_out.empty()
    os.kill(holder.pid, signal.SIGKILL)
    holder.join()
    got = waiter_out.get(timeout=60)
    waiter.join()
    after = rc.collect_many(cashiers[-2], [spare[2]])
    from cuakhau.fees.models import Receipt
    from cuakhau.fees.selectors import verify_sequence

    killed_ok = (
        got == [held] and after == [held + 1] and not Receipt.objects.filter(assessment_id=spare[0]).exists()
    )
    ok &= killed_ok
    print(
        f"crash: killed worker held number {held} (waiter blocked meanwhile: {'yes' if blocked else 'no'}); "
        f"waiter got {got[0]}, next receipt {after[0]}; killed receipt gone: "
        f"{'yes' if not Receipt.objects.filter(assessment_id=spare[0]).exists() else 'NO'}"
    )
    from django.utils import timezone

    problems = verify_sequence(year=timezone.localdate().year)
    ok &= not problems
    print("verify-sequence:", "OK" if not problems else "; ".join(problems))
    connections.close_all()
    if not args.keep:
        rc.drop_database(url, DB)
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
