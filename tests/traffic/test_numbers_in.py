"""Numbers typed the reader's way on every way in to a declaration (issue 12): the form, the Excel upload
and the API read "1.200" as 1200 on a Vietnamese page, refuse "1,200" (two readings) and "12.34"
(malformed) naming the field, show a refused text again as typed, and a saved number as entered."""

from decimal import Decimal

import pytest
from django.conf import settings

from cuakhau.traffic.models import Declaration, GoodsLine
from cuakhau.traffic.services import upload
from tests.traffic.test_data_entry import (
    NEW,
    TEMPLATE,
    UPLOAD,
    _fill,
    _header,
    _line,
    _management,
    _person_row,
    _workbook,
)

pytestmark = pytest.mark.django_db


def _post(client, trip, **line):
    return client.post(NEW, _header(trip) | _management(1, 0) | _line(0, **line))


def test_the_form_reads_grouped_thousands_the_vietnamese_way(trip, client):
    client.force_login(trip.users["user_a"])
    response = _post(client, trip, quantity="1.200", gross_kg="1.250,5", value="15.000", currency="USD")
    assert response.status_code == 302, response.context and response.context["lines"].errors
    line = GoodsLine.objects.get()
    assert (line.quantity, line.gross_kg, line.value) == (Decimal(1200), Decimal("1250.5"), Decimal(15000))
    # The edit page shows the saved numbers the way they were entered, not 1200.000.
    page = client.get(f"/traffic/declarations/{line.declaration_id}/edit/")
    form = page.context["lines"].forms[0]
    assert (form["quantity"].value(), form["gross_kg"].value(), form["value"].value()) == (
        "1.200",
        "1.250,5",
        "15.000",
    )
    html = page.content.decode()
    assert 'value="1.200"' in html and 'value="1.250,5"' in html and 'value="15.000"' in html


def test_two_readings_are_refused_on_the_field_with_both_and_the_text_kept(trip, client):
    client.force_login(trip.users["user_a"])
    response = _post(client, trip, quantity="1,200", value="12.34")
    assert response.status_code == 400
    errors = response.context["lines"].forms[0].errors
    assert "Số lượng" in errors["quantity"][0] and "1.200" in errors["quantity"][0]
    assert "1,2" in errors["quantity"][0]
    assert "Trị giá" in errors["value"][0] and "12,34" in errors["value"][0]
    html = response.content.decode()
    assert 'value="1,200"' in html and 'value="12.34"' in html  # shown again as typed
    assert Declaration.objects.count() == 0


def test_an_english_page_reads_the_english_way(trip, client):
    client.force_login(trip.users["user_a"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _post(client, trip, quantity="1,200.5", gross_kg="1,300", value="1.200")
    assert response.status_code == 400  # "1.200" has two readings in English
    errors = response.context["lines"].forms[0].errors
    assert list(errors) == ["value"] and "1,200" in errors["value"][0] and "1.2" in errors["value"][0]
    response = _post(client, trip, quantity="1,200.5", gross_kg="1,300", value="1,200")
    assert response.status_code == 302
    line = GoodsLine.objects.get()
    assert (line.quantity, line.gross_kg, line.value) == (Decimal("1200.5"), Decimal(1300), Decimal(1200))


def test_the_upload_takes_number_cells_as_numbers_and_reads_text_cells(trip, client):
    client.force_login(trip.users["user_a"])
    rows = [
        _person_row(trip, **{"Số lượng": 1200, "Trọng lượng cả bì (kg)": "1.200", "Trị giá": "15.000"}),
        _person_row(trip, **{"Số lượng": "1.200", "Trọng lượng cả bì (kg)": 1200.0, "Trị giá": 15000}),
    ]
    response = client.post(UPLOAD, {"file": _fill(_workbook(client.get(TEMPLATE)), rows)})
    assert response.status_code == 302, response.context and response.context["result"].errors
    assert [(x.quantity, x.gross_kg, x.value) for x in GoodsLine.objects.order_by("line_no")] == [
        (Decimal(1200), Decimal(1200), Decimal(15000))
    ] * 2


def test_the_upload_refuses_a_malformed_number_naming_row_and_column(trip, client):
    client.force_login(trip.users["user_a"])
    rows = [
        _person_row(trip, **{"Số lượng": 1200}),
        _person_row(trip, **{"Số lượng": "12.34", "Trị giá": "1,200"}),
    ]
    response = client.post(UPLOAD, {"file": _fill(_workbook(client.get(TEMPLATE)), rows)})
    assert response.status_code == 400
    errors = {(e.row, e.column): e.message for e in response.context["result"].errors}
    quantity, value = (
        errors[(3, upload.column_letter("quantity"))],
        errors[(3, upload.column_letter("value"))],
    )
    assert "Số lượng" in quantity and "12,34" in quantity
    assert "Trị giá" in value and "1.200" in value and "1,2" in value
    assert set(errors) == {(3, upload.column_letter("quantity")), (3, upload.column_letter("value"))}
    assert Declaration.objects.count() == 0


def _api_payload(trip, **line):
    import datetime

    from django.utils import timezone

    return {
        "enterprise": trip.a.tax_code,
        "gate": "GATE_G",
        "flow": "export",
        "vehicle": "12C-111.11",
        "driver_id": trip.driver_a.pk,
        "planned_arrival": (timezone.now() + datetime.timedelta(hours=3)).isoformat(),
        "lines": [
            {"hs_code": "0810.90.10", "description": "Nhãn", "unit": "kg", "currency": "VND"}
            | {"quantity": "1", "gross_kg": "1", "value": "1"}
            | line
        ],
    }


def test_the_api_reads_strings_the_callers_way_and_takes_json_numbers(trip, client):
    client.force_login(trip.users["user_a"])
    response = client.post(
        "/api/v1/traffic/declarations",
        _api_payload(trip, quantity="1.200", gross_kg=1200.5, value="15.000.000"),
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    line = GoodsLine.objects.get()
    assert (line.quantity, line.gross_kg, line.value) == (Decimal(1200), Decimal("1200.5"), Decimal(15000000))
    assert response.json()["lines"][0]["quantity"] == "1200.000"


def test_the_api_refuses_two_readings_naming_the_field(trip, client):
    client.force_login(trip.users["user_a"])
    response = client.post(
        "/api/v1/traffic/declarations", _api_payload(trip, quantity="1,200"), content_type="application/json"
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["lines.0.quantity"]
    assert "1.200" in errors[0]["message"] and "1,2" in errors[0]["message"]
    assert Declaration.objects.count() == 0
