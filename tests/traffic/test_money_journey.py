"""The money path end to end (issue 12's "Done when"), through the services the pages, devices and
worker call, on whichever database the suite runs on (CI runs it on PostgreSQL too):

declaration typed the Vietnamese way -> gate-in -> a provisional assessment -> the receipt refused and
the exit refused by the gate's rule -> the Board confirms the rate -> cash and a legal receipt -> the
exit allowed -> computed turnover and revenue updated; every step in the audit log."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from cuakhau.core.audit_chain import seal_pending
from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent
from cuakhau.fees import confirmations
from cuakhau.fees import services as fee_services
from cuakhau.fees.models import AssessmentStatus, FeeAssessment, Receipt, TariffRule
from cuakhau.fees.selectors import revenue
from cuakhau.fees.services import payment_collect_cash
from cuakhau.trade import services as trade
from cuakhau.trade import tasks as trade_tasks
from cuakhau.trade.models import ComputedTurnover
from cuakhau.traffic import services
from cuakhau.traffic.models import Declaration, ExitMode, Status
from tests.factories import goods_line
from tests.traffic.conftest import Trip, approved, trip  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def tariffs(db):
    from cuakhau.fees.reference import load_tariffs

    with acting_as(None, channel="cli"):
        load_tariffs()


def _post(t: Trip, key: str, kind: str):
    return services.gate_event_post(
        actor=t.token.user,
        token=t.token,
        key=key,
        body={"yard": "bai-g", "kind": kind, "plate": "12C-111.11"},
    )[1]


def test_the_money_path_holds_with_numbers_typed_the_vietnamese_way(trip, tariffs):  # noqa: F811
    operator, cashier, staff = (trip.users[k] for k in ("gate_operator", "gate_cashier", "department_staff"))
    trade.rate_set(actor=None, day=datetime.date(2000, 1, 1), currency="USD", vnd_per_unit="25.000")

    # 1. The enterprise types its goods the Vietnamese way; "1,200" alone would read two ways.
    with translation.override("vi"):
        with pytest.raises(ServiceError) as exc:
            trip.draft(lines=[goods_line(quantity="1,200")])
        assert "1.200" in exc.value.messages[0] and "1,2" in exc.value.messages[0]
        assert not Declaration.objects.exists()
        d = trip.draft(
            lines=[
                goods_line(quantity="1.200", unit="thùng", gross_kg="15.000", value="15.000", currency="USD")
            ]
        )
    line = d.lines.get()
    assert (line.quantity, line.gross_kg, line.value, line.currency) == (
        Decimal(1200),
        Decimal(15000),
        Decimal(15000),
        "USD",
    )

    # 2. Submitted, approved, called forward; the truck enters the yard and its fee is assessed.
    services.declaration_submit(actor=trip.users["user_a"], declaration=d)
    services.declaration_approve(actor=operator, declaration=d)
    services.declaration_call_forward(actor=operator, declaration=d)
    assert _post(trip, "in", "in")["result"] == "in_yard"
    officers = {"customs": "customs", "border_guard": "border_guard"}
    officers |= {"medical_quarantine": "medical", "plant_quarantine": "plant"}
    for check in d.checks.all():
        services.check_record(actor=trip.users[officers[check.agency_kind]], check=check, status="passed")
    services.exit_rule_set(
        actor=staff,
        gate=trip.gate,
        mode=ExitMode.MUST_PAY,
        effective_from=timezone.localdate(),
        decision="QĐ 1",
    )
    assessment = FeeAssessment.objects.get()
    assert assessment.payer_unit_id == trip.a.unit_id

    # 3. On an illustrative rate the fee is provisional: no receipt, and the truck may not leave.
    illustrative = [r.key for r in confirmations.unconfirmed_rules(assessment)]
    if not illustrative:
        pytest.skip("the tariff in force for this trip uses no illustrative rate")
    with pytest.raises(ServiceError) as exc:
        payment_collect_cash(actor=cashier, assessment_id=assessment.pk)
    assert illustrative[0] in exc.value.messages[0]
    assert not Receipt.objects.exists()
    refused = _post(trip, "out-1", "out")
    assert (refused["result"], refused["accepted"]) == ("unpaid", False)
    assert refused["payment"]["amount_due"] == assessment.amount
    assert Declaration.objects.get(pk=d.pk).status == Status.IN_YARD

    # 4. The Board confirms the rate against its resolution; the cashier takes the cash.
    for key in illustrative:
        rule = TariffRule.objects.get(tariff=assessment.tariff, key=key)
        fee_services.rule_confirm(actor=staff, rule=rule, citation="Nghị quyết 09/2025/NQ-HĐND, Phụ lục")
    with acting_as(cashier, channel="web"):
        receipt = payment_collect_cash(actor=cashier, assessment_id=assessment.pk)
    assert receipt.amount == assessment.amount
    assert FeeAssessment.objects.get().status == AssessmentStatus.PAID

    # 5. Paid: the barrier lets it out, and the crossing schedules the turnover refresh, which runs.
    trade_tasks.forget_scheduled()
    assert _post(trip, "out-2", "out")["result"] == "crossed"
    assert Declaration.objects.get(pk=d.pk).status == Status.CROSSED
    today = timezone.localdate()
    start, end = trade_tasks.month_bounds(today)
    trade_tasks.refresh_computed_turnover.call(start.isoformat(), end.isoformat())
    board = ComputedTurnover.objects.filter(by_enterprise=False, month=start)
    assert sum(r.usd for r in board) == Decimal(15000)  # 15.000 USD, not 15

    # 6. Revenue counts the receipt; the audit log holds every step and its chain verifies.
    rows, summary = revenue(user=trip.users["board_leader"], date_from=today, date_to=today, group="flow")
    assert summary["total"] == receipt.amount and rows[0]["label"] != rows[0]["key"]  # the flow's name
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    journey = {
        "traffic.declaration.create",
        "traffic.declaration.submit",
        "traffic.declaration.approve",
        "traffic.declaration.call_forward",
        "traffic.declaration.gate_in",
        "fees.assessment.assess",
        "traffic.check.pass",
        "traffic.exit_rule.set",
        "traffic.declaration.exit_refused",
        "fees.rule.confirm",
        "fees.receipt.issue",
        "traffic.declaration.cross",
        "trade.computed.refresh",
    }
    assert journey <= actions, sorted(journey - actions)
    seal_pending()
    from cuakhau.core.audit_chain import verify_chain

    assert verify_chain().ok
