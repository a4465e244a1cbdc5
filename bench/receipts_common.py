"""Shared set-up for bench/receipts.py and bench/receipts_reliability.py: a throwaway PostgreSQL database,
migrated, with gate centres, cashiers and due assessments to receipt."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def server_url(url: str, dbname: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{dbname}"))


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(
            "needs DATABASE_URL=postgres://user@host:port/any (a throwaway database is created beside it)"
        )
    return url


def recreate_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url(url, "postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def drop_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url(url, "postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def setup_django(url: str, name: str) -> None:
    os.environ["DATABASE_URL"] = server_url(url, name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cuakhau.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def make_world(*, cashiers: int, assessments: int, gate_code: str = "BENCH") -> tuple[list[int], list[int]]:
    """One gate with its centre (one receipt series), `cashiers` cashier ids, `assessments` due ids."""
    import datetime
    import secrets

    from django.utils import timezone

    from cuakhau.core.models import Unit, User
    from cuakhau.core.roles import Role, UnitKind
    from cuakhau.fees.models import FeeAssessment, Resolution, Tariff
    from cuakhau.gates.models import Gate

    gate, _ = Gate.objects.get_or_create(
        code=gate_code, defaults={"name": "Cửa khẩu thử tải", "kind": "main", "mode": "road"}
    )
    centre, _ = Unit.objects.get_or_create(
        code=f"ttqlck-{gate_code.lower()}",
        defaults={"name": "Trung tâm Quản lý cửa khẩu (thử tải)", "kind": UnitKind.GATE_CENTRE},
    )
    gate.units.add(centre)
    users = []
    for i in range(cashiers):
        user, _ = User.objects.get_or_create(
            username=f"bench-cashier-{gate_code}-{i}", defaults={"role": Role.GATE_CASHIER, "unit": centre}
        )
        users.append(user.pk)
    res, _ = Resolution.objects.get_or_create(
        number="BENCH/2026", defaults={"council": "bench", "effective_from": datetime.date(2020, 1, 1)}
    )
    tariff, _ = Tariff.objects.get_or_create(
        code="BENCH",
        version=1,
        defaults={
            "name": "bench",
            "province": "bench",
            "resolution": res,
            "status": "draft",
            "effective_from": datetime.date(2020, 1, 1),
        },
    )
    today = timezone.localdate()
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    rows = [
        FeeAssessment(
            source="bench",
            source_id=secrets.token_hex(8),
            gate=gate,
            charged_on=today,
            tariff=tariff,
            tariff_code="BENCH",
            tariff_version=1,
            flow="import",
            rule_key="bench",
            amount=500_000,
            payment_reference="PHI" + "".join(secrets.choice(alphabet) for _ in range(8)),
        )
        for _ in range(assessments)
    ]
    created = FeeAssessment.objects.bulk_create(rows, batch_size=1000)
    return users, [a.pk for a in created]


def collect_many(cashier_pk: int, ids: list[int]) -> list[int]:
    """Receipt each assessment as the cashier's cash collection (the real service, audit included)."""
    from cuakhau.core.context import acting_as
    from cuakhau.core.models import User
    from cuakhau.fees.services import payment_collect_cash

    cashier = User.objects.get(pk=cashier_pk)
    numbers = []
    with acting_as(cashier, channel="task"):
        for pk in ids:
            numbers.append(payment_collect_cash(actor=cashier, assessment_id=pk).number)
    return numbers
