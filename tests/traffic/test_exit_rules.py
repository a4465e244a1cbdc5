"""Each gate's exit rule (issue 12, part 3): the Board sets it by period; a gate-out it refuses for an
unpaid fee leaves the trip in the yard with an exception, the amount due and the VietQR to pay it
(service, device API and the operator's page); a supervisor releases with a reason; paying lets the
truck out; deposit or an approved debt limit lets it leave owing where the rule allows."""

import datetime

import pytest
from django.utils import timezone

from cuakhau.core.context import acting_as
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.models import AuditEvent
from cuakhau.fees.models import AssessmentStatus, FeeAssessment
from cuakhau.fees.services import credit_limit_set
from cuakhau.fees.vietqr import parse_payload
from cuakhau.traffic import reference, services
from cuakhau.traffic.models import (
    Declaration,
    ExitMode,
    GateException,
    GateExitRule,
    Status,
    YardStay,
)
from tests.factories import GateFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def post(trip, key, **body):
    return services.gate_event_post(actor=trip.token.user, token=trip.token, key=key, body=body)


def _staff(trip):
    return trip.users["department_staff"]


def _rule(trip, mode, **kwargs):
    kwargs.setdefault("effective_from", TODAY())
    kwargs.setdefault("decision", "Quyết định 12/QĐ-BQL")
    return services.exit_rule_set(actor=_staff(trip), gate=trip.gate, mode=mode, **kwargs)


@pytest.fixture
def tariffs(db):
    from cuakhau.fees.reference import load_tariffs

    with acting_as(None, channel="cli"):
        load_tariffs()


def _confirm_rates(trip):
    """The Board confirms every illustrative rate of the tariffs in force, so that their fees may be
    collected (a provisional fee takes no payment and shows no VietQR: fees.confirmations)."""
    from cuakhau.fees.models import TariffRule
    from cuakhau.fees.services import rule_confirm

    for rule in TariffRule.objects.filter(is_demo=True, confirmation__isnull=True):
        rule_confirm(actor=_staff(trip), rule=rule, citation="Nghị quyết 09/2025/NQ-HĐND, biểu kèm theo")


@pytest.fixture
def ready(trip, approved):
    """A's trip in the border-gate yard of G, every check passed: only the fee can hold it now."""
    services.declaration_call_forward(actor=trip.users["gate_operator"], declaration=approved)
    post(trip, "in", yard="bai-g", kind="in", plate="12C-111.11")
    officers = {
        "customs": "customs",
        "border_guard": "border_guard",
        "medical_quarantine": "medical",
        "plant_quarantine": "plant",
    }
    for check in approved.checks.all():
        services.check_record(actor=trip.users[officers[check.agency_kind]], check=check, status="passed")
    return Declaration.objects.get(pk=approved.pk)


def _out(trip, key="out"):
    return post(trip, key, yard="bai-g", kind="out", plate="12C-111.11")[1]


# --- the Board sets the rule ---------------------------------------------------------------------------


def test_a_new_rule_closes_the_one_in_force_the_day_before_and_is_audited(trip):
    rule = _rule(trip, ExitMode.MUST_PAY)
    old = GateExitRule.objects.get(gate=trip.gate, mode=ExitMode.OPEN)
    assert old.effective_to == TODAY() - datetime.timedelta(days=1)
    assert (rule.effective_from, rule.effective_to, rule.created_by) == (TODAY(), None, _staff(trip))
    assert reference.exit_mode(trip.gate, TODAY()) == ExitMode.MUST_PAY
    assert reference.exit_mode(trip.gate, TODAY() - datetime.timedelta(days=1)) == ExitMode.OPEN
    # Today's rule is in force: it stands until tomorrow.
    with pytest.raises(ServiceError) as exc:
        _rule(trip, ExitMode.DEPOSIT_OR_CREDIT)
    assert exc.value.field == "effective_from"
    event = AuditEvent.objects.get(action="traffic.exit_rule.set")
    assert event.after["mode"] == "must_pay" and event.before["current"]["mode"] == "none"
    # A period that has not begun gives way to a newer decision; the one in force is not touched.
    later = TODAY() + datetime.timedelta(days=10)
    _rule(trip, ExitMode.DEPOSIT_OR_CREDIT, effective_from=later)
    _rule(trip, ExitMode.OPEN, effective_from=later)
    assert list(
        GateExitRule.objects.filter(gate=trip.gate)
        .order_by("effective_from")
        .values_list("mode", "effective_to")
    ) == [
        ("none", TODAY() - datetime.timedelta(days=1)),
        ("must_pay", later - datetime.timedelta(days=1)),
        ("none", None),
    ]


@pytest.mark.parametrize(
    ("who", "kwargs", "field"),
    [
        ("department_staff", {"effective_from": datetime.date(2020, 1, 1)}, "effective_from"),
        ("department_staff", {"decision": "  "}, "decision"),
        ("department_staff", {"mode": "sometimes"}, "mode"),
        ("department_staff", {"mode": ExitMode.OPEN}, "mode"),  # already in force: changes nothing
        ("gate_operator", {}, ""),
        ("board_leader", {}, ""),
    ],
)
def test_a_rule_is_refused_for_the_past_without_a_decision_or_by_others(trip, who, kwargs, field):
    kwargs = {"mode": ExitMode.MUST_PAY, "effective_from": TODAY(), "decision": "QĐ 1"} | kwargs
    with pytest.raises(ServiceError) as exc:
        services.exit_rule_set(actor=trip.users[who], gate=trip.gate, **kwargs)
    assert exc.value.field == field
    assert (
        GateExitRule.objects.count() == 1
        and not AuditEvent.objects.filter(action="traffic.exit_rule.set").exists()
    )


def test_a_gate_without_a_rule_wants_the_fee_paid_and_a_route_follows_its_gate(trip):
    assert reference.exit_mode(trip.other_gate, TODAY()) == ExitMode.MUST_PAY
    route = GateFactory(code="ROUTE_G", parent=trip.gate)
    assert reference.exit_mode(route, TODAY()) == ExitMode.OPEN


def test_the_reference_loader_gives_every_gate_a_rule_once(reference_data):
    from cuakhau.gates.models import Gate
    from cuakhau.traffic.exit_reference import load_exit_rules

    with acting_as(None, channel="cli"):
        assert load_exit_rules() == f"{Gate.objects.filter(is_active=True).count()} gate exit rules created"
        assert load_exit_rules() == "0 gate exit rules created"
    assert GateExitRule.objects.get(gate__code="HUUNGHI").mode == ExitMode.MUST_PAY
    assert GateExitRule.objects.get(gate__code="COCNAM").mode == ExitMode.DEPOSIT_OR_CREDIT


# --- at the barrier ------------------------------------------------------------------------------------


def test_must_pay_refuses_an_unpaid_fee_with_the_amount_and_the_vietqr_then_paying_lets_it_out(
    trip, tariffs, ready
):
    _confirm_rates(trip)
    _rule(trip, ExitMode.MUST_PAY)
    assessment = FeeAssessment.objects.get()
    assert ready.fee_assessment == assessment and assessment.status == AssessmentStatus.DUE
    body = _out(trip)
    assert (body["result"], body["accepted"]) == ("unpaid", False)
    assert assessment.payment_reference in body["detail"] and "VietQR" in body["detail"]
    payment = body["payment"]
    assert payment["amount_due"] == assessment.amount and payment["reference"] == assessment.payment_reference
    qr = parse_payload(payment["vietqr"])
    assert (qr.amount, qr.purpose, qr.account) == (
        assessment.amount,
        assessment.payment_reference,
        payment["account"],
    )
    d = Declaration.objects.get(pk=ready.pk)
    assert d.status == Status.IN_YARD and YardStay.objects.get().left_at is None
    exception = GateException.objects.get(pk=body["exception"])
    assert (exception.reason, exception.status, exception.declaration) == ("unpaid", "open", d)
    refused = AuditEvent.objects.get(action="traffic.declaration.exit_refused")
    assert refused.object_id == str(d.pk) and refused.after["result"] == "unpaid"
    # The operator's retry is refused the same way while the fee is due ...
    with pytest.raises(ServiceError) as exc:
        services.exception_resolve(actor=trip.users["gate_operator"], exception=exception)
    assert exc.value.status == 409
    # ... and once paid, the truck leaves.
    FeeAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.PAID)
    assert _out(trip, "out-2")["result"] == "crossed"
    assert Declaration.objects.get(pk=d.pk).status == Status.CROSSED
    # The refusal is no longer open for the operators once the truck has crossed.
    exception.refresh_from_db()
    assert exception.status == "resolved" and exception.resolved_at and "đã qua" in exception.note


def test_a_provisional_fee_is_refused_with_why_it_cannot_be_paid_yet_and_no_vietqr(trip, tariffs, ready):
    from cuakhau.fees.confirmations import is_provisional

    assessment = FeeAssessment.objects.get()
    if not is_provisional(assessment):
        pytest.skip("the fee in force here uses no illustrative rate")
    _rule(trip, ExitMode.MUST_PAY)
    body = _out(trip)
    assert body["result"] == "unpaid" and "tạm tính" in body["detail"] and "VietQR" not in body["detail"]
    assert body["payment"]["vietqr"] == "" and "tạm tính" in body["payment"]["provisional"]
    assert body["payment"]["amount_due"] == assessment.amount


def test_a_fee_that_could_not_be_assessed_is_not_a_fee_paid(trip, ready):
    assert ready.fee_assessment is None and ready.fee_error
    _rule(trip, ExitMode.MUST_PAY)
    body = _out(trip)
    assert body["result"] == "unpaid" and "Chưa tính được phí" in body["detail"]
    assert body["payment"] is None


def test_a_gate_that_asks_nothing_lets_an_unpaid_trip_cross(trip, tariffs, ready):
    assert FeeAssessment.objects.get().status == AssessmentStatus.DUE
    assert _out(trip)["result"] == "crossed"


def test_deposit_or_credit_lets_a_payer_within_its_approved_limit_leave_owing(trip, tariffs, ready):
    _rule(trip, ExitMode.DEPOSIT_OR_CREDIT)
    amount = FeeAssessment.objects.get().amount
    body = _out(trip, "o1")
    assert body["result"] == "unpaid" and "hạn mức" in body["detail"]
    credit_limit_set(actor=_staff(trip), payer_unit=trip.a.unit, amount=amount - 1, decision="QĐ 5/QĐ-BQL")
    assert _out(trip, "o2")["result"] == "unpaid"  # the debt would exceed the limit
    credit_limit_set(actor=_staff(trip), payer_unit=trip.a.unit, amount=amount, decision="QĐ 6/QĐ-BQL")
    assert _out(trip, "o3")["result"] == "crossed"
    assert FeeAssessment.objects.get().status == AssessmentStatus.DUE  # left owing, as allowed
    assert AuditEvent.objects.filter(action="fees.credit_limit.set").count() == 2


def test_only_the_boards_departments_approve_a_debt_limit(trip):
    for who in ("gate_operator", "gate_cashier", "board_leader", "user_a"):
        with pytest.raises(ServiceError) as exc:
            credit_limit_set(actor=trip.users[who], payer_unit=trip.a.unit, amount=1, decision="x")
        assert exc.value.status == 403
    for kwargs, field in (({"amount": -1}, "amount"), ({"decision": ""}, "decision")):
        with pytest.raises(ServiceError) as exc:
            credit_limit_set(
                actor=_staff(trip), payer_unit=trip.a.unit, **({"amount": 1, "decision": "QĐ"} | kwargs)
            )
        assert exc.value.field == field
    with pytest.raises(ServiceError) as exc:
        credit_limit_set(
            actor=_staff(trip), payer_unit=trip.users["gate_operator"].unit, amount=1, decision="QĐ"
        )
    assert exc.value.field == "payer_unit"


# --- a supervisor lets it out --------------------------------------------------------------------------


def test_a_supervisor_releases_with_a_reason_and_the_next_gate_out_passes_once(trip, tariffs, ready):
    _rule(trip, ExitMode.MUST_PAY)
    body = _out(trip, "o1")
    exception = GateException.objects.get(pk=body["exception"])
    with pytest.raises(ServiceError) as exc:
        services.exit_release(actor=trip.users["gate_operator"], declaration=ready, reason="Xe cứu trợ")
    assert exc.value.status == 403
    with pytest.raises(ServiceError) as exc:
        services.exit_release(actor=trip.users["board_leader"], declaration=ready, reason="  ")
    assert exc.value.field == "reason"
    with pytest.raises(NotFound):
        services.exit_release(actor=trip.users["board_leader"], declaration=Declaration(pk=99999), reason="x")
    exception.refresh_from_db()
    assert exception.status == "open" and not AuditEvent.objects.filter(
        action="traffic.declaration.exit_release"
    )
    services.exit_release(
        actor=trip.users["board_leader"], declaration=ready, reason="Hàng cứu trợ, nộp phí sau"
    )
    exception.refresh_from_db()
    assert (exception.status, exception.note, exception.resolved_by) == (
        "released",
        "Hàng cứu trợ, nộp phí sau",
        trip.users["board_leader"],
    )
    release = AuditEvent.objects.get(action="traffic.declaration.exit_release")
    assert release.object_id == str(ready.pk) and release.actor == trip.users["board_leader"]
    assert _out(trip, "o2")["result"] == "crossed"
    assert _out(trip, "o3")["result"] == "already_crossed"
    assert FeeAssessment.objects.get().status == AssessmentStatus.DUE  # still owed
    # Nothing left to release.
    with pytest.raises(ServiceError) as exc:
        services.exit_release(actor=trip.users["department_staff"], declaration=ready, reason="x")
    assert exc.value.status == 409


def test_a_release_needs_a_refused_exit(trip, ready):
    with pytest.raises(ServiceError) as exc:
        services.exit_release(actor=trip.users["department_staff"], declaration=ready, reason="Trước")
    assert exc.value.status == 409 and exc.value.field == "declaration"


# --- device API ----------------------------------------------------------------------------------------


def test_the_device_api_answers_a_refused_exit_with_the_amount_and_the_vietqr(trip, tariffs, ready, client):
    _confirm_rates(trip)
    _rule(trip, ExitMode.MUST_PAY)
    response = client.post(
        "/api/v1/traffic/gate-events",
        {"kind": "out", "yard": "bai-g", "plate": "12C 111.11"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {trip.secret}",
        HTTP_IDEMPOTENCY_KEY="cam-out-1",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assessment = FeeAssessment.objects.get()
    assert (data["result"], data["accepted"], data["declaration"]["status"]) == ("unpaid", False, "in_yard")
    assert data["payment"]["amount_due"] == assessment.amount
    assert parse_payload(data["payment"]["vietqr"]).purpose == assessment.payment_reference
    assert data["exception"] == GateException.objects.get(reason="unpaid").pk


# --- pages ---------------------------------------------------------------------------------------------


def test_the_operator_sees_the_refusal_with_the_qr_and_a_supervisor_releases_on_the_page(
    trip, tariffs, ready, client
):
    _confirm_rates(trip)
    _rule(trip, ExitMode.MUST_PAY)
    exception = GateException.objects.get(pk=_out(trip)["exception"])
    assessment = FeeAssessment.objects.get()
    url = f"/traffic/exceptions/{exception.pk}/"
    client.force_login(trip.users["gate_operator"])
    yards = client.get("/traffic/yards/").content.decode()
    assert url in yards and "Chưa nộp phí" in yards
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and assessment.payment_reference in html
    assert 'data-testid="amount-due"' in html and 'data-testid="release"' not in html
    assert client.post(f"{url}release/", {"reason": "x"}).status_code == 404
    client.force_login(trip.users["operator_h"])
    assert client.get(url).status_code == 404
    client.force_login(trip.users["board_leader"])
    assert 'data-testid="release"' in client.get(url).content.decode()
    refused = client.post(f"{url}release/", {"reason": ""})
    assert refused.status_code == 400
    exception.refresh_from_db()
    assert exception.status == "open"
    done = client.post(f"{url}release/", {"reason": "Xe chở thuốc, lãnh đạo Ban đồng ý"}, follow=True)
    assert done.status_code == 200 and "Xe chở thuốc" in done.content.decode()
    exception.refresh_from_db()
    assert exception.status == "released"
    assert "Xe chở thuốc" in client.get("/traffic/yards/").content.decode()


def test_the_board_sets_a_gates_exit_rule_on_its_page(trip, client):
    client.force_login(trip.users["gate_operator"])
    page = client.get("/traffic/exit-rules/")
    assert page.status_code == 200 and "Cửa khẩu G" in page.content.decode()
    assert "Lưu quy định" not in page.content.decode()
    data = {
        "gate": trip.gate.pk,
        "mode": "must_pay",
        "effective_from": TODAY().isoformat(),
        "decision": "QĐ 9",
    }
    assert client.post("/traffic/exit-rules/", data).status_code == 404
    client.force_login(trip.users["user_a"])
    assert client.get("/traffic/exit-rules/").status_code == 404
    client.force_login(_staff(trip))
    past = client.post("/traffic/exit-rules/", data | {"effective_from": "2020-01-01"})
    assert past.status_code == 400 and "từ hôm nay" in past.content.decode()
    assert client.post("/traffic/exit-rules/", data).status_code == 302
    assert reference.exit_mode(trip.gate, TODAY()) == ExitMode.MUST_PAY
    html = client.get("/traffic/exit-rules/").content.decode()
    assert "QĐ 9" in html and "Phải nộp xong phí" in html


def test_the_fee_is_read_in_one_statement_whatever_the_rule(trip, tariffs, ready, django_assert_num_queries):
    from cuakhau.fees.selectors import exit_standing

    assessment = FeeAssessment.objects.get()
    with django_assert_num_queries(1):
        standing = exit_standing(assessment.pk)
    assert (standing.status, standing.amount, standing.settled) == ("due", assessment.amount, False)
    credit_limit_set(actor=_staff(trip), payer_unit=trip.a.unit, amount=10**9, decision="QĐ 7")
    with django_assert_num_queries(1):
        standing = exit_standing(assessment.pk, credit=True)
    assert (standing.balance, standing.limit, standing.debt) == (0, 10**9, assessment.amount)
    assert standing.covered
