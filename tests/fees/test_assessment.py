"""fee_assess: the gate-in interface the traffic app calls."""

import datetime
from decimal import Decimal

import pytest

from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent
from cuakhau.fees.engine import Charge, GoodsLine
from cuakhau.fees.models import FeeAssessment
from cuakhau.fees.services import fee_assess
from tests.factories import GateFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _charge(**kw):
    base = dict(
        flow="temp_import_reexport", container=40, tariff_code="CB-39-2019", on=datetime.date(2026, 3, 2)
    )
    return Charge(**(base | kw))


def test_assessment_stores_amount_tariff_and_explanation(tariffs):
    gate = GateFactory(code="TA_LUNG")
    payer = UnitFactory(kind="enterprise")
    a = fee_assess(
        actor=None,
        charge=_charge(),
        gate_code="TA_LUNG",
        payer_unit_id=payer.pk,
        source="traffic.declaration",
        source_id="123",
        source_label="Tờ khai 123",
    )
    a.refresh_from_db()
    assert a.amount == 6_500_000
    assert (a.tariff_code, a.tariff_version) == ("CB-39-2019", 1)
    assert a.gate == gate and a.payer_unit == payer
    assert a.charged_on == datetime.date(2026, 3, 2)
    part = a.explanation["parts"][0]
    assert part["unit_price"] == 6_500_000 and part["basis"] == "per_container"
    assert part["quantity"] == "1"
    assert any("6.500.000" in line for line in a.explanation["lines"])
    assert a.payment_reference.startswith("PHI") and len(a.payment_reference) == 11
    assert AuditEvent.objects.filter(action="fees.assessment.assess", object_id=str(a.pk)).count() == 1


def test_replayed_gate_in_returns_the_same_assessment_and_changes_nothing(tariffs):
    GateFactory(code="TA_LUNG")
    first = fee_assess(
        actor=None,
        charge=_charge(),
        gate_code="TA_LUNG",
        payer_unit_id=None,
        source="traffic.declaration",
        source_id="7",
    )
    again = fee_assess(
        actor=None,
        charge=_charge(flow="transit", tonnes=Decimal(20), goods=(GoodsLine(kind="agricultural"),)),
        gate_code="TA_LUNG",
        payer_unit_id=None,
        source="traffic.declaration",
        source_id="7",
    )
    assert again.pk == first.pk and again.amount == 6_500_000
    assert FeeAssessment.objects.count() == 1
    assert AuditEvent.objects.filter(action="fees.assessment.assess").count() == 1


def test_tariff_in_force_on_the_day_of_charge(tariffs):
    GateFactory(code="TA_LUNG")
    a = fee_assess(
        actor=None,
        charge=_charge(flow="export", tonnes=Decimal(12), goods=(GoodsLine(kind="other"),)),
        gate_code="TA_LUNG",
        payer_unit_id=None,
        source="demo",
        source_id="x",
    )
    assert a.amount == 1_200_000


def test_bad_gate_is_named_and_nothing_written(tariffs):
    with pytest.raises(ServiceError) as exc:
        fee_assess(
            actor=None, charge=_charge(), gate_code="NOPE", payer_unit_id=None, source="demo", source_id="1"
        )
    assert exc.value.field == "gate_code"
    assert FeeAssessment.objects.count() == 0


def test_replay_inside_a_transaction_leaves_it_usable_and_a_taken_reference_is_drawn_again(
    tariffs, monkeypatch
):
    """The insert leaves a repeat to the unique indexes (ON CONFLICT DO NOTHING, no savepoint): a replay
    in the caller's transaction must not break it, and a reference already taken is drawn again."""
    from django.db import transaction

    from cuakhau.fees.services import assessments as services

    GateFactory(code="TA_LUNG")
    first = fee_assess(
        actor=None,
        charge=_charge(),
        gate_code="TA_LUNG",
        payer_unit_id=None,
        source="traffic.declaration",
        source_id="8",
    )
    taken = first.payment_reference
    drawn = iter([taken, taken, "PHIAAAAAAAA"])  # the replay draws one, the new one draws twice
    monkeypatch.setattr(services, "_new_payment_reference", lambda: next(drawn))
    with transaction.atomic():
        again = fee_assess(
            actor=None,
            charge=_charge(),
            gate_code="TA_LUNG",
            payer_unit_id=None,
            source="traffic.declaration",
            source_id="8",
        )
        other = fee_assess(
            actor=None,
            charge=_charge(),
            gate_code="TA_LUNG",
            payer_unit_id=None,
            source="traffic.declaration",
            source_id="9",
        )
        assert FeeAssessment.objects.count() == 2  # the transaction still answers
    assert again.pk == first.pk
    assert other.payment_reference == "PHIAAAAAAAA" and other.pk != first.pk
    assert next(drawn, None) is None
    assert AuditEvent.objects.filter(action="fees.assessment.assess").count() == 2
