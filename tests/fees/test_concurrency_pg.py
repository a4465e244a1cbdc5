"""Receipt numbers under real concurrency (PostgreSQL only: SQLite serialises every writer anyway).
bench/receipts_reliability.py runs the full 8 x 2,000 and the SIGKILL case; this is its quick form."""

import threading

import pytest
from django.db import connection, connections, transaction

from cuakhau.core.context import acting_as
from cuakhau.core.roles import Role
from cuakhau.fees.models import Receipt
from cuakhau.fees.receipts import payment_collect_cash
from cuakhau.fees.selectors import verify_sequence
from tests.factories import fee_assessment, fee_gate, user_at_gate

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_concurrent_issuers_get_exactly_1_to_n_and_a_failed_one_leaves_no_gap():
    gate, _c = fee_gate()
    cashiers = [user_at_gate(Role.GATE_CASHIER, gate) for _ in range(4)]
    ids = [fee_assessment(gate).pk for _ in range(120)]
    errors = []

    def work(cashier, chunk, fail_every):
        try:
            with acting_as(cashier):
                for i, pk in enumerate(chunk):
                    try:
                        with transaction.atomic():
                            payment_collect_cash(assessment_id=pk, cashier=cashier)
                            if fail_every and i % fail_every == 0:
                                raise RuntimeError("crash after numbering")
                    except RuntimeError:
                        pass
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=work, args=(c, ids[i::4], 7 if i == 0 else 0)) for i, c in enumerate(cashiers)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Receipt.objects.values_list("number", flat=True))
    failed = len(range(0, len(ids[0::4]), 7))
    assert numbers == list(range(1, len(ids) - failed + 1))
    assert verify_sequence(year=Receipt.objects.first().issued_on.year) == []
