"""The incident lifecycle: each step one service, one audit event; illegal steps and roles refused."""

import pytest

from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent, Unit
from cuakhau.incidents import services
from cuakhau.incidents.models import Incident, Status
from tests.factories import incident_reported

pytestmark = pytest.mark.django_db


def _events(incident):
    return list(
        AuditEvent.objects.filter(object_type="incidents.incident", object_id=str(incident.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_full_lifecycle_public_report_to_closed(people, huunghi):
    op, customs = people["operator"], people["customs"]
    incident = incident_reported(huunghi, kind="other", reporter_phone="0912 345 678")
    assert incident.status == Status.REPORTED and incident.source == "public"
    assert incident.tracking_code.startswith("VV-") and len(incident.tracking_code) == 12

    services.incident_triage(actor=op, incident=incident, kind="smuggling", severity="high", gate=huunghi)
    services.incident_hand(actor=op, incident=incident, force_kind="customs", note="Kiểm tra ngay")
    incident.refresh_from_db()
    # Customs has exactly one unit at Hữu Nghị: the incident goes to it.
    assert incident.force_unit == Unit.objects.get(code="hq-huu-nghi")
    services.incident_start(actor=customs, incident=incident)
    services.incident_resolve(
        actor=customs, incident=incident, resolution="Đã lập biên bản", public_note="Đã xử lý"
    )
    services.incident_close(actor=op, incident=incident)
    incident.refresh_from_db()
    assert incident.status == Status.CLOSED and incident.closed_at and incident.resolved_at
    assert _events(incident) == [
        "incidents.incident.report_public",
        "incidents.incident.triage",
        "incidents.incident.hand",
        "incidents.incident.start",
        "incidents.incident.resolve",
        "incidents.incident.close",
    ]
    assert [e.to_status for e in incident.events.all()] == [
        "reported",
        "triaged",
        "handed",
        "in_progress",
        "resolved",
        "closed",
    ]
    # The reporter's phone number never enters the audit log.
    for event in AuditEvent.objects.filter(object_type="incidents.incident"):
        assert "0912" not in str(event.before) + str(event.after)


@pytest.mark.parametrize(
    "status,action",
    [
        ("reported", "hand"),
        ("reported", "close"),
        ("reported", "start"),
        ("triaged", "resolve"),
        ("closed", "triage"),
        ("rejected", "hand"),
        ("handed", "reject"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(people, huunghi, status, action):
    incident = incident_reported(huunghi)
    Incident.objects.filter(pk=incident.pk).update(
        status=status, reject_reason="spam" if status == "rejected" else ""
    )
    incident.refresh_from_db()
    before = AuditEvent.objects.count()
    kwargs = {
        "hand": {"force_kind": "customs"},
        "close": {},
        "start": {},
        "resolve": {"resolution": "x"},
        "triage": {"kind": "security", "severity": "low", "gate": huunghi},
        "reject": {"reason": "spam"},
    }[action]
    with pytest.raises(ServiceError) as exc:
        getattr(services, f"incident_{action}")(actor=people["department"], incident=incident, **kwargs)
    assert exc.value.status == 409
    assert "Không thể" in exc.value.messages[0]
    incident.refresh_from_db()
    assert incident.status == status
    assert AuditEvent.objects.count() == before


def test_roles_that_may_not_act_are_refused(people, huunghi):
    incident = incident_reported(huunghi)
    for who in ("cashier", "other_operator", "customs", "inspector"):
        with pytest.raises(ServiceError) as exc:
            services.incident_triage(
                actor=people[who], incident=incident, kind="security", severity="low", gate=huunghi
            )
        assert exc.value.status == 403, who
    services.incident_triage(
        actor=people["operator"], incident=incident, kind="security", severity="low", gate=huunghi
    )
    services.incident_hand(actor=people["operator"], incident=incident, force_kind="border_guard")
    # Handed to the border guard: customs may not start it, the border guard may.
    with pytest.raises(ServiceError):
        services.incident_start(actor=people["customs"], incident=incident)
    services.incident_start(actor=people["border_guard"], incident=incident)


def test_hand_checks_the_unit_belongs_to_the_force_and_the_gate(people, huunghi):
    incident = incident_reported(huunghi)
    op = people["operator"]
    services.incident_triage(actor=op, incident=incident, kind="security", severity="low", gate=huunghi)
    with pytest.raises(ServiceError) as exc:
        services.incident_hand(
            actor=op,
            incident=incident,
            force_kind="border_guard",
            force_unit=Unit.objects.get(code="hq-huu-nghi"),
        )
    assert exc.value.field == "force_unit"
    with pytest.raises(ServiceError) as exc:
        services.incident_hand(
            actor=op,
            incident=incident,
            force_kind="customs",
            force_unit=Unit.objects.get(code="hq-tan-thanh"),
        )
    assert "không làm việc tại" in exc.value.messages[0]
    # Environment has no unit in the system: handed to the force kind alone.
    services.incident_hand(actor=op, incident=incident, force_kind="environment")
    incident.refresh_from_db()
    assert incident.force_unit is None and incident.force_label == "Môi trường (vệ sinh, thu gom rác)"
    # The gate centre records the work of a force without a unit.
    services.incident_start(actor=op, incident=incident)


def test_reject_needs_a_reason_and_a_duplicate_names_its_original(people, huunghi):
    op = people["operator"]
    first = incident_reported(huunghi)
    second = incident_reported(huunghi)
    with pytest.raises(ServiceError) as exc:
        services.incident_reject(actor=op, incident=second, reason="")
    assert exc.value.field == "reason"
    with pytest.raises(ServiceError) as exc:
        services.incident_reject(actor=op, incident=second, reason="duplicate")
    assert exc.value.field == "duplicate_of"
    services.incident_reject(actor=op, incident=second, reason="duplicate", duplicate_of=first)
    second.refresh_from_db()
    assert second.status == Status.REJECTED and second.duplicate_of == first


def test_reopen_sends_a_resolved_incident_back(people, huunghi):
    op = people["operator"]
    incident = incident_reported(huunghi)
    services.incident_triage(actor=op, incident=incident, kind="environment", severity="low", gate=huunghi)
    services.incident_hand(actor=op, incident=incident, force_kind="environment")
    services.incident_start(actor=op, incident=incident)
    services.incident_resolve(actor=op, incident=incident, resolution="Đã dọn")
    with pytest.raises(ServiceError):
        services.incident_reopen(actor=op, incident=incident, note="")
    services.incident_reopen(actor=op, incident=incident, note="Vẫn còn rác")
    incident.refresh_from_db()
    assert incident.status == Status.IN_PROGRESS and incident.resolved_at is None


@pytest.mark.parametrize(
    "lat,lon,field,text",
    [
        ("95", "106.7", "latitude", "từ -90 đến 90"),
        ("21.9", "190", "longitude", "từ -180 đến 180"),
        ("48.85", "2.35", "latitude", "ngoài lãnh thổ Việt Nam"),
        ("21.9", "", "longitude", "cả vĩ độ và kinh độ"),
        ("abc", "106.7", "latitude", "số thập phân"),
    ],
)
def test_coordinates_are_checked(huunghi, lat, lon, field, text):
    with pytest.raises(ServiceError) as exc:
        incident_reported(huunghi, latitude=lat, longitude=lon)
    assert exc.value.field == field
    assert text in exc.value.messages[0]
    assert not Incident.objects.exists()


def test_coordinates_with_a_decimal_comma_are_kept(huunghi):
    incident = incident_reported(huunghi, latitude="21,970750", longitude="106,7033")
    assert str(incident.latitude) == "21.970750" and str(incident.longitude) == "106.703300"


def test_staff_record_only_at_their_gates(people, huunghi, tanthanh):
    with pytest.raises(ServiceError) as exc:
        incident_reported(tanthanh, actor=people["operator"])
    assert exc.value.field == "gate"
    incident = incident_reported(huunghi, actor=people["cashier"], severity="low")
    assert incident.source == "staff" and incident.reported_by == people["cashier"]
    assert incident_reported(tanthanh, actor=people["department"]).gate == tanthanh


def test_yard_must_belong_to_the_gate(people, huunghi, tanthanh):
    from tests.factories import YardFactory

    yard = YardFactory(gate=tanthanh)
    with pytest.raises(ServiceError) as exc:
        incident_reported(huunghi, actor=people["department"], yard=yard)
    assert exc.value.field == "yard"
    ok = incident_reported(tanthanh, actor=people["department"], yard=yard)
    assert ok.yard == yard


def test_demo_spreads_types_gates_states_and_is_idempotent(demo_data, client):
    from cuakhau.incidents.demo import load_demo

    load_demo()
    count = Incident.objects.count()
    load_demo()
    assert Incident.objects.count() == count == 7
    assert set(Incident.objects.values_list("kind", flat=True)) == {
        "security",
        "environment",
        "congestion",
        "smuggling",
        "other",
    }
    assert {"reported", "in_progress", "closed", "rejected", "resolved"} <= set(
        Incident.objects.values_list("status", flat=True)
    )
    public = Incident.objects.get(tracking_code="VV-DEMA-0022")
    assert public.source == "public" and public.photos.count() == 1
    assert client.get("/incidents/track/", {"code": "vv-dema-0022"}).status_code == 200
    # Every step went through a service: each incident's events match its audit trail.
    for incident in Incident.objects.all():
        assert (
            incident.events.count()
            == AuditEvent.objects.filter(object_type="incidents.incident", object_id=str(incident.pk)).count()
        )
