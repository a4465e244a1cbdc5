"""Data entry that respects the user (issue 12): goods lines and containers added as needed, every
error of a declaration shown on one submit (page and API), the Excel template's headings, lists and
guide, and an upload that reports every row's errors at once."""

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from cuakhau.traffic.models import Declaration, Flow
from cuakhau.traffic.services import upload

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
    """Every error the page shows: (where, field) -> messages; where is 'form', 'lines N' or
    'containers N' (the row's index in the formset)."""
    out = {}
    ctx = response.context
    for name, errors in ctx["form"].errors.items():
        out[("form", name)] = list(errors)
    for kind in ("lines", "containers"):
        for i, f in enumerate(ctx[kind].forms):
            if f.cleaned_data.get("DELETE"):  # a removed row is not shown again
                continue
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


# The Excel template and upload.

TEMPLATE = "/traffic/declarations/template.xlsx"
UPLOAD = "/traffic/declarations/upload/"


def _workbook(response):
    return load_workbook(io.BytesIO(response.content))


def _fill(wb, rows):
    """Type rows into the template's data sheet by heading, as a person would."""
    ws = wb["ToKhai"]
    column = {str(c.value).removesuffix(" *"): c.column for c in ws[1]}
    for r, row in enumerate(rows, start=2):
        for heading, value in row.items():
            ws.cell(row=r, column=column[heading], value=value)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "tokhai.xlsx"
    return out


def _person_row(trip, **over):
    return {
        "Số chuyến": "1",
        "Mã số thuế doanh nghiệp": trip.a.tax_code,
        "Cửa khẩu": "Cửa khẩu G",
        "Loại hình": "Xuất khẩu",
        "Biển số xe": "12C-111.11",
        "Số giấy tờ của lái xe": "020085001234",
        "Dự kiến đến": (timezone.localtime() + datetime.timedelta(hours=5)).strftime("%d/%m/%Y %H:%M"),
        "Mã HS": "0810.90.10",
        "Mô tả hàng hóa": "Nhãn tươi",
        "Số lượng": "1.200,5",
        "Đơn vị tính": "tấn",
        "Trọng lượng cả bì (kg)": 1250000,
        "Trị giá": "12.500.000,50",
    } | over


def test_the_template_has_vietnamese_headings_lists_from_the_database_and_a_guide(trip, client):
    client.force_login(trip.users["user_a"])
    wb = _workbook(client.get(TEMPLATE))
    ws = wb["ToKhai"]
    headings = [c.value for c in ws[1]]
    assert headings[:4] == ["Số chuyến", "Mã số thuế doanh nghiệp *", "Cửa khẩu *", "Loại hình *"]
    assert "Đơn vị tính *" in headings and "Số lượng *" in headings
    lists = wb["DanhMuc"]
    assert lists.sheet_state == "hidden"

    def listed(heading):
        letter = upload.column_letter(upload.KEYS[[h.removesuffix(" *") for h in headings].index(heading)])
        rule = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(letter + "2"))
        assert rule.type == "list" and str(rule.sqref) == f"{letter}2:{letter}2001"
        source = rule.formula1.split("!")[1].replace("$", "")
        return rule, [c.value for row in lists[source] for c in row]

    gate_rule, gates = listed("Cửa khẩu")
    assert gates == ["Cửa khẩu G", "Cửa khẩu H"] and gate_rule.showErrorMessage
    flow_rule, flows = listed("Loại hình")
    assert flows == [str(label) for label in Flow.labels] and flow_rule.errorStyle == "stop"
    unit_rule, units = listed("Đơn vị tính")
    assert {"kg", "tấn", "chiếc"} <= set(units) and not unit_rule.showErrorMessage  # others allowed
    guide = {row[1]: row for row in wb["Hướng dẫn"].iter_rows(values_only=True) if row[0] and row[1]}
    assert len([h for h in headings if h.removesuffix(" *") in guide]) == len(upload.COLUMNS)
    assert guide["Mã HS"][2] == "Có" and guide["Số container"][2] == "Không"
    assert "1.200,5" in guide["Số lượng"][3]
    assert (guide["Số lượng"][4], guide["Trị giá"][4]) == ("20.000", "300.000.000")
    assert ("GATE_G", "Cửa khẩu G") in {(row[0], row[1]) for row in guide.values()}


def test_the_templates_examples_are_written_the_way_its_reader_types(trip, client):
    client.force_login(trip.users["user_a"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    guide = _workbook(client.get(TEMPLATE)).worksheets[1]
    examples = {row[0]: row[4] for row in guide.iter_rows(values_only=True) if row[0] and len(row) > 4}
    column = upload.column_letter
    assert (examples[column("quantity")], examples[column("value")]) == ("20,000", "300,000,000")


def test_the_upload_takes_the_template_it_hands_out(trip, client):
    """Round trip: the downloaded template, filled from its lists (gate and flow by name, a unit),
    numbers typed the Vietnamese way and as Excel numbers, an Excel date, two trips."""
    client.force_login(trip.users["user_a"])
    arrival = (timezone.localtime() + datetime.timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    rows = [
        _person_row(trip, **{"Dự kiến đến": arrival.replace(tzinfo=None), "Xe hai chiều": "Có"}),
        _person_row(
            trip,
            **{
                "Dự kiến đến": None,  # a trip's later rows may leave its header blank
                "Mã HS": "07031019",
                "Mô tả hàng hóa": "Hành tây",
                "Số lượng": 20000,
                "Đơn vị tính": "kg",
                "Trị giá": 12500.75,
                "Tiền tệ": "USD",
                "Trị giá quy ra VND": 318000000,
                "Số container": "CSQU3054383",
                "Cỡ container": "40",
            },
        ),
        _person_row(trip, **{"Số chuyến": "2", "Biển số xe": "12C-111.12", "Cửa khẩu": "GATE_H"}),
    ]
    response = client.post(UPLOAD, {"file": _fill(_workbook(client.get(TEMPLATE)), rows)})
    assert response.status_code == 302, response.context and response.context["result"].errors
    first, second = Declaration.objects.order_by("id")
    assert (first.gate, first.flow, first.direction, first.two_way) == (trip.gate, "export", "exit", True)
    assert timezone.localtime(first.planned_arrival).replace(tzinfo=None) == arrival.replace(tzinfo=None)
    onions, longans = first.lines.order_by("-line_no")[0], first.lines.order_by("line_no")[0]
    assert (longans.quantity, longans.unit, longans.value) == (
        Decimal("1200.5"),
        "tấn",
        Decimal("12500000.50"),
    )
    assert (onions.quantity, onions.value, onions.currency, onions.value_vnd) == (
        Decimal("20000"),
        Decimal("12500.75"),
        "USD",
        318000000,
    )
    assert first.containers.get().number == "CSQU3054383"
    assert second.gate == trip.other_gate and not second.two_way


LEGACY = [
    "Số chuyến",
    "Mã số thuế doanh nghiệp",
    "Mã cửa khẩu",
    "Loại hình",
    "Hướng (exit/entry)",
    "Biển số xe",
    "Biển rơ moóc",
    "Số giấy tờ lái xe",
    "Dự kiến đến (dd/mm/yyyy hh:mm)",
    "Xe hai chiều (x)",
    "Mã HS (8 số)",
    "Mô tả hàng",
    "Số lượng",
    "ĐVT",
    "Trọng lượng cả bì (kg)",
    "Trị giá",
    "Tiền tệ",
    "Trị giá quy ra đồng",
    "Số container",
    "Cỡ container (20/40)",
]


def _plain_sheet(headings, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "ToKhai"
    ws.append(headings)
    for row in rows:
        ws.append([row.get(h) for h in headings])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "cu.xlsx"
    return out


def test_a_file_made_from_the_earlier_template_is_still_read(trip, client):
    client.force_login(trip.users["user_a"])
    arrival = (timezone.localtime() + datetime.timedelta(hours=5)).strftime("%d/%m/%Y %H:%M")
    row = dict(
        zip(
            LEGACY[:8],
            ["1", trip.a.tax_code, "GATE_G", "export", "", "12C-111.11", "", "020085001234"],
            strict=True,
        )
    )
    row |= {"Dự kiến đến (dd/mm/yyyy hh:mm)": arrival, "Xe hai chiều (x)": "x", "Mã HS (8 số)": "08109010"}
    row |= {
        "Mô tả hàng": "Nhãn",
        "Số lượng": 100,
        "ĐVT": "kg",
        "Trọng lượng cả bì (kg)": 110,
        "Trị giá": 1000,
    }
    response = client.post(UPLOAD, {"file": _plain_sheet(LEGACY, [row])})
    assert response.status_code == 302, response.context["result"].errors
    d = Declaration.objects.get()
    assert (d.gate, d.two_way, d.lines.get().unit) == (trip.gate, True, "kg")


def test_columns_are_read_by_their_heading_and_a_missing_one_is_named(trip, client):
    client.force_login(trip.users["user_a"])
    row = _person_row(trip)
    shuffled = list(reversed(row))
    response = client.post(UPLOAD, {"file": _plain_sheet(shuffled, [row])})
    assert response.status_code == 302, response.context["result"].errors
    without = [h for h in shuffled if h not in ("Mã HS", "Đơn vị tính")]
    refused = client.post(UPLOAD, {"file": _plain_sheet(without, [row])})
    assert refused.status_code == 400
    assert "Tệp thiếu cột: Mã HS, Đơn vị tính" in refused.content.decode()
    assert Declaration.objects.count() == 1


def test_the_upload_reports_every_rows_errors_at_once(trip, client):
    """Cell errors of one trip, the service's refusal of another whose cells are right (a transshipment
    at a gate with no yard), and several errors of one row all come back on one upload."""
    client.force_login(trip.users["user_a"])
    rows = [
        _person_row(trip, **{"Mã HS": "0810", "Số lượng": "12,3,4"}),
        _person_row(trip, **{"Mô tả hàng hóa": "", "Đơn vị tính": ""}),
        _person_row(
            trip,
            **{
                "Số chuyến": "2",
                "Biển số xe": "12C-111.12",
                "Cửa khẩu": "Cửa khẩu H",
                "Loại hình": "Chuyển tải tại bãi",
                "Hướng": "Nhập cảnh (vào Việt Nam)",
            },
        ),
        _person_row(trip, **{"Số chuyến": "3", "Biển số xe": "12C-222.22", "Loại hình": "Buôn lậu"}),
        _person_row(trip, **{"Số chuyến": "3", "Số container": "CSQU3054384", "Cỡ container": "30"}),
    ]
    response = client.post(UPLOAD, {"file": _fill(_workbook(client.get(TEMPLATE)), rows)})
    assert response.status_code == 400
    K = upload.column_letter
    errors = {(e.row, e.column) for e in response.context["result"].errors}
    assert {
        (2, K("hs_code")),
        (2, K("quantity")),
        (3, K("description")),
        (3, K("unit")),
        (4, K("flow")),  # the service: no transshipment yard at gate H
        (5, K("flow")),
        (6, K("container")),
        (6, K("size")),
    } <= errors, errors
    assert "chưa có bãi chuyển tải" in response.content.decode()
    assert Declaration.objects.count() == 0


def test_a_row_removed_before_a_refused_submit_stays_out_and_shows_no_error(trip, client):
    client.force_login(trip.users["user_a"])
    data = _header(trip, driver="") | _management(2, 2)
    data |= _line(0) | _line(1, hs_code="0810", unit="") | {"lines-1-DELETE": "on"}
    data |= {"containers-1-number": "CSQU3054384", "containers-1-DELETE": "on"}
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert set(_errors(response)) == {("form", "driver")}
    html = response.content.decode()
    assert 'name="lines-1-hs_code"' not in html and 'name="containers-1-number"' not in html
    assert '<input type="hidden" name="lines-1-DELETE" value="True"' in html
