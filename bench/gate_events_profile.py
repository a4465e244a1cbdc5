"""Where a gate event's CPU goes, in-process: one event after another through Django's WSGI handler
(every middleware, django-ninja, the service, the after-commit seal) against PostgreSQL, no HTTP server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/gate_events_profile.py --vehicles 300 [--profile 30]

Uses bench/gate_events.py's throwaway database and setup (N called trips at Hữu Nghị). Prints the CPU
time of this process per event (time.process_time: the application's share, not PostgreSQL's), the
statements of one gate-in and one gate-out, and with --profile the N functions with the most
cumulative time under cProfile. CPU per event moves much less with the machine's load than throughput.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gate_events  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--vehicles", type=int, default=300)
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument(
        "--statements", action="store_true", help="print the statements of one gate-in and one gate-out"
    )
    parser.add_argument("--dump", default="", help="write the cProfile stats to this file (with --profile)")
    parser.add_argument("--database", default="cuakhau_bench_gate_profile")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL=postgres://user@host:port/anydb")
    gate_events.BENCH_DB = args.database
    gate_events._recreate_database(url)
    try:
        secret, plates, more = gate_events._setup(url, args.vehicles)
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        client = Client(
            HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_HOST="127.0.0.1", raise_request_exception=True
        )

        def post(plate: str, kind: str) -> None:
            response = client.post(
                "/api/v1/traffic/gate-events",
                data=json.dumps({"kind": kind, "yard": "bai-huu-nghi", "plate": plate}),
                content_type="application/json",
                headers={"Idempotency-Key": uuid.uuid4().hex},
            )
            expected = "in_yard" if kind == "in" else "crossed"
            if response.status_code != 201 or response.json()["result"] != expected:
                raise SystemExit(f"{plate} {kind}: {response.status_code} {response.content[:300]!r}")

        warm = more.pop()
        for kind in ("in", "out"):
            post(warm, kind)
        plate = more.pop()
        for kind in ("in", "out"):
            with CaptureQueriesContext(connection) as queries:
                post(plate, kind)
            print(f"gate-{kind}: {len(queries)} statements")
            if args.statements:
                for q in queries:
                    print("   ", q["sql"][:220])
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        profiler = cProfile.Profile(time.process_time) if args.profile else None  # CPU, not waits
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        for p in plates:
            post(p, "in")
            post(p, "out")
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        n = 2 * len(plates)
        print(
            f"{n} events one after another: {cpu * 1000 / n:.2f} ms CPU/event in this process, "
            f"{wall * 1000 / n:.2f} ms wall/event{' (under cProfile)' if profiler else ''}"
        )
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.profile)
            if args.dump:
                profiler.dump_stats(args.dump)
            print(out.getvalue())
        connection.close()
    finally:
        gate_events._recreate_database(url, drop_only=True)


if __name__ == "__main__":
    main()
