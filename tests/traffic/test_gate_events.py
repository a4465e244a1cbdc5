"""Gate events: matching by QR and by normalised plate, the transitions they make, agency checks that
stop a crossing, exceptions, yard stays, idempotency, and the fee at gate-in."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent
from cuakhau.fees.models import FeeAssessment
from cuakhau.traffic import passes, services
from cuakhau.traffic.models import (
    AgencyCheck,
    Declaration,
    GateEvent,
    GateException,
    IdempotencyRecord,
    Status,
    YardStay,
)
from tests.factories import YardFactory

pytestmark = pytest.mark.django_db


def post(trip, key, token=None, **body):
    token = token or trip.token
    return services.gate_event_post(actor=token.user, token=token, key=key, body=body)


def _called(trip, approved):
    return services.declaration_call_forward(actor=trip.users["gate_operator"], declaration=approved)


def _pass_all(trip, declaration, held=None):
    officers = {
        "customs": "customs",
        "border_guard": "border_guard",
        "medical_quarantine": "medical",
        "plant_quarantine": "plant",
    }
    for check in declaration.checks.all():
        status = "held" if check.agency_kind == held else "passed"
        services.check_record(
            actor=trip.users[officers[check.agency_kind]],
            check=check,
            status=status,
            note="Sai nhãn hàng" if status == "held" else "",
        )


def test_plate_in_any_spelling_matches_and_moves_the_trip_through_the_gate(trip, approved):
    d = _called(trip, approved)
    status, body, replayed = post(trip, "k1", yard="bai-g", kind="in", plate="12c 111.11")
    assert (status, replayed, body["accepted"], body["result"]) == (201, False, True, "in_yard")
    assert body["matched_by"] == "plate" and body["declaration"]["number"] == d.number
    d.refresh_from_db()
    assert d.status == Status.IN_YARD and d.yard_in_at
    stay = YardStay.objects.get()
    assert stay.declaration == d and stay.left_at is None
    _pass_all(trip, d)
    status, body, _ = post(trip, "k2", yard="bai-g", kind="out", plate="12C11111")
    assert body["result"] == "crossed"
    d.refresh_from_db()
    stay.refresh_from_db()
    assert d.status == Status.CROSSED and stay.left_at is not None
    actions = list(
        AuditEvent.objects.filter(object_id=str(d.pk), object_type="traffic.declaration")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["traffic.declaration.gate_in", "traffic.declaration.cross"]
    d = services.declaration_complete(actor=trip.users["gate_operator"], declaration=d)
    assert d.status == Status.COMPLETED


def test_qr_token_matches_even_without_a_plate_and_a_forged_one_does_not(trip, approved):
    d = _called(trip, approved)
    url = "https://cuakhau.example.vn" + passes.pass_path(d)
    _, body, _ = post(trip, "q1", yard="bai-g", kind="in", qr=url)
    assert body["matched_by"] == "qr" and body["result"] == "in_yard" and body["plate"] == "12C-111.11"
    forged = passes.make_token(d)[:-2] + "xx"
    _, body, _ = post(trip, "q2", yard="bai-g", kind="out", qr=forged)
    assert body["result"] == "unmatched" and not body["accepted"]
    assert passes.read_token(forged) is None
    assert GateException.objects.get(event_id=body["id"]).reason == "unmatched"


def test_replaying_a_key_returns_the_first_result_and_records_nothing(trip, approved):
    _called(trip, approved)
    first = post(trip, "same-key", yard="bai-g", kind="in", plate="12C-111.11")
    counts = (GateEvent.objects.count(), AuditEvent.objects.count(), YardStay.objects.count())
    again = post(trip, "same-key", yard="bai-g", kind="in", plate="12C-111.11")
    assert again[1] == first[1] and again[2] is True
    assert (GateEvent.objects.count(), AuditEvent.objects.count(), YardStay.objects.count()) == counts
    with pytest.raises(ServiceError) as exc:
        post(trip, "same-key", yard="bai-g", kind="out", plate="12C-111.11")
    assert exc.value.status == 422 and exc.value.field == "Idempotency-Key"
    assert GateEvent.objects.count() == counts[0]
    # the yard closes; a late retry of the answered call still gets its first answer, not the refusal
    from cuakhau.traffic.models import Yard

    Yard.objects.filter(code="bai-g").update(is_active=False)
    with pytest.raises(ServiceError):
        post(trip, "fresh-key", yard="bai-g", kind="in", plate="12C-111.11")
    assert post(trip, "same-key", yard="bai-g", kind="in", plate="12C-111.11") == (first[0], first[1], True)


def test_a_device_may_post_only_for_its_units_gates(trip, approved):
    _called(trip, approved)
    with pytest.raises(ServiceError) as exc:
        post(trip, "h1", token=trip.token_h, yard="bai-g", kind="in", plate="12C-111.11")
    assert exc.value.status == 403
    assert GateEvent.objects.count() == 0 and IdempotencyRecord.objects.count() == 0
    assert Declaration.objects.get(pk=approved.pk).status == Status.CALLED


def test_unmatched_plate_becomes_an_exception_an_operator_resolves(trip, approved):
    _, body, _ = post(trip, "u1", yard="bai-g", kind="in", plate="12C-999.99")
    assert body["result"] == "unmatched" and body["exception"]
    exception = GateException.objects.get(pk=body["exception"])
    assert YardStay.objects.get().declaration is None  # the yard still counts the vehicle
    d = _called(trip, approved)
    with pytest.raises(ServiceError) as exc:  # another gate's operator: the workflow refuses
        services.exception_resolve(actor=trip.users["operator_h"], exception=exception, declaration=d)
    assert exc.value.status == 403
    services.exception_resolve(
        actor=trip.users["gate_operator"], exception=exception, declaration=d, note="Camera đọc sai biển"
    )
    d.refresh_from_db()
    exception.refresh_from_db()
    assert d.status == Status.IN_YARD and exception.status == "resolved"
    assert GateEvent.objects.get().matched_by == "manual"
    other = post(trip, "u2", yard="bai-g", kind="in", plate="12C-888.88")[1]
    services.exception_dismiss(
        actor=trip.users["gate_operator"],
        exception=GateException.objects.get(pk=other["exception"]),
        note="Xe công vụ",
    )
    assert GateException.objects.filter(status="open").count() == 0


def test_vehicle_not_called_forward_is_blocked_at_gate_in(trip, approved):
    _, body, _ = post(trip, "b1", yard="bai-g", kind="in", plate="12C-111.11")
    assert body["result"] == "blocked" and "chưa được gọi" in body["detail"]
    assert Declaration.objects.get(pk=approved.pk).status == Status.APPROVED


def test_a_held_check_stops_the_crossing_and_shows_its_reason(trip, approved):
    d = _called(trip, approved)
    post(trip, "h-in", yard="bai-g", kind="in", plate="12C-111.11")
    _pass_all(trip, d, held="plant_quarantine")
    _, body, _ = post(trip, "h-out", yard="bai-g", kind="out", plate="12C-111.11")
    assert body["result"] == "blocked" and "Sai nhãn hàng" in body["detail"]
    assert "Kiểm dịch thực vật" in body["detail"]
    d.refresh_from_db()
    assert d.status == Status.IN_YARD and YardStay.objects.get().left_at is None
    check = d.checks.get(agency_kind="plant_quarantine")
    services.check_record(actor=trip.users["plant"], check=check, status="passed", note="Đã dán lại nhãn")
    exception = GateException.objects.get(reason="blocked")
    services.exception_resolve(actor=trip.users["gate_operator"], exception=exception)
    d.refresh_from_db()
    assert d.status == Status.CROSSED


def test_pending_check_stops_the_crossing(trip, approved):
    d = _called(trip, approved)
    post(trip, "p-in", yard="bai-g", kind="in", plate="12C-111.11")
    _, body, _ = post(trip, "p-out", yard="bai-g", kind="out", plate="12C-111.11")
    assert body["result"] == "blocked" and "Chờ kiểm tra" in body["detail"]
    assert Declaration.objects.get(pk=d.pk).status == Status.IN_YARD


def test_only_the_matching_agency_at_the_gate_records_a_check(trip, approved):
    check = approved.checks.get(agency_kind="customs")
    for name in ("plant", "customs_h", "gate_operator", "user_a"):
        with pytest.raises(ServiceError) as exc:
            services.check_record(actor=trip.users[name], check=check, status="passed")
        assert exc.value.status == 403, name
    with pytest.raises(ServiceError) as exc:
        services.check_record(actor=trip.users["customs"], check=check, status="held", note="")
    assert exc.value.field == "note"
    services.check_record(actor=trip.users["customs"], check=check, status="passed")
    assert AgencyCheck.objects.get(pk=check.pk).decided_by == trip.users["customs"]
    assert AuditEvent.objects.filter(action="traffic.check.pass").count() == 1


def test_gate_in_at_the_border_gate_yard_assesses_the_fee_once(trip, approved):
    from cuakhau.core.context import acting_as
    from cuakhau.fees.reference import load_tariffs

    with acting_as(None, channel="cli"):
        load_tariffs()
    d = _called(trip, approved)
    post(trip, "f1", yard="bai-g", kind="in", plate="12C-111.11")
    d.refresh_from_db()
    assessment = FeeAssessment.objects.get()
    assert d.fee_assessment == assessment and d.fee_error == ""
    assert (assessment.source, assessment.source_id, assessment.flow) == (
        "traffic.declaration",
        str(d.pk),
        "export",
    )
    assert assessment.payer_unit == trip.a.unit and assessment.amount > 0
    assert assessment.charge["goods"][0]["kind"] == "agricultural"


def test_gate_in_without_a_tariff_records_why_and_invents_no_fee(trip, approved):
    d = _called(trip, approved)
    post(trip, "f2", yard="bai-g", kind="in", plate="12C-111.11")
    d.refresh_from_db()
    assert d.status == Status.IN_YARD and d.fee_assessment is None and "biểu phí" in d.fee_error
    assert FeeAssessment.objects.count() == 0


def test_gate_in_at_a_yard_that_is_not_the_border_gate_yard_charges_nothing(trip, approved):
    YardFactory(gate=trip.gate, code="bai-trung-chuyen", is_border_yard=False)
    _called(trip, approved)
    post(trip, "f3", yard="bai-trung-chuyen", kind="in", plate="12C-111.11")
    d = Declaration.objects.get(pk=approved.pk)
    assert d.status == Status.IN_YARD and d.fee_error == "" and d.fee_assessment is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"yard": "bai-g", "kind": "sideways", "plate": "12C-111.11"}, "kind"),
        ({"yard": "nope", "kind": "in", "plate": "12C-111.11"}, "yard"),
        ({"kind": "in", "plate": "12C-111.11"}, "gate"),
        ({"yard": "bai-g", "kind": "in"}, "plate"),
        ({"yard": "bai-g", "kind": "in", "plate": "12C-111.11", "occurred_at": "yesterday"}, "occurred_at"),
    ],
)
def test_bad_events_are_refused_and_nothing_kept(trip, body, field):
    with pytest.raises(ServiceError) as exc:
        post(trip, "bad", **body)
    assert exc.value.field == field
    assert GateEvent.objects.count() == 0 and IdempotencyRecord.objects.count() == 0


def test_event_times_from_the_future_are_refused(trip):
    with pytest.raises(ServiceError) as exc:
        post(
            trip,
            "t",
            yard="bai-g",
            kind="in",
            plate="12C-111.11",
            occurred_at=(timezone.now() + datetime.timedelta(hours=1)).isoformat(),
        )
    assert exc.value.field == "occurred_at"


def test_gate_in_by_the_trailer_plate_charges_every_line_and_the_usual_container_size(trip):
    from stdnum import iso6346

    from cuakhau.core.context import acting_as
    from cuakhau.fees.reference import load_tariffs
    from tests.factories import goods_line

    with acting_as(None, channel="cli"):
        load_tariffs()
    numbers = [f"CSQU{n}" + iso6346.calc_check_digit(f"CSQU{n}") for n in ("305438", "305439", "305440")]
    d = trip.draft(
        trailer=trip.trailer_a,
        lines=[
            goods_line(),
            goods_line(hs_code="2601.11.10", description="Quặng sắt", gross_kg="1234,6", value="5000000"),
        ],
        containers=[{"number": numbers[0], "size": 40}, {"number": numbers[1], "size": 20}]
        + [{"number": numbers[2], "size": 40}],
    )
    services.declaration_submit(actor=trip.users["user_a"], declaration=d)
    d = services.declaration_approve(actor=trip.users["gate_operator"], declaration=d)
    _called(trip, d)
    _, body, _ = post(trip, "tr1", yard="bai-g", kind="in", plate="12R 00123")
    assert (body["result"], body["matched_by"], body["declaration"]["id"]) == ("in_yard", "plate", d.pk)
    charge = FeeAssessment.objects.get().charge
    assert [(g["kind"], g["declared_value"], g["tonnes"]) for g in charge["goods"]] == [
        ("agricultural", 300000000, "21.000"),
        ("ore", 5000000, "1.235"),
    ]
    assert (charge["container"], charge["containers"], charge["vehicle_tonnes"]) == (40, 2, "15.00")
    assert YardStay.objects.get().plate == "12R-001.23"
    # The trailer's gate-out a moment after it crossed finds the crossed trip, not an exception.
    _pass_all(trip, d)
    assert post(trip, "tr2", yard="bai-g", kind="out", plate="12R-001.23")[1]["result"] == "crossed"
    _, again, _ = post(trip, "tr3", yard="bai-g", kind="out", plate="12R-001.23")
    assert (again["result"], again["declaration"]["id"]) == ("already_crossed", d.pk)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers")
def test_two_concurrent_posts_with_one_key_record_one_event(trip, approved):
    """A device retrying before its first call answered: both attempts run at once. The second waits
    (on the declaration's lock, then on the key's unique index), rolls its own attempt back and returns
    the first response."""
    import threading

    from django.db import connections

    _called(trip, approved)
    barrier, results, errors = threading.Barrier(2), [], []

    def attempt():
        try:
            barrier.wait()
            results.append(post(trip, "retry-key", yard="bai-g", kind="in", plate="12C-111.11"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r[2] for r in results) == [False, True]  # one fresh, one replayed
    assert results[0][1] == results[1][1] and results[0][1]["result"] == "in_yard"
    assert GateEvent.objects.count() == 1 and IdempotencyRecord.objects.count() == 1
    assert YardStay.objects.count() == 1
    assert AuditEvent.objects.filter(action="traffic.declaration.gate_in").count() == 1
