"""The permission matrix: every role against the register, its pages and its API. Out of scope is 404."""

import pytest
from django.urls import reverse

from cuakhau.core.permissions import ADD, CHANGE, VIEW, may_add
from cuakhau.parties import services
from cuakhau.parties.models import Driver, Enterprise, Vehicle

pytestmark = pytest.mark.django_db

EVERYTHING = {"a", "b", "c"}
# role -> (enterprises, vehicles, drivers) visible; vehicles "cn" is the ownerless Guangxi truck
VISIBLE = {
    "board_leader": (EVERYTHING, {"a", "b", "cn"}, {"a", "b"}),
    "department_staff": (EVERYTHING, {"a", "b", "cn"}, {"a", "b"}),
    "admin": (EVERYTHING, {"a", "b", "cn"}, {"a", "b"}),
    "gate_operator": (EVERYTHING, {"a", "b", "cn"}, {"a", "b"}),
    "gate_cashier": (EVERYTHING, {"a", "b", "cn"}, {"a", "b"}),
    "agency_officer": (EVERYTHING, {"a", "b", "cn"}, {"a", "b"}),
    "inspector": (EVERYTHING, {"a", "b", "cn"}, {"a", "b"}),
    "provincial_leader": (EVERYTHING, {"a", "b", "cn"}, {"a", "b"}),
    "user_a": ({"a", "c"}, {"a"}, {"a"}),  # sees its agent C, not C's vehicles
    "user_b": ({"b"}, {"b"}, {"b"}),
    "user_c": ({"a", "c"}, {"a"}, {"a"}),  # the agent sees its client A
    "driver_a": (set(), set(), {"a"}),
}
# role -> may change (vehicles) of A
CHANGES_A = {"department_staff", "admin", "user_a", "user_c"}


def _names(world, objects, kind):
    index = {
        "enterprise": {world.a.pk: "a", world.b.pk: "b", world.c.pk: "c"},
        "vehicle": {world.vehicle_a.pk: "a", world.vehicle_b.pk: "b", world.vehicle_cn.pk: "cn"},
        "driver": {world.driver_a.pk: "a", world.driver_b.pk: "b"},
    }[kind]
    return {index[o.pk] for o in objects}


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_scopes(world, role):
    user = world.users[role]
    enterprises, vehicles, drivers = VISIBLE[role]
    assert _names(world, Enterprise.objects.for_user(user), "enterprise") == enterprises
    assert _names(world, Vehicle.objects.for_user(user), "vehicle") == vehicles
    assert _names(world, Driver.objects.for_user(user), "driver") == drivers
    assert Vehicle.objects.for_user(user, CHANGE).filter(pk=world.vehicle_a.pk).exists() == (
        role in CHANGES_A
    )
    assert Driver.objects.for_user(user, CHANGE).filter(pk=world.driver_a.pk).exists() == (role in CHANGES_A)


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_pages_answer_404_out_of_scope_and_200_in_scope(world, client, role):
    client.force_login(world.users[role])
    enterprises, vehicles, drivers = VISIBLE[role]
    for name, enterprise in (("a", world.a), ("b", world.b), ("c", world.c)):
        response = client.get(reverse("parties:enterprise_detail", args=[enterprise.tax_code]))
        assert response.status_code == (200 if name in enterprises else 404), (role, name)
    for name, vehicle in (("a", world.vehicle_a), ("b", world.vehicle_b), ("cn", world.vehicle_cn)):
        response = client.get(reverse("parties:vehicle_detail", args=[vehicle.pk]))
        assert response.status_code == (200 if name in vehicles else 404), (role, name)
    for name, driver in (("a", world.driver_a), ("b", world.driver_b)):
        response = client.get(reverse("parties:driver_detail", args=[driver.pk]))
        assert response.status_code == (200 if name in drivers else 404), (role, name)
    edit = client.get(reverse("parties:vehicle_edit", args=[world.vehicle_a.pk]))
    assert edit.status_code == (200 if role in CHANGES_A else 404), role


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_api_answers_404_out_of_scope_and_lists_only_the_scope(world, client, role):
    client.force_login(world.users[role])
    enterprises, vehicles, drivers = VISIBLE[role]
    listed = client.get("/api/v1/parties/vehicles").json()
    assert {v["plate"] for v in listed} == {
        {"a": "12C-111.11", "b": "12C-222.22", "cn": "桂F·12345"}[n] for n in vehicles
    }
    assert len(client.get("/api/v1/parties/drivers").json()) == len(drivers)
    assert len(client.get("/api/v1/parties/enterprises").json()) == len(enterprises)
    for name, vehicle in (("a", world.vehicle_a), ("b", world.vehicle_b)):
        response = client.get(f"/api/v1/parties/vehicles/{vehicle.pk}")
        assert response.status_code == (200 if name in vehicles else 404), (role, name)
    for name, driver in (("a", world.driver_a), ("b", world.driver_b)):
        response = client.get(f"/api/v1/parties/drivers/{driver.pk}")
        assert response.status_code == (200 if name in drivers else 404), (role, name)
    response = client.get(f"/api/v1/parties/enterprises/{world.b.tax_code}")
    assert response.status_code == (200 if "b" in enterprises else 404)


def test_enterprise_a_cannot_reach_b_by_any_door(world, client):
    client.force_login(world.users["user_a"])
    for url in [
        reverse("parties:vehicle_detail", args=[world.vehicle_b.pk]),
        reverse("parties:vehicle_edit", args=[world.vehicle_b.pk]),
        reverse("parties:driver_detail", args=[world.driver_b.pk]),
        reverse("parties:driver_edit", args=[world.driver_b.pk]),
        reverse("parties:enterprise_detail", args=[world.b.tax_code]),
        reverse("parties:enterprise_edit", args=[world.b.tax_code]),
        f"/api/v1/parties/vehicles/{world.vehicle_b.pk}",
        f"/api/v1/parties/drivers/{world.driver_b.pk}",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("parties:driver_reveal_id", args=[world.driver_b.pk])).status_code == 404
    assert client.post(f"/api/v1/parties/drivers/{world.driver_b.pk}/reveal-id").status_code == 404
    # The search does not find B's vehicle either.
    assert "12C-222.22" not in client.get(reverse("parties:vehicle_list"), {"q": "12C222"}).content.decode()
    assert client.get("/api/v1/parties/vehicles", {"plate": "12C-222.22"}).json() == []


def test_the_agent_loses_the_client_when_the_mandate_ends(world, client):
    client.force_login(world.users["user_c"])
    url = reverse("parties:vehicle_detail", args=[world.vehicle_a.pk])
    assert client.get(url).status_code == 200
    services.mandate_revoke(actor=None, mandate=world.mandate, reason="Hết hợp đồng")
    assert client.get(url).status_code == 404


def test_the_agent_may_not_edit_its_clients_company_record(world, client):
    client.force_login(world.users["user_c"])
    assert client.get(reverse("parties:enterprise_edit", args=[world.a.tax_code])).status_code == 404
    assert client.get(reverse("parties:enterprise_edit", args=[world.c.tax_code])).status_code == 200


def test_a_driver_sees_only_themself(world, client):
    client.force_login(world.users["driver_a"])
    assert client.get(reverse("parties:index")).url == reverse(
        "parties:driver_detail", args=[world.driver_a.pk]
    )
    assert [d["id"] for d in client.get("/api/v1/parties/drivers").json()] == [world.driver_a.pk]
    assert client.get("/api/v1/parties/vehicles").json() == []
    page = client.get(reverse("parties:driver_list")).content.decode()
    assert "Hà Văn Sơn" in page and "Lục Văn Bình" not in page


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("department_staff", True),
        ("admin", True),
        ("user_a", True),
        ("board_leader", False),
        ("gate_operator", False),
        ("inspector", False),
        ("provincial_leader", False),
        ("driver_a", False),
    ],
)
def test_who_may_add(world, role, allowed):
    assert may_add(world.users[role], Vehicle) == allowed
    assert may_add(world.users[role], Driver) == allowed


@pytest.mark.parametrize(
    "role", ["inspector", "provincial_leader", "gate_operator", "driver_a", "board_leader"]
)
def test_roles_that_may_not_add_get_404_pages_and_403_api(world, client, role):
    client.force_login(world.users[role])
    assert client.get(reverse("parties:vehicle_create")).status_code == 404
    assert client.get(reverse("parties:driver_create")).status_code == 404
    assert client.get(reverse("parties:enterprise_create")).status_code == 404
    response = client.post(
        "/api/v1/parties/vehicles", {"plate": "12C-999.99", "kind": "truck"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Vehicle.objects.filter(plate_key="12C99999").exists()


def test_only_the_departments_register_enterprises(world):
    assert may_add(world.users["department_staff"], Enterprise)
    assert not may_add(world.users["user_a"], Enterprise)
    assert not Enterprise.objects.for_user(world.users["gate_operator"], ADD).exists()
    assert Enterprise.objects.for_user(world.users["inspector"], VIEW).count() == 3
