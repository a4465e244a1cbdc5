"""Pages: lists with search, forms that create through the services and show their refusals."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cuakhau.core.models import AuditEvent
from cuakhau.parties.models import AgencyMandate, Driver, Enterprise, Vehicle

pytestmark = pytest.mark.django_db


def test_vehicle_search_by_any_spelling_of_the_plate(world, client):
    client.force_login(world.users["gate_operator"])
    for q in ["12C111", "12c-111.1", "GX F123", "桂F·123"]:
        page = client.get(reverse("parties:vehicle_list"), {"q": q}).content.decode()
        expected = "12C-111.11" if q.lower().startswith("12c") else "桂F·12345"
        other = "12C-222.22"
        assert expected in page and other not in page, q
    page = client.get(reverse("parties:vehicle_list"), {"country": "CN"}).content.decode()
    assert "桂F·12345" in page and "12C-111.11" not in page


def test_enterprise_and_driver_search(world, client):
    client.force_login(world.users["department_staff"])
    page = client.get(reverse("parties:enterprise_list"), {"q": "Công ty B"}).content.decode()
    assert "Công ty B" in page and "Công ty A" not in page
    page = client.get(reverse("parties:enterprise_list"), {"q": world.a.tax_code}).content.decode()
    assert "Công ty A" in page and "Công ty B" not in page
    page = client.get(reverse("parties:enterprise_list"), {"agent": "1"}).content.decode()
    assert "Đại lý C" in page and "Công ty A" not in page
    page = client.get(reverse("parties:driver_list"), {"q": "Lục"}).content.decode()
    assert "Lục Văn Bình" in page and "Hà Văn Sơn" not in page


def test_staff_register_an_enterprise_with_the_form(world, client):
    client.force_login(world.users["department_staff"])
    bad = client.post(
        reverse("parties:enterprise_create"), {"tax_code": "0314409058-000", "name": "Chi nhánh"}
    )
    assert bad.status_code == 400
    assert "001 đến 999" in bad.content.decode()
    good = client.post(
        reverse("parties:enterprise_create"),
        {"tax_code": "0314409058-002", "name": "Chi nhánh", "is_active": "on"},
    )
    assert good.status_code == 302
    assert Enterprise.objects.get(tax_code="0314409058-002").name == "Chi nhánh"


def test_an_enterprise_user_edits_its_contact_details_but_not_its_tax_code(world, client):
    client.force_login(world.users["user_a"])
    url = reverse("parties:enterprise_edit", args=[world.a.tax_code])
    form = client.get(url).content.decode()
    assert 'name="tax_code"' not in form and 'name="is_customs_agent"' not in form
    response = client.post(
        url,
        {
            "name": "Công ty A mới",
            "phone": "0205 3123 456",
            "tax_code": "0100233488",
            "is_customs_agent": "on",
        },
    )
    assert response.status_code == 302
    world.a.refresh_from_db()
    assert (
        world.a.name == "Công ty A mới" and world.a.tax_code != "0100233488" and not world.a.is_customs_agent
    )


def test_register_a_vehicle_with_the_form_and_see_the_plate_error(world, client):
    client.force_login(world.users["user_a"])
    form = client.get(reverse("parties:vehicle_create")).content.decode()
    assert world.a.name in form and "Công ty B" not in form  # owners offered: own enterprise only
    bad = client.post(
        reverse("parties:vehicle_create"), {"plate": "12 C 12", "kind": "truck", "owner": world.a.pk}
    )
    assert bad.status_code == 400 and "không đúng định dạng" in bad.content.decode()
    dup = client.post(
        reverse("parties:vehicle_create"), {"plate": "12C11111", "kind": "truck", "owner": world.a.pk}
    )
    assert dup.status_code == 400 and "đã được đăng ký" in dup.content.decode()
    forged = client.post(
        reverse("parties:vehicle_create"), {"plate": "12C-888.88", "kind": "truck", "owner": world.b.pk}
    )
    assert forged.status_code == 400 and not Vehicle.objects.filter(plate_key="12C88888").exists()
    good = client.post(
        reverse("parties:vehicle_create"),
        {"plate": "12c 888.88", "kind": "truck", "tonnage": "12", "owner": world.a.pk, "is_active": "on"},
    )
    assert good.status_code == 302
    vehicle = Vehicle.objects.get(plate_key="12C88888")
    assert vehicle.plate == "12C-888.88" and vehicle.owner == world.a


def test_edit_a_driver_without_retyping_the_number(world, client):
    client.force_login(world.users["user_a"])
    url = reverse("parties:driver_edit", args=[world.driver_a.pk])
    response = client.post(
        url,
        {
            "full_name": "Hà Văn Sơn",
            "id_kind": "cccd",
            "id_number": "",
            "nationality": "VN",
            "phone": "0987 654 321",
            "employer": world.a.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    world.driver_a.refresh_from_db()
    assert world.driver_a.phone == "0987 654 321" and world.driver_a.id_number == "001234567889"


def test_register_a_driver_with_the_form(world, client):
    client.force_login(world.users["department_staff"])
    response = client.post(
        reverse("parties:driver_create"),
        {
            "full_name": "Nông Văn Hải",
            "id_kind": "cccd",
            "id_number": "020088001122",
            "nationality": "VN",
            "employer": world.b.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Driver.objects.get(full_name="Nông Văn Hải").employer == world.b


def test_a_client_grants_and_revokes_a_mandate_on_the_pages(world, client):
    client.force_login(world.users["user_b"])
    form = client.get(reverse("parties:mandate_create")).content.decode()
    assert "Đại lý C" in form and "Công ty A" not in form
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("parties:mandate_create"),
        {"agent": world.c.pk, "client": world.b.pk, "valid_from": today, "reference": "HĐ-B"},
    )
    assert response.status_code == 302
    mandate = AgencyMandate.objects.get(client=world.b)
    # The agent now sees B's vehicle.
    client.force_login(world.users["user_c"])
    assert client.get(reverse("parties:vehicle_detail", args=[world.vehicle_b.pk])).status_code == 200
    client.force_login(world.users["user_b"])
    client.post(reverse("parties:mandate_revoke", args=[mandate.pk]), {"reason": "Thôi ủy thác"})
    mandate.refresh_from_db()
    assert mandate.revoked_at is not None
    client.force_login(world.users["user_c"])
    assert client.get(reverse("parties:vehicle_detail", args=[world.vehicle_b.pk])).status_code == 404
    assert (
        AuditEvent.objects.filter(
            action__in=["parties.mandate.grant", "parties.mandate.revoke"], object_id=str(mandate.pk)
        ).count()
        == 2
    )


def test_the_dashboard_card_counts_within_the_scope(world, client):
    from cuakhau.parties.dashboard import dashboard_cards

    staff = dashboard_cards(world.users["department_staff"])[0]
    mine = dashboard_cards(world.users["user_a"])[0]
    assert staff.value == 3 and mine.value == 1
    assert dict(staff.rows)["Biển Quảng Tây (Trung Quốc)"] == 1
    assert dashboard_cards(world.users["driver_a"]) == []
    client.force_login(world.users["user_a"])
    assert client.get(reverse("dashboard")).status_code == 200
