"""Drivers' document numbers: masked everywhere, shown in full only to the roles that need them,
through an explicit action that is audited (and the audit never holds the number)."""

import pytest
from django.urls import reverse

from cuakhau.core.models import AuditEvent
from cuakhau.parties.models import mask_id

pytestmark = pytest.mark.django_db

FULL = "001234567889"
MASKED = "0012******89"


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        (FULL, MASKED),
        ("452101198003151239", "4521************39"),
        ("E12345678", "E******78"),
        ("C123456", "C****56"),
        ("12345", "*****"),
        ("", ""),
    ],
)
def test_mask(number, masked):
    assert mask_id(number) == masked


def _reveals():
    return AuditEvent.objects.filter(action="parties.driver.reveal_id")


def _no_full_number_in_the_log():
    for event in AuditEvent.objects.all():
        assert FULL not in f"{event.before} {event.after} {event.object_repr}"


def test_lists_and_details_show_the_masked_number_only(world, client):
    client.force_login(world.users["department_staff"])
    for url in [
        reverse("parties:driver_list"),
        reverse("parties:driver_detail", args=[world.driver_a.pk]),
        reverse("parties:enterprise_detail", args=[world.a.tax_code]),
    ]:
        page = client.get(url).content.decode()
        assert MASKED in page and FULL not in page, url
    api_list = client.get("/api/v1/parties/drivers").json()
    api_detail = client.get(f"/api/v1/parties/drivers/{world.driver_a.pk}").json()
    assert FULL not in str(api_list) and FULL not in str(api_detail)
    assert api_detail["id_number_masked"] == MASKED and "id_number" not in api_detail
    # The edit form does not carry the number either.
    edit = client.get(reverse("parties:driver_edit", args=[world.driver_a.pk])).content.decode()
    assert FULL not in edit and MASKED in edit
    assert not _reveals().exists()


REVEALERS = ["department_staff", "admin", "gate_operator", "agency_officer", "user_a", "driver_a"]
REFUSED = ["board_leader", "gate_cashier", "inspector", "provincial_leader", "user_c"]  # user_c: the agent


@pytest.mark.parametrize("role", REVEALERS)
def test_reveal_on_the_page_is_audited(world, client, role):
    user = world.users[role]
    client.force_login(user)
    detail = client.get(reverse("parties:driver_detail", args=[world.driver_a.pk])).content.decode()
    assert 'data-testid="reveal-id"' in detail
    response = client.post(
        reverse("parties:driver_reveal_id", args=[world.driver_a.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and FULL in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    event = _reveals().get()
    assert (event.actor, event.object_id, event.object_type) == (
        user,
        str(world.driver_a.pk),
        "parties.driver",
    )
    assert event.channel == "web"
    _no_full_number_in_the_log()


@pytest.mark.parametrize("role", REVEALERS)
def test_reveal_through_the_api_is_audited(world, client, role):
    client.force_login(world.users[role])
    response = client.post(f"/api/v1/parties/drivers/{world.driver_a.pk}/reveal-id")
    assert response.status_code == 200
    assert response.json()["id_number"] == FULL
    assert _reveals().get().channel == "api"
    _no_full_number_in_the_log()


@pytest.mark.parametrize("role", REFUSED)
def test_roles_that_do_not_need_the_number_are_refused_and_nothing_is_logged(world, client, role):
    client.force_login(world.users[role])
    detail = client.get(reverse("parties:driver_detail", args=[world.driver_a.pk])).content.decode()
    assert 'data-testid="reveal-id"' not in detail
    page = client.post(reverse("parties:driver_reveal_id", args=[world.driver_a.pk]), HTTP_HX_REQUEST="true")
    assert page.status_code == 403 and FULL not in page.content.decode()
    api = client.post(f"/api/v1/parties/drivers/{world.driver_a.pk}/reveal-id")
    assert api.status_code == 403 and FULL not in api.content.decode()
    assert not _reveals().exists()


def test_reveal_without_htmx_renders_the_page_with_the_number(world, client):
    client.force_login(world.users["gate_operator"])
    response = client.post(reverse("parties:driver_reveal_id", args=[world.driver_a.pk]))
    assert response.status_code == 200 and FULL in response.content.decode()
    assert _reveals().count() == 1


def test_reveal_is_a_post(world, client):
    client.force_login(world.users["gate_operator"])
    assert client.get(reverse("parties:driver_reveal_id", args=[world.driver_a.pk])).status_code == 405
    assert client.get(f"/api/v1/parties/drivers/{world.driver_a.pk}/reveal-id").status_code == 405
    assert not _reveals().exists()


def test_another_drivers_number_is_404_for_a_driver(world, client):
    client.force_login(world.users["driver_a"])
    assert client.post(f"/api/v1/parties/drivers/{world.driver_b.pk}/reveal-id").status_code == 404
    assert not _reveals().exists()
