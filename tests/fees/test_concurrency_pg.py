"""Receipt numbers under real concurrency (PostgreSQL only: SQLite serialises every writer anyway).
bench/receipts_reliability.py runs the full 8 x 2,000 and the SIGKILL case; this is its quick form."""

import threading

import pytest
from django.db import connection, connections, transaction

from cuakhau.core.context import acting_as
from cuakhau.core.roles import Role
from cuakhau.core.service import batch
from cuakhau.fees.models import Receipt
from cuakhau.fees.selectors import verify_sequence
from cuakhau.fees.services import payment_collect_cash
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
                        with batch():  # the service joins: a crash after it undoes its number
                            payment_collect_cash(actor=cashier, assessment_id=pk)
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


def test_a_deposit_committing_during_a_gate_in_waits_for_it_and_settles_its_debt(tariffs):
    """The race the payer's balance row closes: a gate-in has assessed a fee its payer's deposit does
    not cover (a debt, not yet committed) when a deposit arrives. The deposit waits on the balance row
    until the gate-in commits, then sees the debt and pays it from the deposit."""
    from django.utils import timezone

    from cuakhau.fees.engine import Charge
    from cuakhau.fees.models import AssessmentStatus, FeeAssessment
    from cuakhau.fees.selectors import balance_of, balances_mismatched
    from cuakhau.fees.services import deposit_record, fee_assess
    from tests.factories import EnterpriseFactory

    fee_gate("TA_LUNG")
    enterprise = EnterpriseFactory()
    unit = enterprise.unit
    assessed, release = threading.Event(), threading.Event()
    errors = []

    def gate_in():
        try:
            with acting_as(None, channel="api"), transaction.atomic():
                fee_assess(
                    actor=None,
                    charge=Charge(
                        flow="temp_import_reexport",
                        container=40,
                        tariff_code="CB-39-2019",
                        on=timezone.localdate(),
                    ),
                    gate_code="TA_LUNG",
                    payer_unit_id=unit.pk,
                    source="traffic.gate_in",
                    source_id="race-1",
                )
                assessed.set()
                release.wait(10)  # the deposit starts while this transaction is still open
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def deposit():
        try:
            assessed.wait(10)
            with acting_as(None, channel="task"):
                deposit_record(actor=None, payer_unit=unit, amount=10_000_000, reference="KQ race")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    first, second = threading.Thread(target=gate_in), threading.Thread(target=deposit)
    first.start()
    second.start()
    assessed.wait(10)
    second.join(0.5)
    assert second.is_alive(), "the deposit should wait for the gate-in's transaction"
    release.set()
    first.join()
    second.join()
    assert errors == []
    assessment = FeeAssessment.objects.get(source_id="race-1")
    assert assessment.status == AssessmentStatus.PAID
    assert balance_of(unit.pk) == 10_000_000 - assessment.amount
    assert balances_mismatched() == []
