"""Security finding M1: an enterprise declares only the vehicles it may use. A competitor's truck is
refused on the form, the Excel upload and the API, so its owner is never blocked by the one-active-trip
rule; a foreign truck with no owner on record is declared by whoever hires it, and when it already has
another enterprise's active trip the 409 says so without that trip's number, enterprise, driver or goods."""

import io

import pytest
from openpyxl import load_workbook

from cuakhau.core.errors import ServiceError
from cuakhau.parties import services as parties
from cuakhau.parties.models import VehicleKind
from cuakhau.traffic import services
from cuakhau.traffic.models import Declaration
from tests.traffic.test_api import _payload, _post
from tests.traffic.test_pages import _form

pytestmark = pytest.mark.django_db

REFUSED = "thuộc doanh nghiệp khác"


def test_a_competitor_cannot_declare_the_owners_truck_on_the_form(trip, client):
    client.force_login(trip.users["user_b"])
    response = client.post(
        "/traffic/declarations/new/",
        _form(trip, enterprise=trip.b.pk, driver=trip.driver_b.pk, vehicle="12C-111.11", and_submit="1"),
    )
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert trip.a.name not in response.content.decode()  # the owner is not named
    assert not Declaration.objects.exists()


def test_a_competitor_cannot_declare_the_owners_truck_through_the_api(trip, client):
    client.force_login(trip.users["user_b"])
    response = _post(
        client,
        "/api/v1/traffic/declarations",
        _payload(trip, enterprise=trip.b.tax_code, driver_id=trip.driver_b.pk, submit=True),
    )
    assert response.status_code == 422, response.json()
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert REFUSED in fields["vehicle"]
    assert not Declaration.objects.exists()


def test_a_competitor_cannot_declare_the_owners_truck_in_an_excel_upload(trip, client):
    from tests.traffic.test_data_entry import TEMPLATE, UPLOAD, _fill, _person_row

    client.force_login(trip.users["user_b"])
    template = load_workbook(io.BytesIO(client.get(TEMPLATE).content))
    row = _person_row(
        trip, **{"Mã số thuế doanh nghiệp": trip.b.tax_code, "Số giấy tờ của lái xe": "020085005678"}
    )
    response = client.post(UPLOAD, {"file": _fill(template, [row])})
    assert response.status_code == 400
    errors = response.context["result"].errors
    assert [(e.column, REFUSED in e.message) for e in errors if e.header == "Biển số xe"] == [("F", True)]
    assert not Declaration.objects.exists()


def test_the_owner_is_not_blocked_by_a_competitor_and_the_agent_may_declare_for_it(trip):
    with pytest.raises(ServiceError) as refused:
        trip.draft(actor=trip.users["user_b"], enterprise=trip.b, driver=trip.driver_b)
    assert REFUSED in str(refused.value.message_dict["vehicle"])
    # A's own trip with its own truck goes through, and its customs agent C may declare A's truck too.
    mine = trip.draft()
    assert services.declaration_submit(actor=trip.users["user_a"], declaration=mine).status == "submitted"
    by_agent = trip.draft(actor=trip.users["user_c"], vehicle=trip.vehicle_a2)
    assert by_agent.agent == trip.c
    # A competitor's trailer is refused as well.
    with pytest.raises(ServiceError) as trailer:
        trip.draft(
            actor=trip.users["user_b"],
            enterprise=trip.b,
            vehicle=trip.vehicle_b,
            driver=trip.driver_b,
            trailer=trip.trailer_a,
        )
    assert REFUSED in str(trailer.value.message_dict["trailer"])


def test_a_hired_foreign_truck_busy_with_another_enterprise_gets_a_409_that_discloses_nothing(trip, client):
    foreign = parties.vehicle_register(
        actor=None, plate="桂F·12345", kind=VehicleKind.TRUCK
    )  # no owner on record
    a_trip = trip.draft(vehicle=foreign)
    services.declaration_submit(actor=trip.users["user_a"], declaration=a_trip)
    # B hires the same truck: it may declare it (no owner), but it is on A's active trip.
    b_trip = trip.draft(actor=trip.users["user_b"], enterprise=trip.b, vehicle=foreign, driver=trip.driver_b)
    client.force_login(trip.users["user_b"])
    response = _post(client, f"/api/v1/traffic/declarations/{b_trip.pk}/submit")
    assert response.status_code == 409, response.json()
    text = str(response.json())
    assert "trung tâm điều hành cửa khẩu" in text
    for secret in (a_trip.number, trip.a.name, trip.a.tax_code, trip.driver_a.full_name, "Nhãn", "0810"):
        assert secret not in text, secret
    # A, resubmitting its own truck's second draft, still sees its own declaration's number.
    again = trip.draft(vehicle=foreign)
    with pytest.raises(ServiceError) as own:
        services.declaration_submit(actor=trip.users["user_a"], declaration=again)
    assert a_trip.number in str(own.value.messages)
    assert Declaration.objects.filter(pk=b_trip.pk, status="draft").exists()
