"""Registering a driver or an enterprise shows every error of the form on one submit (issue 12):
the services check every field before refusing, and the page puts each error on its field."""

import pytest
from django.urls import reverse

from cuakhau.core.errors import ServiceError
from cuakhau.parties import services
from cuakhau.parties.models import Driver, Enterprise

pytestmark = pytest.mark.django_db


def _field_errors(response):
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def test_a_driver_form_with_three_bad_fields_shows_the_three(world, client):
    client.force_login(world.users["department_staff"])
    response = client.post(
        reverse("parties:driver_create"),
        {
            "full_name": "Nông Văn Hải",
            "id_kind": "cccd",
            "id_number": "12345",
            "nationality": "VN",
            "phone": "gọi tôi",
            "employer": world.b.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    errors = _field_errors(response)
    assert {"id_number", "phone"} <= set(errors), errors
    assert "12 chữ số" in errors["id_number"][0] and "gọi tôi" in errors["phone"][0]
    assert not Driver.objects.filter(full_name="Nông Văn Hải").exists()


def test_the_driver_service_refuses_every_field_at_once():
    with pytest.raises(ServiceError) as caught:
        services.driver_register(
            actor=None, full_name="  ", id_kind="passport", id_number="x", nationality="ZZ", phone="không có"
        )
    assert set(caught.value.message_dict) == {"full_name", "nationality", "id_number", "phone"}


def test_an_enterprise_with_a_bad_tax_code_e_mail_and_phone_gets_the_three(world, client):
    client.force_login(world.users["department_staff"])
    response = client.post(
        reverse("parties:enterprise_create"),
        {
            "tax_code": "0314409058-000",
            "name": "Chi nhánh",
            "email": "khong-phai-thu",
            "phone": "số máy bàn",
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    errors = _field_errors(response)
    assert {"tax_code", "phone"} <= set(errors), errors
    assert "001 đến 999" in errors["tax_code"][0]
    assert not Enterprise.objects.filter(name="Chi nhánh").exists()
    with pytest.raises(ServiceError) as caught:
        services.enterprise_register(actor=None, tax_code="0314409058-000", name=" ", email="x@", phone="abc")
    assert set(caught.value.message_dict) == {"tax_code", "name", "email", "phone"}
