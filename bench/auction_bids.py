"""Benchmark: 200 simulated bidders placing bids in the last minute of an online auction on PostgreSQL.

A throwaway database is created beside DATABASE_URL, migrated, and given one live auction with 200
eligible bidders (registered and paid through the services). The auction clock is set so that one minute
of bidding remains. Worker threads, each with its own database connection, play the bidders (the server
allows 100 connections in all, so 200 bidders share --workers connections, each worker taking turns for
its bidders): read the current best, bid best + step (sometimes one or two steps more) through
services.bid_place, and keep trying for two seconds after the close.

Checks after the run: every accepted bid is at least the previous best plus the step; no accepted bid is
missing from the chain and the chain verifies; no bid was accepted at or after the close (server time).
Prints accepted bids per second, latency percentiles of accepted bids and of all attempts, and the load
average.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cuakhau_auction_dev .venv/bin/python bench/auction_bids.py
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
import receipts_common as rc  # noqa: E402

DB_NAME = "cuakhau_bench_auction"


def pct(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def build_world(bidders: int):
    from cuakhau.auctions import clock
    from cuakhau.auctions.rules import load_rule_packs
    from cuakhau.core.context import acting_as
    from cuakhau.core.reference import load_units
    from cuakhau.gates.reference import load_gates
    from tests.factories import EnterpriseFactory, auction_draft, auction_drive

    with acting_as(None, channel="cli"):
        load_units()
        load_gates()
        load_rule_packs()
        firms = [EnterpriseFactory() for _ in range(bidders)]
        auction, regs = auction_drive(
            auction_draft(code="DG-BENCH", step=1_000_000, session_minutes=15), until="live", bidders=firms
        )
    # one minute of bidding left, on the server's clock
    clock.shift(auction.ends_at - clock.now() - datetime.timedelta(seconds=60))
    return auction, [r.pk for r in regs]


def run(auction, reg_ids, workers: int, grace: float):
    from django.db import connections

    from cuakhau.auctions import clock, services
    from cuakhau.auctions.models import Auction
    from cuakhau.core.context import acting_as
    from cuakhau.core.errors import ServiceError

    accepted, attempts, refused_after_close, errors = [], [], [], []
    lock = threading.Lock()
    ends_at = auction.ends_at
    stop_at = ends_at + datetime.timedelta(seconds=grace)
    chunks = [reg_ids[i::workers] for i in range(workers)]

    def work(mine):
        rnd = random.Random(mine[0])
        local_acc, local_att = [], []
        try:
            with acting_as(None, channel="bench"):
                while clock.now() < stop_at:
                    reg = rnd.choice(mine)
                    best = Auction.objects.filter(pk=auction.pk).values_list("best_amount", flat=True).get()
                    amount = (
                        (best + 1_000_000 * rnd.choice((1, 1, 1, 2, 3))) if best else auction.starting_price
                    )
                    t0 = time.perf_counter()
                    try:
                        bid = services.bid_place(auction_id=auction.pk, registration_id=reg, amount=amount)
                    except ServiceError:
                        local_att.append(time.perf_counter() - t0)
                        if clock.now() >= ends_at:
                            with lock:
                                refused_after_close.append(1)
                        continue
                    dt = time.perf_counter() - t0
                    local_att.append(dt)
                    local_acc.append((bid.seq, dt))
        except Exception as exc:  # noqa: BLE001 - reported
            errors.append(repr(exc))
        finally:
            connections.close_all()
            with lock:
                accepted.extend(local_acc)
                attempts.extend(local_att)

    threads = [threading.Thread(target=work, args=(c,)) for c in chunks if c]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return accepted, attempts, refused_after_close, errors, wall


def verify(auction, accepted):
    from cuakhau.auctions import chain
    from cuakhau.auctions.models import Auction, BidKind

    auction = Auction.objects.get(pk=auction.pk)
    problems = []
    bids = list(
        auction.bids.filter(kind=BidKind.BID).order_by("seq").values_list("seq", "amount", "placed_at")
    )
    prev = None
    for seq, amount, placed_at in bids:
        if prev is not None and amount < prev + auction.step:
            problems.append(f"bid #{seq} {amount} < previous {prev} + step")
        if placed_at >= auction.ends_at:
            problems.append(f"bid #{seq} accepted at {placed_at}, after the close {auction.ends_at}")
        prev = amount
    seqs = {s for s, _dt in accepted}
    if seqs != {s for s, _a, _p in bids}:
        problems.append(f"accepted by the service {len(seqs)} != in the chain {len(bids)}")
    verdict = chain.verify(auction)
    if not verdict.ok:
        problems.append(f"chain: {verdict.problem} at {verdict.broken_at}")
    return bids, problems


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bidders", type=int, default=200)
    parser.add_argument(
        "--workers", type=int, default=40, help="connections (threads); the server allows 100"
    )
    parser.add_argument("--grace", type=float, default=2.0, help="seconds of bidding after the close")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    parser.add_argument(
        "--database",
        default=DB_NAME,
        help=f"the throwaway database's name (dropped and made again; {DB_NAME})",
    )
    args = parser.parse_args()
    url = rc.database_url()
    rc.recreate_database(url, args.database)
    try:
        rc.setup_django(url, args.database)
        rc.migrate()
        auction, regs = build_world(args.bidders)
        load_before = os.getloadavg()
        accepted, attempts, after_close, errors, wall = run(auction, regs, args.workers, args.grace)
        load_after = os.getloadavg()
        bids, problems = verify(auction, accepted)
        window = 60.0
        acc_lat = [dt for _s, dt in accepted]
        print(
            f"bidders {args.bidders}, worker connections {args.workers}, bidding window {window:.0f} s "
            f"(+{args.grace:.0f} s after the close), wall {wall:.1f} s"
        )
        print(
            f"attempts {len(attempts)}, accepted {len(accepted)} ({len(accepted) / window:.1f} accepted bids/s), "
            f"refused {len(attempts) - len(accepted)} (of which after the close {len(after_close)})"
        )
        print(
            f"latency accepted: p50 {pct(acc_lat, 50) * 1000:.1f} ms, p99 {pct(acc_lat, 99) * 1000:.1f} ms, "
            f"max {max(acc_lat, default=0) * 1000:.1f} ms"
        )
        print(
            f"latency all attempts: p50 {pct(attempts, 50) * 1000:.1f} ms, p99 {pct(attempts, 99) * 1000:.1f} ms"
        )
        print(f"final best {bids[-1][1] if bids else None}; chain entries {len(bids)}")
        print(
            f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
            f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}; cpus {os.cpu_count()}"
        )
        if errors:
            print("errors:", errors[:5])
        if problems:
            print("PROBLEMS:", *problems[:10], sep="\n  ")
            return 1
        print(
            "checks: every accepted bid >= previous + step; none lost; none at or after the close; chain verifies"
        )
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            rc.drop_database(url, args.database)


if __name__ == "__main__":
    sys.exit(main())
