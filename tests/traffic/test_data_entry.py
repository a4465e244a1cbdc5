"""Data entry that respects the user (issue 12): goods lines and containers added as needed, every
error of a declaration shown on one submit (page and API), the Excel template's headings, lists and
guide, and an upload that reports every row's errors at once."""

import datetime

import pytest
from django.utils import timezone

from cuakhau.traffic.models import Declaration

pytestmark = pytest.mark.django_db

NEW = "/traffic/declarations/new/"
BOXES = ["CSQU3054383", "MSKU1234565", "TGHU7654320"]


def _header(trip, **over):
    return {
        "enterprise": trip.a.pk,
        "gate": trip.gate.pk,
        "flow": "export",
        "direction": "",
        "vehicle": "12C-111.11",
        "trailer": "",
        "driver": trip.driver_a.pk,
        "planned_arrival": (timezone.localtime() + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    } | over


def _line(i, **over):
    values = {
        "hs_code": "0810.90.10",
        "description": f"Hàng {i}",
        "quantity": "1.200,5",
        "unit": "kg",
        "gross_kg": "1.300",
        "value": "1000000",
        "currency": "VND",
    } | over
    return {f"lines-{i}-{k}": v for k, v in values.items()}


def _management(lines: int, containers: int, initial_lines: int = 0, initial_containers: int = 0):
    return {
        "lines-TOTAL_FORMS": str(lines),
        "lines-INITIAL_FORMS": str(initial_lines),
        "containers-TOTAL_FORMS": str(containers),
        "containers-INITIAL_FORMS": str(initial_containers),
    }


def test_the_new_page_offers_one_empty_row_of_each_and_the_rows_to_clone(trip, client):
    client.force_login(trip.users["user_a"])
    page = client.get(NEW)
    html = page.content.decode()
    assert len(page.context["lines"].forms) == 1 and len(page.context["containers"].forms) == 1
    assert 'data-formset="lines"' in html and 'data-max="50"' in html and 'data-max="4"' in html
    assert "lines-__prefix__-hs_code" in html and "containers-__prefix__-number" in html
    assert "cuakhau/formset.js" in html and "onclick" not in html.split("<main")[1]


def test_five_goods_lines_and_three_containers_are_saved_from_one_post(trip, client):
    client.force_login(trip.users["user_a"])
    data = _header(trip) | _management(5, 3)
    for i in range(5):
        data |= _line(i, hs_code=["08109010", "07031019", "08045010", "08134090", "07099990"][i])
    for i, number in enumerate(BOXES):
        data |= {f"containers-{i}-number": number, f"containers-{i}-size": "40"}
    response = client.post(NEW, data)
    assert response.status_code == 302, response.context and _errors(response)
    d = Declaration.objects.get()
    assert [x.description for x in d.lines.order_by("line_no")] == [f"Hàng {i}" for i in range(5)]
    assert d.lines.first().quantity == pytest.approx(1200.5)
    assert sorted(c.number for c in d.containers.all()) == sorted(BOXES)


def test_a_removed_row_and_an_empty_row_are_not_saved(trip, client):
    client.force_login(trip.users["user_a"])
    data = _header(trip) | _management(4, 2)
    data |= _line(0) | _line(1, hs_code="0810") | {"lines-1-DELETE": "on"} | _line(3, description="Hành")
    data |= {"containers-0-number": "CSQU3054384", "containers-0-size": "", "containers-0-DELETE": "on"}
    response = client.post(NEW, data)
    assert response.status_code == 302, _errors(response)
    d = Declaration.objects.get()
    assert [x.description for x in d.lines.order_by("line_no")] == ["Hàng 0", "Hành"]
    assert not d.containers.exists()


def _errors(response):
    """Every error on the page: (where, field) -> messages; where is 'form', 'line N' or 'container N'."""
    out = {}
    ctx = response.context
    for name, errors in ctx["form"].errors.items():
        out[("form", name)] = list(errors)
    for kind in ("lines", "containers"):
        for i, f in enumerate(ctx[kind].forms):
            for name, errors in f.errors.items():
                out[(f"{kind} {i}", name)] = list(errors)
        if ctx[kind].non_form_errors():
            out[(kind, "")] = list(ctx[kind].non_form_errors())
    return out


def test_every_error_of_the_header_lines_and_containers_shows_on_one_submit(trip, client):
    """The form's own errors (a missing driver, a line's missing unit), a plate that is not registered,
    and the service's checks (direction of a transit trip, HS codes, numbers, container check digits,
    a container declared twice) all come back together, each on its field and its row."""
    client.force_login(trip.users["user_a"])
    data = _header(trip, flow="transit", driver="", vehicle="12C-999.99") | _management(3, 3)
    data |= _line(0, hs_code="0810")
    data |= _line(1, unit="", quantity="12,3,4")
    data |= _line(2, value="nhiều", currency="US")
    data |= {
        "containers-0-number": "CSQU3054384",
        "containers-0-size": "40",
        "containers-1-number": "MSKU1234565",
        "containers-1-size": "40",
        "containers-2-number": "MSKU1234565",
        "containers-2-size": "20",
    }
    response = client.post(NEW, data)
    assert response.status_code == 400
    errors = _errors(response)
    assert {
        ("form", "driver"),
        ("form", "vehicle"),
        ("form", "direction"),
        ("lines 0", "hs_code"),
        ("lines 1", "unit"),
        ("lines 1", "quantity"),
        ("lines 2", "value"),
        ("lines 2", "currency"),
        ("containers 0", "number"),
        ("containers 2", "number"),
    } <= set(errors), errors
    assert ("containers 1", "number") not in errors
    assert any("hai lần" in m for m in errors[("containers 2", "number")])
    html = response.content.decode()
    assert html.count('class="error"') >= 10
    assert Declaration.objects.count() == 0


def test_a_declaration_with_no_goods_line_says_so_above_the_goods(trip, client):
    client.force_login(trip.users["user_a"])
    response = client.post(NEW, _header(trip, driver="") | _management(1, 1))
    assert response.status_code == 400
    errors = _errors(response)
    assert ("form", "driver") in errors
    assert errors[("lines", "")] == ["Tờ khai cần ít nhất một dòng hàng."]


def test_the_edit_page_keeps_its_lines_removes_one_and_adds_two(trip, client):
    d = trip.draft()
    client.force_login(trip.users["user_a"])
    page = client.get(f"/traffic/declarations/{d.pk}/edit/")
    assert len(page.context["lines"].forms) == 2  # the draft's line and one empty
    line = d.lines.get()
    data = _header(trip) | _management(3, 1, initial_lines=1)
    data |= {f"lines-0-{k}": getattr(line, k) for k in ("hs_code", "description", "unit", "currency")} | {
        "lines-0-quantity": "5",
        "lines-0-gross_kg": "6",
        "lines-0-value": "7",
        "lines-0-DELETE": "on",
    }
    data |= _line(1, description="Mới 1") | _line(2, description="Mới 2")
    response = client.post(f"/traffic/declarations/{d.pk}/edit/", data)
    assert response.status_code == 302, _errors(response)
    assert [x.description for x in d.lines.order_by("line_no")] == ["Mới 1", "Mới 2"]


def test_the_api_returns_every_error_in_errors(trip, client):
    client.force_login(trip.users["user_a"])
    line = {
        "hs_code": "0810.90.10",
        "description": "x",
        "quantity": "1",
        "unit": "kg",
        "gross_kg": "1",
        "value": "1",
    }
    payload = {
        "enterprise": trip.a.tax_code,
        "gate": "GATE_G",
        "flow": "transit",
        "vehicle": "12C-ABCDE",
        "driver_id": 999999,
        "planned_arrival": (timezone.now() + datetime.timedelta(hours=3)).isoformat(),
        "lines": [line | {"hs_code": "0810"}, line, line | {"unit": "", "quantity": "-1"}],
        "containers": [{"number": "CSQU3054384", "size": 40}, {"number": "CSQU3054383", "size": 30}],
    }
    response = client.post("/api/v1/traffic/declarations", payload, content_type="application/json")
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert {
        "vehicle",
        "driver_id",
        "direction",
        "lines.1.hs_code",
        "lines.3.unit",
        "lines.3.quantity",
        "containers.1.number",
        "containers.2.size",
    } <= set(fields), fields
    assert "driver" not in fields and len(fields) == len(set(fields))
    assert Declaration.objects.count() == 0
