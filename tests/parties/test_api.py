"""The API: creation through the services, clear 422s naming the field."""

import pytest

from cuakhau.core.models import AuditEvent
from cuakhau.parties.models import Driver, Enterprise, Vehicle

pytestmark = pytest.mark.django_db


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_create_enterprise_and_refuse_a_bad_tax_code(world, client):
    client.force_login(world.users["department_staff"])
    response = _post(
        client,
        "/api/v1/parties/enterprises",
        {"tax_code": "0314409058002", "name": "Chi nhánh X", "is_customs_agent": True},
    )
    assert response.status_code == 201
    assert response.json()["tax_code"] == "0314409058-002" and response.json()["unit"] == "dn-0314409058-002"
    bad = _post(client, "/api/v1/parties/enterprises", {"tax_code": "0100233480", "name": "Y"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "tax_code" and "kiểm tra" in bad.json()["errors"][0]["message"]
    missing = _post(client, "/api/v1/parties/enterprises", {"name": "Z"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "tax_code"
    assert Enterprise.objects.count() == 4


def test_create_vehicle_for_own_enterprise_and_match_by_any_spelling(world, client):
    client.force_login(world.users["user_a"])
    response = _post(
        client,
        "/api/v1/parties/vehicles",
        {"plate": "12r 004.56", "kind": "semi_trailer", "tonnage": 30.5, "owner": world.a.tax_code},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["plate"], body["plate_key"], body["is_trailer"], body["owner"]) == (
        "12R-004.56",
        "12R00456",
        True,
        world.a.tax_code,
    )
    found = client.get("/api/v1/parties/vehicles", {"plate": "12R00456"}).json()
    assert [v["id"] for v in found] == [body["id"]]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"plate": "12C-ABCDE", "kind": "truck"}, "plate"),
        ({"plate": "12C-111.11", "kind": "truck"}, "plate"),  # already registered
        ({"plate": "12C-777.77", "kind": "boat"}, "kind"),
        ({"plate": "12C-777.77"}, "kind"),
        ({"plate": "12C-777.77", "kind": "truck", "tonnage": -3}, "tonnage"),
        ({"plate": "12C-777.77", "kind": "truck", "owner": "0100233480"}, "owner"),
    ],
)
def test_vehicle_422s_name_the_field(world, client, payload, field):
    client.force_login(world.users["department_staff"])
    before = Vehicle.objects.count()
    response = _post(client, "/api/v1/parties/vehicles", payload)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert response.json()["errors"][0]["message"]
    assert Vehicle.objects.count() == before


def test_an_enterprise_cannot_register_a_vehicle_for_another(world, client):
    client.force_login(world.users["user_a"])
    response = _post(
        client,
        "/api/v1/parties/vehicles",
        {"plate": "12C-777.77", "kind": "truck", "owner": world.b.tax_code},
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "owner"
    no_owner = _post(client, "/api/v1/parties/vehicles", {"plate": "12C-777.77", "kind": "truck"})
    assert no_owner.status_code == 422 and no_owner.json()["errors"][0]["field"] == "owner"
    assert not Vehicle.objects.filter(plate_key="12C77777").exists()


def test_the_agent_registers_a_driver_for_its_client(world, client):
    client.force_login(world.users["user_c"])
    response = _post(
        client,
        "/api/v1/parties/drivers",
        {
            "full_name": "黄志强",
            "id_kind": "cn_id",
            "id_number": "452101198003151239",
            "employer": world.a.tax_code,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["nationality"] == "CN" and body["id_number_masked"] == "4521************39"
    assert "452101198003151239" not in str(body)
    assert Driver.objects.get(pk=body["id"]).employer == world.a


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"full_name": "A", "id_kind": "cccd", "id_number": "123"}, "id_number"),
        ({"full_name": "A", "id_kind": "cccd", "id_number": "001234567889"}, "id_number"),  # taken
        ({"full_name": "A", "id_kind": "visa", "id_number": "X"}, "id_kind"),
        ({"full_name": "", "id_kind": "cccd", "id_number": "020085001111"}, "full_name"),
        (
            {"full_name": "A", "id_kind": "passport", "id_number": "E1234567", "nationality": "ZZ"},
            "nationality",
        ),
    ],
)
def test_driver_422s_name_the_field(world, client, payload, field):
    client.force_login(world.users["department_staff"])
    response = _post(client, "/api/v1/parties/drivers", payload)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert "001234567889" not in response.content.decode()


def test_a_key_issued_for_an_enterprise_person_acts_as_no_one(world, client):
    """Issue 13, H1: a key issued (before the rule) for an enterprise's user read driver ID numbers in
    that person's name. A key acts only as a device or system account (core.keys), checked on every call."""
    from cuakhau.core.models import ApiToken

    ApiToken.objects.create(
        name="ERP",
        prefix="erp-a",
        key_hash=ApiToken.hash_secret("s3cret-a"),
        user=world.users["user_a"],
        unit=world.a.unit,
    )
    headers = {"HTTP_AUTHORIZATION": "Bearer s3cret-a"}
    assert client.get(f"/api/v1/parties/vehicles/{world.vehicle_a.pk}", **headers).status_code == 401
    response = client.post(f"/api/v1/parties/drivers/{world.driver_a.pk}/reveal-id", **headers)
    assert response.status_code == 401
    assert not AuditEvent.objects.filter(action="parties.driver.reveal_id").exists()
