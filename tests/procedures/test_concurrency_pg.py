"""Dossier codes under real concurrency (PostgreSQL only: SQLite serialises every writer anyway): four
desks receiving at once get 0001..N for the day, and a crashed transaction leaves no gap."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections

from cuakhau.core.context import acting_as
from cuakhau.core.models import Unit
from cuakhau.core.roles import Role
from cuakhau.core.service import batch
from cuakhau.procedures.models import Dossier
from tests.factories import UserFactory, dossier_at_desk

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_concurrent_desks_get_gapless_codes(catalogue):
    desks = [
        UserFactory(role=Role.DEPARTMENT_STAFF, unit=Unit.objects.get(code="van-phong")) for _ in range(4)
    ]
    moment = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    errors = []

    def work(user, n, fail_every):
        try:
            with acting_as(user):
                for i in range(n):
                    try:
                        with batch():  # the service joins: a crash after it undoes its number
                            dossier_at_desk(user, at=moment)
                            if fail_every and i % fail_every == 0:
                                raise RuntimeError("crash after numbering")
                    except RuntimeError:
                        pass
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(u, 15, 4 if i == 0 else 0)) for i, u in enumerate(desks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(int(code[-4:]) for code in Dossier.objects.values_list("code", flat=True))
    failed = len(range(0, 15, 4))
    assert numbers == list(range(1, 60 - failed + 1))
