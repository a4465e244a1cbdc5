"""A vehicle's tonnage typed the reader's way (issue 12): the form and the API read "1,5" as 1.5 on a
Vietnamese page, refuse what reads two ways naming the field, and show a refused text as typed."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cuakhau.parties.models import Vehicle

pytestmark = pytest.mark.django_db


def _post(client, world, tonnage):
    return client.post(
        reverse("parties:vehicle_create"),
        {"plate": "12c 888.88", "kind": "truck", "tonnage": tonnage, "owner": world.a.pk, "is_active": "on"},
    )


def test_the_vehicle_form_reads_the_tonnage_the_vietnamese_way(world, client):
    client.force_login(world.users["user_a"])
    refused = _post(client, world, "15,500")
    assert refused.status_code == 400
    error = refused.context["form"].errors["tonnage"][0]
    assert "Tải trọng" in error and "15.500" in error and "15,5" in error
    assert 'value="15,500"' in refused.content.decode()  # shown again as typed
    assert not Vehicle.objects.filter(plate_key="12C88888").exists()
    assert _post(client, world, "15,5").status_code == 302
    assert Vehicle.objects.get(plate_key="12C88888").tonnage == Decimal("15.5")


def test_the_api_reads_a_string_tonnage_and_takes_a_json_number(world, client):
    client.force_login(world.users["user_a"])
    url = "/api/v1/parties/vehicles"
    body = {"plate": "12C-777.77", "kind": "truck", "owner": world.a.tax_code}
    refused = client.post(url, body | {"tonnage": "15.5"}, content_type="application/json")
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["tonnage"]
    assert "15,5" in refused.json()["errors"][0]["message"]
    assert client.post(url, body | {"tonnage": "15,5"}, content_type="application/json").status_code == 201
    assert Vehicle.objects.get(plate_key="12C77777").tonnage == Decimal("15.5")
    body = {"plate": "12C-777.78", "kind": "truck", "owner": world.a.tax_code, "tonnage": 15.5}
    assert client.post(url, body, content_type="application/json").status_code == 201
    assert Vehicle.objects.get(plate_key="12C77778").tonnage == Decimal("15.5")
