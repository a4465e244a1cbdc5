"""Gate events through the HTTP API against PostgreSQL: events per second and latency.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/gate_events.py --vehicles 600 --workers 8 --rate 50

Creates a throwaway database (cuakhau_bench_gate) on the server DATABASE_URL points at, migrates it,
loads the reference data (gates, units, tariffs), and prepares N called-forward trips at Hữu Nghị (the
setup writes rows directly; it is not what is measured). It then starts the application server
(gunicorn with deploy/gunicorn.conf.py, the production settings: a worker per core with 4 threads each,
DEBUG off; `--server runserver` for Django's own) on a free port and drives it with a device token:

1. sustained: W client threads post gate-in then gate-out for every vehicle as fast as the server
   answers (each gate-in matches the plate, moves the trip into the yard, opens a yard stay and assesses
   the fee through fees.services.fee_assess; each gate-out checks the agency checks and crosses);
2. paced: a second set of trips, events offered at a fixed rate (default 50/s).

Each event carries its own Idempotency-Key, and every one of them is checked to have been applied.
Latency is per HTTP request as the client sees it. Prints events/s, p50 and p99, and the CPU time the
server's processes spent per event (the application's workers and the PostgreSQL backends serving them,
from /proc) and the client's own (it shares the cores): on a machine shared with other work, throughput
and latency move with the load average, the CPU cost of an event much less.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH_DB = "cuakhau_bench_gate"
SERVER_ENV: dict[str, str] = {}  # extra environment of the server (--audit-seal)


def _server_url(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + dbname, parts.query, parts.fragment))


def _recreate_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(_server_url(url, "postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {BENCH_DB}")


def _env(url: str) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": _server_url(url, BENCH_DB),
        "DJANGO_SETTINGS_MODULE": "cuakhau.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "ERROR",
    }


def _setup(url: str, vehicles: int) -> tuple[str, list[str], list[str]]:
    """Migrate, load reference data, make 2 x `vehicles` called trips; return the device secret and the
    plates of the two batches."""
    os.environ.update(_env(url))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from cuakhau.core.context import acting_as
    from cuakhau.core.loaders import reference_loaders
    from cuakhau.core.models import Unit, User
    from cuakhau.core.services.org import token_create
    from cuakhau.gates.models import Gate
    from cuakhau.parties.models import Driver, Enterprise, Vehicle
    from cuakhau.parties.services import driver_register, enterprise_register
    from cuakhau.traffic.models import AgencyCheck, Declaration, GoodsLine, Yard

    call_command("migrate", verbosity=0)
    with acting_as(None, channel="cli"):
        for _name, loader in reference_loaders():
            loader()
        enterprise = Enterprise.objects.filter(tax_code="0100233488").first() or enterprise_register(
            actor=None, tax_code="0100233488", name="Công ty Bench"
        )
        driver = Driver.objects.first() or driver_register(
            actor=None,
            full_name="Lái xe Bench",
            id_kind="cccd",
            id_number="020085001234",
            employer=enterprise,
        )
        unit = Unit.objects.get(code="ttqlck-huu-nghi")
        device = User.objects.create(
            username="camera-bench", role="gate_operator", unit=unit, is_service_account=True
        )
        _token, secret = token_create(actor=None, user=device, name="Bench camera")
        # Hữu Nghị's exit rule (reference data) wants the fee paid before a truck leaves; the bench's
        # trips leave owing instead, within an approved debt limit, so that a gate-in still finds its fee
        # due as it always has and a gate-out reads the fee, the payer's deposit, limit and debts (one
        # statement, fees.selectors.exit_standing). Arranged directly, as the trips are.
        from cuakhau.fees.services import credit_limit_set
        from cuakhau.traffic.models import GateExitRule

        GateExitRule.objects.filter(gate__code="HUUNGHI").update(mode="deposit_or_credit")
        credit_limit_set(actor=None, payer_unit=enterprise.unit, amount=10**12, decision="bench")
    gate = Gate.objects.get(code="HUUNGHI")
    Yard.objects.get_or_create(
        code="bai-huu-nghi", defaults={"gate": gate, "name": "Bãi Hữu Nghị", "capacity": 5000}
    )
    plates = []
    now = timezone.now()
    rows = []
    for i in range(2 * vehicles):
        number = 10000 + i
        plate = f"12C-{number // 100:03d}.{number % 100:02d}"
        plates.append(plate)
        rows.append(
            Vehicle(
                plate=plate,
                plate_key=plate.replace("-", "").replace(".", ""),
                country="VN",
                kind="truck",
                owner=enterprise,
                tonnage=15,
            )
        )
    Vehicle.objects.bulk_create(rows)
    vehicles_by_key = {v.plate_key: v for v in Vehicle.objects.all()}
    declarations = [
        Declaration(
            enterprise=enterprise,
            vehicle=vehicles_by_key[p.replace("-", "").replace(".", "")],
            driver=driver,
            gate=gate,
            flow="export",
            direction="exit",
            planned_arrival=now,
            status="called",
            queue_number=i + 1,
            approved_at=now,
            called_at=now,
            pass_nonce="bench",
        )
        for i, p in enumerate(plates)
    ]
    Declaration.objects.bulk_create(declarations, batch_size=500)
    made = list(Declaration.objects.all())
    GoodsLine.objects.bulk_create(
        [
            GoodsLine(
                declaration=d,
                line_no=1,
                hs_code="62034290",
                description="Quần áo",
                quantity=1000,
                unit="chiếc",
                gross_kg=4000,
                value=100000000,
                currency="VND",
                value_vnd=100000000,
            )
            for d in made
        ],
        batch_size=500,
    )
    AgencyCheck.objects.bulk_create(
        [
            AgencyCheck(declaration=d, agency_kind=k, status="passed", decided_at=now)
            for d in made
            for k in ("customs", "border_guard", "medical_quarantine")
        ],
        batch_size=1000,
    )
    from django.db import connections

    connections.close_all()
    return secret, plates[:vehicles], plates[vehicles:]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(
    url: str, port: int, log: str, kind: str, workers: int = 0, threads: int = 0
) -> subprocess.Popen:
    if kind == "gunicorn":
        # The production settings (deploy/gunicorn.conf.py: a worker per core, threads in each, every
        # thread keeping its connection), with --server-workers/--server-threads to try others.
        command = [
            str(ROOT / ".venv/bin/gunicorn"),
            "--config",
            str(ROOT / "deploy/gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT / "src"),
        ]
        if workers:
            command += ["--workers", str(workers)]
        if threads:
            command += ["--threads", str(threads)]
        command.append("cuakhau.wsgi:application")
    else:
        command = [str(ROOT / ".venv/bin/cuakhau"), "runserver", "--noreload", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        command,
        env=_env(url) | SERVER_ENV,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),  # noqa: SIM115
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


def _post(port: int, secret: str, body: dict) -> tuple[float, dict]:
    # A new connection per event. Kept-alive connections measured worse (76 events/s against 103, same
    # load and CPU/event), likely because gunicorn's threaded worker keeps a connection on the worker
    # that accepted it, so an uneven split of the 8 clients leaves one worker's threads idle.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    payload = json.dumps(body)
    started = time.perf_counter()
    conn.request(
        "POST",
        "/api/v1/traffic/gate-events",
        body=payload,
        headers={
            "Authorization": f"Bearer {secret}",
            "Idempotency-Key": uuid.uuid4().hex,
            "Content-Type": "application/json",
        },
    )
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    if response.status != 201:
        raise RuntimeError(f"{response.status} {data[:300]!r}")
    return elapsed, json.loads(data)


def _trip(port: int, secret: str, plate: str) -> list[float]:
    latencies = []
    for kind, expected in (("in", "in_yard"), ("out", "crossed")):
        elapsed, body = _post(port, secret, {"kind": kind, "yard": "bai-huu-nghi", "plate": plate})
        if body["result"] != expected:
            raise RuntimeError(f"{plate} {kind}: {body['result']} {body['detail']}")
        latencies.append(elapsed)
    return latencies


def _proc_cpu(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            continue
        for kid in kids:
            found += [kid, *_children(kid)]
    return found


class _CpuMeter:
    """CPU seconds of the server's processes and of the PostgreSQL backends of the bench database."""

    def __init__(self, url: str, server: subprocess.Popen) -> None:
        self.url, self.server = url, server

    def _pids(self) -> tuple[list[int], list[int]]:
        import psycopg

        with psycopg.connect(_server_url(self.url, "postgres"), autocommit=True) as conn:
            db = [
                r[0]
                for r in conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s", (BENCH_DB,)
                ).fetchall()
            ]
        return [self.server.pid, *_children(self.server.pid)], db

    def sample(self) -> dict[str, dict[int, float]]:
        app, db = self._pids()
        return {
            "app": {p: _proc_cpu(p) for p in app},
            "db": {p: _proc_cpu(p) for p in db},
            "client": {os.getpid(): _proc_cpu(os.getpid())},
        }

    @staticmethod
    def spent(before: dict, after: dict) -> dict[str, float]:
        return {
            part: sum(cpu - before[part].get(pid, 0.0) for pid, cpu in after[part].items())
            for part in ("app", "db", "client")
        }


def _report(name: str, latencies: list[float], seconds: float, cpu: dict[str, float] | None = None) -> None:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    line = (
        f"{name:<28} {len(ordered):>6} events  {len(ordered) / seconds:8.1f} events/s  "
        f"p50 {statistics.median(ordered) * 1000:7.1f} ms  p99 {p99 * 1000:7.1f} ms"
    )
    if cpu:
        n = len(ordered)
        line += (
            f"  CPU/event: app {cpu['app'] * 1000 / n:5.1f} ms, db {cpu['db'] * 1000 / n:5.1f} ms"
            f" (client {cpu['client'] * 1000 / n:4.1f} ms)"
        )
    print(line)


def _check_audit_chain() -> None:
    """Every audit event the run wrote is sealed (give a background sealer a moment) and the chain
    verifies."""
    from django.db import connections

    from cuakhau.core.audit_chain import verify_chain
    from cuakhau.core.models import AuditEvent

    deadline = time.monotonic() + 10
    while AuditEvent.objects.filter(chain_seq__isnull=True).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    result = verify_chain()
    print(f"audit chain: {result}, {result.unsealed} unsealed")
    connections.close_all()
    if not result.ok or result.unsealed:
        raise SystemExit("the audit chain is not whole")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--vehicles", type=int, default=600, help="trips per phase (2 events each)")
    parser.add_argument("--workers", type=int, default=8, help="client threads in the sustained phase")
    parser.add_argument("--rate", type=float, default=50.0, help="events/s offered in the paced phase")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--database", default="cuakhau_bench_gate", help="name of the throwaway database")
    parser.add_argument(
        "--server",
        choices=["gunicorn", "runserver"],
        default="gunicorn",
        help="gunicorn (the dev dependency) or Django's runserver (a new DB connection per request)",
    )
    parser.add_argument("--server-log", default=os.devnull, help="where the server's errors go")
    parser.add_argument(
        "--server-workers",
        type=int,
        default=0,
        help="gunicorn worker processes (default: deploy/gunicorn.conf.py's)",
    )
    parser.add_argument(
        "--audit-seal",
        choices=["commit", "background"],
        default="",
        help="the server's AUDIT_SEAL (default: deploy/gunicorn.conf.py's, background): seal after each "
        "commit, or in a sealer thread per process",
    )
    parser.add_argument(
        "--server-threads",
        type=int,
        default=0,
        help="gunicorn threads per worker (default: deploy/gunicorn.conf.py's)",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit(
            "set DATABASE_URL=postgres://user@host:port/anydb (the bench makes its own database)"
        )
    globals()["BENCH_DB"] = args.database
    if args.audit_seal:
        SERVER_ENV["AUDIT_SEAL"] = args.audit_seal
    _recreate_database(url)
    try:
        secret, sustained, paced = _setup(url, args.vehicles)
        port = _free_port()
        server = _start_server(
            url, port, args.server_log, args.server, args.server_workers, args.server_threads
        )
        try:
            _trip(port, secret, sustained.pop())  # warm up
            latencies: list[float] = []
            lock = threading.Lock()

            def run(plate):
                result = _trip(port, secret, plate)
                with lock:
                    latencies.extend(result)

            meter = _CpuMeter(url, server)
            print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            cpu0 = meter.sample()
            started = time.perf_counter()
            with ThreadPoolExecutor(args.workers) as pool:
                list(pool.map(run, sustained))
            elapsed = time.perf_counter() - started
            _report(
                f"sustained ({args.workers} clients)", latencies, elapsed, meter.spent(cpu0, meter.sample())
            )

            paced_latencies: list[float] = []
            events = [(plate, kind) for plate in paced for kind in ("in",)] + [
                (plate, kind) for plate in paced for kind in ("out",)
            ]
            interval = 1 / args.rate

            def one(item):
                plate, kind = item
                elapsed, body = _post(port, secret, {"kind": kind, "yard": "bai-huu-nghi", "plate": plate})
                if body["result"] not in ("in_yard", "crossed"):
                    raise RuntimeError(body)
                with lock:
                    paced_latencies.append(elapsed)

            cpu0 = meter.sample()
            started = time.perf_counter()
            with ThreadPoolExecutor(64) as pool:
                futures = []
                for i, item in enumerate(events):
                    delay = started + i * interval - time.perf_counter()
                    if delay > 0:
                        time.sleep(delay)
                    futures.append(pool.submit(one, item))
                for f in futures:
                    f.result()
            elapsed = time.perf_counter() - started
            _report(
                f"paced at {args.rate:g} events/s",
                paced_latencies,
                elapsed,
                meter.spent(cpu0, meter.sample()),
            )
            print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            _check_audit_chain()
        finally:
            server.terminate()
            server.wait(10)
    finally:
        if not args.keep:
            _recreate_database(url, drop_only=True)


if __name__ == "__main__":
    main()
