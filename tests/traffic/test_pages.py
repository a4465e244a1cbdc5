"""Pages: declaring in the browser form, the live board, the public board without personal data, the
driver's page from the QR pass, agency lists, yards; the Excel template and upload."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cuakhau.traffic import passes, services
from cuakhau.traffic.models import Declaration
from cuakhau.traffic.services import upload

pytestmark = pytest.mark.django_db


def _form(trip, **over):
    data = {
        "enterprise": trip.a.pk,
        "gate": trip.gate.pk,
        "flow": "export",
        "direction": "",
        "vehicle": "12C-111.11",
        "trailer": "",
        "driver": trip.driver_a.pk,
        "planned_arrival": (timezone.localtime() + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-0-hs_code": "0810.90.10",
        "lines-0-description": "Nhãn",
        "lines-0-quantity": "100",
        "lines-0-unit": "kg",
        "lines-0-gross_kg": "110",
        "lines-0-value": "1000000",
        "lines-0-currency": "VND",
        "containers-TOTAL_FORMS": "2",
        "containers-INITIAL_FORMS": "0",
    }
    return data | over


def test_declare_in_the_form_and_see_errors_by_field(trip, client):
    client.force_login(trip.users["user_a"])
    assert client.get("/traffic/declarations/new/").status_code == 200
    bad = client.post("/traffic/declarations/new/", _form(trip, **{"lines-0-hs_code": "08109"}))
    assert bad.status_code == 400 and "phải gồm đúng 8 chữ số" in bad.content.decode()
    bad_plate = client.post("/traffic/declarations/new/", _form(trip, vehicle="12C-ABCDE"))
    assert bad_plate.status_code == 400 and "định dạng biển số" in bad_plate.content.decode()
    assert Declaration.objects.count() == 0
    ok = client.post("/traffic/declarations/new/", _form(trip, and_submit="1"))
    assert ok.status_code == 302
    d = Declaration.objects.get()
    assert d.status == "submitted"
    page = client.get(f"/traffic/declarations/{d.pk}/").content.decode()
    assert d.number in page and "Đã gửi" in page


def test_the_edit_page_opens_with_the_draft_goods_lines_filled_in(trip, client):
    d = trip.draft()
    line = d.lines.get()
    client.force_login(trip.users["user_a"])
    page = client.get(f"/traffic/declarations/{d.pk}/edit/")
    assert page.status_code == 200
    form = page.context["lines"].forms[0]
    for key in ("hs_code", "description", "quantity", "unit", "gross_kg", "value", "currency", "value_vnd"):
        assert form.initial[key] == getattr(line, key)
    assert page.context["lines"].forms[1].initial == {}


def test_operator_approves_and_calls_from_pages_and_board(trip, client):
    d = services.declaration_submit(actor=trip.users["user_a"], declaration=trip.draft())
    client.force_login(trip.users["gate_operator"])
    assert client.post(f"/traffic/declarations/{d.pk}/approve/").status_code == 302
    board = client.get("/traffic/board/GATE_G/").content.decode()
    assert "12C-111.11" in board and 'data-testid="waiting-exit">1<' in board
    client.post(f"/traffic/declarations/{d.pk}/call/", {"next": "/traffic/board/GATE_G/"})
    assert Declaration.objects.get(pk=d.pk).status == "called"
    fragment = client.get("/traffic/board/GATE_G/?fragment=1", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "12C-111.11" in fragment
    client.force_login(trip.users["operator_h"])
    assert client.get("/traffic/board/GATE_G/").status_code == 404
    assert client.post(f"/traffic/declarations/{d.pk}/cancel/", {"reason": "x"}).status_code == 404


def test_public_board_has_counts_and_no_personal_data(trip, approved, client):
    page = client.get("/traffic/public/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cửa khẩu G" in text
    for secret in ("12C-111.11", "Hà Văn Sơn", "Công ty A", "020085001234"):
        assert secret not in text


def test_driver_page_from_the_pass_without_login(trip, approved, client):
    url = passes.pass_path(approved)
    page = client.get(url)
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    text = page.content.decode()
    assert "12C-111.11" in text and "Thứ tự: 1" in text and "020085001234" not in text
    assert client.get(url[:-3] + "xx/").status_code == 404
    assert client.get("/traffic/pass/1:abc/").status_code == 404
    services.declaration_cancel(actor=trip.users["user_a"], declaration=approved, reason="đổi xe")
    assert client.get(url).status_code == 404  # the nonce lapsed with the trip


def test_printable_pass_has_a_qr(trip, approved, client):
    client.force_login(trip.users["driver_a"])
    page = client.get(f"/traffic/declarations/{approved.pk}/pass/").content.decode()
    assert "<svg" in page and approved.number in page
    trips = client.get("/traffic/my-trips/").content.decode()
    assert "Thứ tự: 1" in trips
    client.force_login(trip.users["user_b"])
    assert client.get(f"/traffic/declarations/{approved.pk}/pass/").status_code == 404


def test_agency_officer_list_and_record(trip, approved, client):
    client.force_login(trip.users["plant"])
    page = client.get("/traffic/checks/").content.decode()
    assert approved.number in page
    check = approved.checks.get(agency_kind="plant_quarantine")
    client.post(f"/traffic/checks/{check.pk}/record/", {"status": "held", "note": "Thiếu chứng thư"})
    check.refresh_from_db()
    assert check.status == "held"
    client.force_login(trip.users["user_a"])
    assert "Thiếu chứng thư" in client.get(f"/traffic/declarations/{approved.pk}/").content.decode()
    assert "Thiếu chứng thư" in client.get(passes.pass_path(approved)).content.decode()
    client.force_login(trip.users["customs"])
    assert client.post(f"/traffic/checks/{check.pk}/record/", {"status": "passed"}).status_code == 404


def _sheet(rows):
    wb = load_workbook(io.BytesIO(upload.template()))
    ws = wb["ToKhai"]
    for r, row in enumerate(rows, start=2):
        for key, value in row.items():
            ws.cell(row=r, column=upload.KEYS.index(key) + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "tokhai.xlsx"
    return out


def _row(t, **over):
    return {
        "trip": "1",
        "tax_code": t.a.tax_code,
        "gate": "GATE_G",
        "flow": "export",
        "vehicle": "12C-111.11",
        "driver": "020085001234",
        "planned_arrival": (timezone.localtime() + datetime.timedelta(hours=5)).strftime("%d/%m/%Y %H:%M"),
        "hs_code": "0810.90.10",
        "description": "Nhãn",
        "quantity": 100,
        "unit": "kg",
        "gross_kg": 110,
        "value": 1000000,
        "currency": "VND",
    } | over


def test_excel_upload_reports_every_bad_row_and_imports_nothing(trip, client):
    client.force_login(trip.users["user_a"])
    template = client.get("/traffic/declarations/template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    rows = [
        _row(trip),
        _row(trip, hs_code="0810", description="Vải"),
        _row(trip, trip="2", vehicle="12C-ABCDE", container="CSQU3054384", size=40),
        _row(trip, trip="3", vehicle="12C-111.12", tax_code="0100233480", quantity=-1),
    ]
    response = client.post("/traffic/declarations/upload/", {"file": _sheet(rows)})
    assert response.status_code == 400
    errors = {(e.row, e.column) for e in response.context["result"].errors}
    K = upload.column_letter
    assert {
        (3, K("hs_code")),
        (4, K("vehicle")),
        (4, K("container")),
        (5, K("tax_code")),
        (5, K("quantity")),
    } <= errors
    assert "dòng" in response.content.decode().lower() or "Dòng" in response.content.decode()
    assert Declaration.objects.count() == 0


def test_excel_upload_imports_trips_with_several_lines(trip, client):
    client.force_login(trip.users["user_a"])
    rows = [
        _row(trip),
        _row(trip, hs_code="07031019", description="Hành tây", container="CSQU3054383", size=40),
        _row(trip, trip="2", vehicle="12C-111.12"),
    ]
    response = client.post("/traffic/declarations/upload/", {"file": _sheet(rows), "submit": "on"})
    assert response.status_code == 302
    first, second = Declaration.objects.order_by("id")
    assert first.lines.count() == 2 and first.containers.get().number == "CSQU3054383"
    assert (first.status, second.status) == ("submitted", "submitted")


def test_excel_upload_rolls_back_when_a_service_refuses_a_trip(trip, client):
    client.force_login(trip.users["user_a"])
    rows = [_row(trip), _row(trip, trip="2")]  # the same vehicle twice: the second cannot be submitted
    response = client.post("/traffic/declarations/upload/", {"file": _sheet(rows), "submit": "on"})
    assert response.status_code == 400
    errors = response.context["result"].errors
    assert errors[0].row == 3 and errors[0].column == upload.column_letter("vehicle")
    assert Declaration.objects.count() == 0


def test_yards_page_shows_occupancy_overstay_and_exceptions(trip, approved, client):
    services.gate_event_record(
        actor=None,
        kind="in",
        yard_code="bai-g",
        plate="12C-999.99",
        occurred_at=timezone.now() - datetime.timedelta(hours=30),
    )
    client.force_login(trip.users["gate_operator"])
    page = client.get("/traffic/yards/").content.decode()
    assert "12C-999.99" in page and "quá 24 giờ" in page and "Không khớp tờ khai" in page
    client.force_login(trip.users["user_a"])
    assert client.get("/traffic/yards/").status_code == 404


def test_regulation_page_sets_capacity(trip, client):
    client.force_login(trip.users["gate_operator"])
    response = client.post(
        "/traffic/regulation/GATE_G/", {"form": "capacity", "direction": "exit", "daily_limit": "120"}
    )
    assert response.status_code == 302
    assert trip.gate.traffic_capacities.get(direction="exit").daily_limit == 120
    client.force_login(trip.users["operator_h"])
    assert client.get("/traffic/regulation/GATE_G/").status_code == 404


def test_driver_page_offers_a_feedback_link_once_the_trip_reached_the_gate(trip, approved, client):
    from cuakhau.core.models import Unit
    from cuakhau.core.roles import UnitKind
    from cuakhau.traffic.models import Status

    centre = Unit.objects.create(code="ttqlck-g", name="Trung tâm G", kind=UnitKind.GATE_CENTRE)
    trip.gate.units.add(centre)
    url = passes.pass_path(approved)
    assert 'data-testid="feedback-link"' not in client.get(url).content.decode()
    # The page only shows state; moving the row is enough to see what a crossed trip's driver sees.
    Declaration.objects.filter(pk=approved.pk).update(status=Status.CROSSED)
    page = client.get(url).content.decode()
    assert page.count('data-testid="feedback-link"') == 1
    assert "<title>" + "12C-111.11" in page.replace("\n", "")
    link = page.split('data-testid="feedback-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    rating = client.get(link)
    assert rating.status_code == 200 and "Trung tâm G" in rating.content.decode()
