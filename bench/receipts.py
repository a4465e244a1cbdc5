"""Receipts issued per second on PostgreSQL, alone and with 8 concurrent issuers, next to a plain
single-row INSERT-and-commit baseline measured in the same run (the ratio is the figure).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/receipts.py

A receipt here is the whole cash-collection service as the counter calls it: lock the assessment, open
or find the cashier's shift, lock the series counter row, number and write the receipt, write the payment,
mark the assessment paid, one audit event, commit, then seal the audit event after commit. All receipts go
to ONE series (the worst case: every issuer queues for the same counter row). Creates and drops a
throwaway database beside the one DATABASE_URL names. `--audit-seal background` runs the issuers with
AUDIT_SEAL = "background" (a sealer thread per process instead of a seal after each commit); the run
then checks that the audit chain verifies with nothing left unsealed. Prints the load average before and
after: the machine is shared, and the figures move with it.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import time

import receipts_common as rc

DB = "cuakhau_bench_receipts"


def _baseline_worker(url, count, barrier, out):
    import psycopg

    with psycopg.connect(rc.server_url(url, DB), autocommit=True) as conn:
        barrier.wait()
        t0 = time.perf_counter()
        for i in range(count):
            conn.execute("INSERT INTO bench_baseline (note) VALUES (%s)", (f"row {i}",))
        out.put(time.perf_counter() - t0)


def _receipt_worker(url, cashier_pk, ids, seal, barrier, out):
    rc.setup_django(url, DB)
    from django.conf import settings
    from django.db import connection

    settings.AUDIT_SEAL = seal
    connection.ensure_connection()
    barrier.wait()
    t0 = time.perf_counter()
    rc.collect_many(cashier_pk, ids)
    out.put(time.perf_counter() - t0)
    if seal == "background":
        from cuakhau.core.audit_chain import background_sealer

        background_sealer.stop()  # seals what this worker left pending


def _run(ctx, target, args_for, workers):
    barrier, out = ctx.Barrier(workers), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args_for(i), barrier, out)) for i in range(workers)]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    # wall time from the barrier: the slowest worker's own clock
    times = [out.get() for _ in procs]
    for p in procs:
        p.join()
    return max(times), time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--receipts", type=int, default=1000, help="per run (split among the workers)")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--audit-seal", choices=["commit", "background"], default="commit")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    url = rc.database_url()
    rc.recreate_database(url, DB)
    rc.setup_django(url, DB)
    rc.migrate()
    n, w = args.receipts, args.workers
    cashiers, ids = rc.make_world(cashiers=w, assessments=2 * n)
    from django.db import connection, connections

    with connection.cursor() as cur:
        cur.execute("CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, note text NOT NULL)")
    version = connection.cursor().connection.info.server_version
    connections.close_all()
    ctx = mp.get_context("spawn")

    results = {}
    secs, _ = _run(ctx, _baseline_worker, lambda i: (url, n), 1)
    results["baseline, 1 connection"] = n / secs
    secs, _ = _run(ctx, _baseline_worker, lambda i: (url, n // w), w)
    results[f"baseline, {w} connections"] = (n // w) * w / secs
    alone, together = ids[:n], ids[n:]
    seal = args.audit_seal
    secs, _ = _run(ctx, _receipt_worker, lambda i: (url, cashiers[0], alone, seal), 1)
    results["receipts, 1 issuer"] = n / secs
    per = [together[i::w] for i in range(w)]
    secs, _ = _run(ctx, _receipt_worker, lambda i: (url, cashiers[i], per[i], seal), w)
    results[f"receipts, {w} issuers"] = len(together) / secs

    rc.setup_django(url, DB)
    from django.utils import timezone

    from cuakhau.core.audit_chain import seal_pending, verify_chain
    from cuakhau.fees.selectors import verify_sequence

    problems = verify_sequence(year=timezone.localdate().year)
    left = seal_pending()  # 0 unless an issuer left events unsealed
    chain = verify_chain()
    connections.close_all()
    rc.drop_database(url, DB)

    print(f"PostgreSQL {version // 10000}.{version % 10000}, {os.cpu_count()} CPUs, {n} rows per run")
    width = max(len(k) for k in results)
    for k, v in results.items():
        print(f"  {k:<{width}}  {v:8.0f} /s")
    b1, bw = results["baseline, 1 connection"], results[f"baseline, {w} connections"]
    r1, rw = results["receipts, 1 issuer"], results[f"receipts, {w} issuers"]
    print(f"  ratio receipts/baseline: alone {r1 / b1:.2f}, with {w} concurrent {rw / bw:.2f}")
    print("  sequence after the runs:", problems or "OK")
    print(f"  audit chain ({seal}): {chain}; events left unsealed by the issuers: {left}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if not problems and chain.ok and not left else 1


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
