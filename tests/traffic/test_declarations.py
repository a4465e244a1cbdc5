"""The declaration's lifecycle through its services: each transition, the illegal ones, one active
trip per vehicle, the queue in order of approval, and the checks on what a declarant types."""

import datetime

import pytest
from django.utils import timezone

from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent
from cuakhau.traffic import services
from cuakhau.traffic.models import Declaration, Status
from tests.factories import goods_line

pytestmark = pytest.mark.django_db


def _events(declaration):
    return list(
        AuditEvent.objects.filter(object_type="traffic.declaration", object_id=str(declaration.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_draft_submit_approve_call_forward_each_one_audit_event(trip):
    user, operator = trip.users["user_a"], trip.users["gate_operator"]
    d = trip.draft(containers=[{"number": "CSQU3054383", "size": "40"}])
    assert (d.status, d.direction, d.agent) == (Status.DRAFT, "exit", None)
    assert d.lines.get().hs_code == "08109010"
    d = services.declaration_submit(actor=user, declaration=d)
    assert d.status == Status.SUBMITTED and d.submitted_at
    d = services.declaration_approve(actor=operator, declaration=d)
    assert d.status == Status.APPROVED and d.queue_number == 1 and d.approved_by == operator
    assert d.pass_nonce
    assert sorted(d.checks.values_list("agency_kind", flat=True)) == sorted(
        ["customs", "border_guard", "medical_quarantine", "plant_quarantine"]
    )
    d = services.declaration_call_forward(actor=operator, declaration=d)
    assert d.status == Status.CALLED and d.called_at
    assert _events(d) == [
        "traffic.declaration.create",
        "traffic.declaration.submit",
        "traffic.declaration.approve",
        "traffic.declaration.call_forward",
    ]
    approve = AuditEvent.objects.get(action="traffic.declaration.approve", object_id=str(d.pk))
    assert approve.before["status"] == "submitted" and approve.after["status"] == "approved"
    assert approve.actor == operator


def test_return_with_reason_then_edit_and_resubmit(trip):
    user, operator = trip.users["user_a"], trip.users["gate_operator"]
    d = services.declaration_submit(actor=user, declaration=trip.draft())
    with pytest.raises(ServiceError) as exc:
        services.declaration_return(actor=operator, declaration=d, reason="  ")
    assert exc.value.field == "reason"
    d = services.declaration_return(actor=operator, declaration=d, reason="Thiếu số container")
    assert d.status == Status.RETURNED and d.return_reason == "Thiếu số container"
    d = services.declaration_update(
        actor=user,
        declaration=d,
        vehicle=trip.vehicle_a,
        driver=trip.driver_a,
        gate=trip.gate,
        flow="export",
        planned_arrival=timezone.now() + datetime.timedelta(hours=2),
        lines=[goods_line(), goods_line(hs_code="07031019", description="Hành tây")],
        containers=[{"number": "CSQU3054383", "size": 20}],
    )
    assert d.status == Status.DRAFT and d.lines.count() == 2 and d.containers.get().size == 20
    d = services.declaration_submit(actor=user, declaration=d)
    assert d.status == Status.SUBMITTED and d.return_reason == ""


@pytest.mark.parametrize(
    ("step", "from_status"),
    [
        ("approve", "draft"),
        ("call_forward", "submitted"),
        ("return", "approved"),
        ("submit", "approved"),
        ("complete", "approved"),
    ],
)
def test_illegal_transitions_are_refused_with_the_state_named(trip, step, from_status):
    user, operator = trip.users["user_a"], trip.users["gate_operator"]
    d = trip.draft()
    if from_status in ("submitted", "approved"):
        d = services.declaration_submit(actor=user, declaration=d)
    if from_status == "approved":
        d = services.declaration_approve(actor=operator, declaration=d)
    actor = user if step == "submit" else operator
    kwargs = {"reason": "x"} if step == "return" else {}
    before = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        getattr(services, f"declaration_{step}")(actor=actor, declaration=d, **kwargs)
    message = exc.value.messages[0]
    assert exc.value.status == 409 and "Không thể" in message
    assert Status(from_status).label.lower() in message.lower() or Status(from_status).label in message
    assert Declaration.objects.get(pk=d.pk).status == from_status
    assert AuditEvent.objects.count() == before


def test_cancel_by_declarant_and_by_gate(trip, approved):
    user, operator = trip.users["user_a"], trip.users["gate_operator"]
    draft = trip.draft(vehicle=trip.vehicle_a2)
    assert services.declaration_cancel(actor=user, declaration=draft).status == Status.CANCELLED
    with pytest.raises(ServiceError) as exc:
        services.declaration_cancel(actor=user, declaration=approved)
    assert exc.value.field == "reason"
    called = services.declaration_call_forward(actor=operator, declaration=approved)
    with pytest.raises(ServiceError) as exc:  # the enterprise cannot cancel a called vehicle
        services.declaration_cancel(actor=user, declaration=called, reason="đổi xe")
    assert exc.value.status == 409
    called = services.declaration_cancel(actor=operator, declaration=called, reason="Xe không đến")
    assert called.status == Status.CANCELLED and called.pass_nonce == ""


def test_one_active_declaration_per_vehicle(trip, approved):
    second = trip.draft()
    with pytest.raises(ServiceError) as exc:
        services.declaration_submit(actor=trip.users["user_a"], declaration=second)
    assert exc.value.field == "vehicle" and approved.number in exc.value.messages[0]
    # The database refuses it too, whatever the service does.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Declaration.objects.filter(pk=second.pk).update(status=Status.SUBMITTED)
    services.declaration_cancel(actor=trip.users["user_a"], declaration=approved, reason="đổi lịch")
    assert (
        services.declaration_submit(actor=trip.users["user_a"], declaration=second).status == Status.SUBMITTED
    )


def test_queue_numbers_follow_approval_order_and_calling_ahead_needs_a_reason(trip):
    user, operator = trip.users["user_a"], trip.users["gate_operator"]
    first = services.declaration_submit(actor=user, declaration=trip.draft())
    second = services.declaration_submit(actor=user, declaration=trip.draft(vehicle=trip.vehicle_a2))
    second = services.declaration_approve(actor=operator, declaration=second)
    first = services.declaration_approve(actor=operator, declaration=first)
    assert (second.queue_number, first.queue_number) == (1, 2)
    with pytest.raises(ServiceError) as exc:
        services.declaration_call_forward(actor=operator, declaration=first)
    assert exc.value.field == "reason" and "1 xe" in exc.value.messages[0]
    services.declaration_call_forward(actor=operator, declaration=first, reason="Hàng tươi sống ưu tiên")
    event = AuditEvent.objects.get(action="traffic.declaration.call_forward")
    assert event.after["ahead"] == 1 and event.after["reason"] == "Hàng tươi sống ưu tiên"


def test_daily_capacity_limits_calls_forward(trip):
    user, operator = trip.users["user_a"], trip.users["gate_operator"]
    services.capacity_set(actor=operator, gate=trip.gate, direction="exit", daily_limit=1)
    a1 = services.declaration_approve(
        actor=operator, declaration=services.declaration_submit(actor=user, declaration=trip.draft())
    )
    a2 = services.declaration_approve(
        actor=operator,
        declaration=services.declaration_submit(actor=user, declaration=trip.draft(vehicle=trip.vehicle_a2)),
    )
    services.declaration_call_forward(actor=operator, declaration=a1)
    with pytest.raises(ServiceError) as exc:
        services.declaration_call_forward(actor=operator, declaration=a2)
    assert exc.value.field == "capacity"


def test_time_slots_fill_in_order(trip):
    user, operator = trip.users["user_a"], trip.users["gate_operator"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    arrival = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(6, 0)))
    s1 = services.slot_add(
        actor=operator,
        gate=trip.gate,
        direction="exit",
        starts=datetime.time(7),
        ends=datetime.time(9),
        capacity=1,
    )
    s2 = services.slot_add(
        actor=operator,
        gate=trip.gate,
        direction="exit",
        starts=datetime.time(9),
        ends=datetime.time(11),
        capacity=1,
    )
    with pytest.raises(ServiceError) as exc:
        services.slot_add(
            actor=operator,
            gate=trip.gate,
            direction="exit",
            starts=datetime.time(8),
            ends=datetime.time(10),
            capacity=3,
        )
    assert exc.value.field == "starts"
    d1 = services.declaration_approve(
        actor=operator,
        declaration=services.declaration_submit(actor=user, declaration=trip.draft(planned_arrival=arrival)),
    )
    d2 = services.declaration_approve(
        actor=operator,
        declaration=services.declaration_submit(
            actor=user, declaration=trip.draft(vehicle=trip.vehicle_a2, planned_arrival=arrival)
        ),
    )
    assert (d1.slot, d1.slot_date, d2.slot, d2.slot_date) == (s1, tomorrow, s2, tomorrow)


def test_out_of_scope_users_are_refused_and_nothing_changes(trip):
    """The workflow refuses a step outside the actor's scope with 403 (core.actions); pages and the
    API fetch the declaration through its scope first, so a stranger still gets a 404 there."""
    d = services.declaration_submit(actor=trip.users["user_a"], declaration=trip.draft())
    before = AuditEvent.objects.count()
    for name in ("user_b", "operator_h", "customs", "inspector", "board_leader"):
        with pytest.raises(ServiceError) as exc:
            services.declaration_approve(actor=trip.users[name], declaration=d)
        assert exc.value.status == 403, name
    with pytest.raises(ServiceError) as exc:
        services.declaration_cancel(actor=trip.users["user_b"], declaration=d, reason="x")
    assert exc.value.status == 403
    assert Declaration.objects.get(pk=d.pk).status == "submitted" and AuditEvent.objects.count() == before
    assert (
        services.declaration_approve(actor=trip.users["department_staff"], declaration=d).status == "approved"
    )


def test_customs_agent_declares_for_its_client_but_not_for_others(trip):
    agent = trip.users["user_c"]
    d = trip.draft(actor=agent)
    assert d.enterprise == trip.a and d.agent == trip.c
    with pytest.raises(ServiceError) as exc:
        trip.draft(actor=agent, enterprise=trip.b, vehicle=trip.vehicle_b, driver=trip.driver_b)
    assert exc.value.field == "enterprise"
    with pytest.raises(ServiceError):
        trip.draft(actor=trip.users["user_b"])


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"lines": [goods_line(hs_code="0810901")]}, "lines.1.hs_code", "8 chữ số"),
        ({"lines": [goods_line(hs_code="77010000")]}, "lines.1.hs_code", "chương 77"),
        ({"lines": [goods_line(quantity="0")]}, "lines.1.quantity", "lớn hơn 0"),
        ({"lines": [goods_line(currency="đồng")]}, "lines.1.currency", "ISO 4217"),
        ({"lines": []}, "lines", "ít nhất một"),
        ({"containers": [{"number": "CSQU3054384", "size": 40}]}, "containers.1.number", "chữ số kiểm tra"),
        ({"containers": [{"number": "CSQU3054383", "size": 30}]}, "containers.1.size", "20 hoặc 40"),
        ({"flow": "transit"}, "direction", "hai chiều"),
        ({"flow": "import", "direction": "exit"}, "direction", "Nhập cảnh"),
        (
            {"planned_arrival": timezone.now() - datetime.timedelta(days=2)},
            "planned_arrival",
            "trước hôm nay",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(trip, change, field, words):
    with pytest.raises(ServiceError) as exc:
        trip.draft(**change)
    assert exc.value.field == field
    assert words in exc.value.messages[0]
    assert Declaration.objects.count() == 0


def test_trailer_and_vehicle_kinds_are_checked(trip):
    with pytest.raises(ServiceError) as exc:
        trip.draft(vehicle=trip.trailer_a)
    assert exc.value.field == "vehicle" and "rơ moóc" in exc.value.messages[0]
    with pytest.raises(ServiceError) as exc:
        trip.draft(trailer=trip.vehicle_a2)
    assert exc.value.field == "trailer"
    assert trip.draft(trailer=trip.trailer_a).trailer == trip.trailer_a


def test_plates_for_lookups_are_normalised_and_bad_plates_named():
    from cuakhau.traffic import validation

    with pytest.raises(ServiceError) as exc:
        validation.vehicle_by_plate("12C-ABCDE")
    assert exc.value.field == "vehicle" and "định dạng" in exc.value.messages[0]
    with pytest.raises(ServiceError) as exc:
        validation.vehicle_by_plate("12C 999.99")
    assert "chưa được đăng ký" in exc.value.messages[0] and "12C-999.99" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("hs", "kind"),
    [
        ("01022900", "live_animals"),
        ("07031019", "vegetables"),
        ("08109010", "agricultural"),
        ("06031100", "agricultural"),
        ("14049099", "agricultural"),
        ("26011100", "ore"),
        ("27011210", "fuel"),
        ("02013000", "other"),
        ("15079010", "other"),
        ("85171300", "other"),
    ],
)
def test_goods_kind_by_hs_chapter(hs, kind):
    from cuakhau.traffic.models import goods_kind

    assert goods_kind(hs) == kind


def test_checks_follow_the_goods(trip):
    user, operator = trip.users["user_a"], trip.users["gate_operator"]
    d = trip.draft(lines=[goods_line(hs_code="01022900", description="Bò sống", unit="con")], flow="import")
    d = services.declaration_approve(
        actor=operator, declaration=services.declaration_submit(actor=user, declaration=d)
    )
    assert sorted(d.checks.values_list("agency_kind", flat=True)) == sorted(
        ["customs", "border_guard", "medical_quarantine", "animal_quarantine"]
    )
    assert d.direction == "entry"
