"""/api/v1/traffic: declarations through their lifecycle, scopes (another enterprise's trip is 404),
device gate events with Idempotency-Key, and the queue."""

import datetime

import pytest
from django.utils import timezone

from cuakhau.core.models import AuditEvent
from cuakhau.traffic.models import Declaration, GateEvent

pytestmark = pytest.mark.django_db


def _post(client, url, data=None, **headers):
    return client.post(url, data or {}, content_type="application/json", **headers)


def _payload(trip, **over):
    return {
        "enterprise": trip.a.tax_code,
        "gate": "GATE_G",
        "flow": "export",
        "vehicle": "12c11111",
        "driver_id": trip.driver_a.pk,
        "planned_arrival": (timezone.now() + datetime.timedelta(hours=3)).isoformat(),
        "lines": [
            {
                "hs_code": "0810.90.10",
                "description": "Nhãn",
                "quantity": "100",
                "unit": "kg",
                "gross_kg": "110",
                "value": "1000000",
            }
        ],
        "containers": [{"number": "CSQU3054383", "size": 40}],
    } | over


def test_declare_submit_approve_call_through_the_api(trip, client):
    client.force_login(trip.users["user_a"])
    created = _post(client, "/api/v1/traffic/declarations", _payload(trip, submit=True))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["vehicle"], body["lines"][0]["goods_kind"]) == (
        "submitted",
        "12C-111.11",
        "agricultural",
    )
    assert body["driver_id_masked"] == "0200******34"
    pk = body["id"]
    assert _post(client, f"/api/v1/traffic/declarations/{pk}/approve").status_code == 403
    client.force_login(trip.users["gate_operator"])
    approved = _post(client, f"/api/v1/traffic/declarations/{pk}/approve")
    assert approved.status_code == 200 and approved.json()["queue_number"] == 1
    again = _post(client, f"/api/v1/traffic/declarations/{pk}/approve")
    assert again.status_code == 409 and "Không thể duyệt" in again.json()["detail"]
    assert _post(client, f"/api/v1/traffic/declarations/{pk}/call-forward", {}).json()["status"] == "called"
    queue = client.get("/api/v1/traffic/queue", {"gate": "GATE_G"}).json()
    assert queue["gate"] == "GATE_G" and queue["directions"][0]["called"] == 1


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"enterprise": "0100233480"}, "enterprise"),
        ({"vehicle": "12C-ABCDE"}, "vehicle"),
        (
            {
                "lines": [
                    {
                        "hs_code": "0810",
                        "description": "x",
                        "quantity": 1,
                        "unit": "kg",
                        "gross_kg": 1,
                        "value": 1,
                    }
                ]
            },
            "lines.1.hs_code",
        ),
        ({"containers": [{"number": "CSQU3054384", "size": 40}]}, "containers.1.number"),
        ({"flow": "smuggling"}, "flow"),
    ],
)
def test_bad_declarations_are_422_naming_the_field(trip, client, over, field):
    client.force_login(trip.users["user_a"])
    response = _post(client, "/api/v1/traffic/declarations", _payload(trip, **over))
    assert response.status_code == 422, response.json()
    assert field in [e["field"] for e in response.json()["errors"]]
    assert Declaration.objects.count() == 0


def test_enterprise_b_gets_404_for_a_trips(trip, client):
    d = trip.draft()
    client.force_login(trip.users["user_b"])
    assert client.get(f"/api/v1/traffic/declarations/{d.pk}").status_code == 404
    assert _post(client, f"/api/v1/traffic/declarations/{d.pk}/submit").status_code == 404
    assert _post(client, f"/api/v1/traffic/declarations/{d.pk}/cancel", {"reason": "x"}).status_code == 404
    assert client.get("/api/v1/traffic/declarations").json() == []
    client.force_login(trip.users["user_c"])  # the agent with a mandate from A
    assert [x["id"] for x in client.get("/api/v1/traffic/declarations").json()] == [d.pk]
    client.force_login(trip.users["operator_h"])
    assert client.get(f"/api/v1/traffic/declarations/{d.pk}").status_code == 404


def test_no_key_acts_as_an_enterprise(trip):
    """Keys act as device and system accounts of the Board's side only (core.keys): an enterprise's
    person, or an enterprise-side account, gets none, so no key files declarations in its name."""
    from cuakhau.core.errors import ServiceError
    from cuakhau.core.services.org import token_create

    with pytest.raises(ServiceError):
        token_create(actor=None, user=trip.users["user_a"], name="ERP A")


def test_device_posts_gate_events_idempotently_and_only_for_its_gate(trip, approved, client):
    from cuakhau.traffic import services

    services.declaration_call_forward(actor=trip.users["gate_operator"], declaration=approved)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {trip.secret}", "HTTP_IDEMPOTENCY_KEY": "cam-1-0001"}
    body = {"kind": "in", "yard": "bai-g", "plate": "12C 111.11"}
    first = _post(client, "/api/v1/traffic/gate-events", body, **auth)
    assert first.status_code == 201, first.json()
    assert first.json()["result"] == "in_yard"
    counts = (GateEvent.objects.count(), AuditEvent.objects.count())
    again = _post(client, "/api/v1/traffic/gate-events", body, **auth)
    assert (
        again.status_code == 201 and again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    )
    assert (GateEvent.objects.count(), AuditEvent.objects.count()) == counts
    other = _post(
        client, "/api/v1/traffic/gate-events", {"kind": "out", "yard": "bai-g", "plate": "12C11111"}, **auth
    )
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"
    foreign = _post(
        client,
        "/api/v1/traffic/gate-events",
        body,
        HTTP_AUTHORIZATION=f"Bearer {trip.secret_h}",
        HTTP_IDEMPOTENCY_KEY="cam-h-1",
    )
    assert foreign.status_code == 403
    missing = _post(client, "/api/v1/traffic/gate-events", body, HTTP_AUTHORIZATION=f"Bearer {trip.secret}")
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "Idempotency-Key"
    assert GateEvent.objects.count() == counts[0]


def test_enterprise_users_cannot_post_gate_events(trip, client):
    client.force_login(trip.users["user_a"])
    response = _post(
        client,
        "/api/v1/traffic/gate-events",
        {"kind": "in", "yard": "bai-g", "plate": "12C11111"},
        HTTP_IDEMPOTENCY_KEY="x",
    )
    assert response.status_code == 403
