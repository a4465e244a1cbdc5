"""Many declarations at once from the Excel template (openpyxl). Rows that share a trip number are one
declaration: the first row carries the trip (enterprise, gate, flow, vehicle, driver, arrival), every
row a goods line and, optionally, a container. Every bad cell is reported by row and column; if any
row is bad, nothing is imported."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from cuakhau.core.errors import ServiceError
from cuakhau.gates.models import Gate
from cuakhau.parties.models import Enterprise
from cuakhau.parties.services import normalise_tax_code

from ..models import Direction, Flow
from . import declarations, validation

MAX_ROWS = 2000

# key, header, width, example
COLUMNS = [
    ("trip", "Số chuyến", 10, "1"),
    ("tax_code", "Mã số thuế doanh nghiệp", 18, "0100233488"),
    ("gate", "Mã cửa khẩu", 16, "HUUNGHI"),
    ("flow", "Loại hình", 20, "export"),
    ("direction", "Hướng (exit/entry)", 12, ""),
    ("vehicle", "Biển số xe", 14, "12C-123.45"),
    ("trailer", "Biển rơ moóc", 14, ""),
    ("driver", "Số giấy tờ lái xe", 18, "020085001234"),
    ("planned_arrival", "Dự kiến đến (dd/mm/yyyy hh:mm)", 20, ""),
    ("two_way", "Xe hai chiều (x)", 10, ""),
    ("hs_code", "Mã HS (8 số)", 12, "08109010"),
    ("description", "Mô tả hàng", 24, "Nhãn tươi"),
    ("quantity", "Số lượng", 10, "20000"),
    ("unit", "ĐVT", 8, "kg"),
    ("gross_kg", "Trọng lượng cả bì (kg)", 12, "21000"),
    ("value", "Trị giá", 14, "300000000"),
    ("currency", "Tiền tệ", 8, "VND"),
    ("value_vnd", "Trị giá quy ra đồng", 14, ""),
    ("container", "Số container", 14, ""),
    ("size", "Cỡ container (20/40)", 10, ""),
]
KEYS = [c[0] for c in COLUMNS]
HEADER_KEYS = [
    "tax_code",
    "gate",
    "flow",
    "direction",
    "vehicle",
    "trailer",
    "driver",
    "planned_arrival",
    "two_way",
]
LINE_KEYS = ["hs_code", "description", "quantity", "unit", "gross_kg", "value", "currency", "value_vnd"]
# service field -> template column
FIELD_COLUMN = {
    "enterprise": "tax_code",
    "vehicle": "vehicle",
    "trailer": "trailer",
    "driver": "driver",
    "gate": "gate",
    "flow": "flow",
    "direction": "direction",
    "planned_arrival": "planned_arrival",
    "lines": "hs_code",
    "containers": "container",
    "status": "trip",
}


def column_letter(key: str) -> str:
    return get_column_letter(KEYS.index(key) + 1)


def template() -> bytes:
    """The template: the data sheet with its headers and an example row to overwrite, and a sheet
    listing the codes it accepts."""
    wb = Workbook()
    ws = wb.active
    ws.title = "ToKhai"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for i, (_key, header, width, _example) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i, value=header)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    guide = wb.create_sheet("HuongDan")
    guide.append(["Hướng dẫn"])
    guide["A1"].font = bold
    for line in [
        "Mỗi dòng là một dòng hàng. Các dòng cùng “Số chuyến” là một tờ khai; thông tin chuyến ghi ở dòng đầu.",
        "Mã HS 8 chữ số; số container theo ISO 6346 (ví dụ CSQU3054383), cỡ 20 hoặc 40.",
        "Dự kiến đến: dd/mm/yyyy hh:mm. Hướng chỉ ghi với loại hình đi được cả hai chiều.",
        "Nếu có dòng sai, không tờ khai nào được nhập: sửa theo danh sách lỗi rồi tải lên lại.",
        "Ví dụ một dòng: " + "; ".join(f"{h}: {e}" for _k, h, _w, e in COLUMNS if e),
        "",
        "Loại hình:",
    ]:
        guide.append([line])
    for value, label in Flow.choices:
        guide.append([value, str(label)])
    guide.append([])
    guide.append(["Hướng:"])
    for value, label in Direction.choices:
        guide.append([value, str(label)])
    guide.append([])
    guide.append(["Mã cửa khẩu:"])
    for code, name in Gate.objects.filter(is_active=True, mode="road").values_list("code", "name"):
        guide.append([code, name])
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 60
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class CellError:
    row: int
    column: str  # letter
    header: str
    message: str


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _arrival(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date) or value in (None, ""):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
        try:
            return timezone.make_aware(datetime.datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise ServiceError(_("Thời gian dự kiến đến phải dạng dd/mm/yyyy hh:mm."), field="planned_arrival")


class _Trip:
    def __init__(self, ref: str, first_row: int, cells: dict[str, Any]):
        self.ref, self.first_row, self.header = ref, first_row, {k: cells.get(k) for k in HEADER_KEYS}
        self.lines: list[tuple[int, dict]] = []
        self.containers: list[tuple[int, dict]] = []


def _rows(file) -> list[tuple[int, dict[str, Any]]]:
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        raise ServiceError(_("Tệp không đọc được: hãy dùng tệp .xlsx theo mẫu."), field="file") from exc
    ws = wb["ToKhai"] if "ToKhai" in wb.sheetnames else wb.worksheets[0]
    rows = []
    for index, values in enumerate(ws.iter_rows(min_row=2, max_col=len(KEYS), values_only=True), start=2):
        cells = dict(zip(KEYS, values, strict=False))
        if all(v in (None, "") for v in cells.values()):
            continue
        rows.append((index, cells))
        if len(rows) > MAX_ROWS:
            raise ServiceError(_("Tối đa %(n)s dòng mỗi lần tải lên.") % {"n": MAX_ROWS}, field="file")
    wb.close()
    if not rows:
        raise ServiceError(_("Tệp không có dòng dữ liệu nào (dữ liệu bắt đầu từ dòng 2)."), field="file")
    return rows


@transaction.atomic
def declarations_import(*, actor, file, submit: bool = False) -> ImportResult:
    """Import the declarations of an uploaded template. Checks every cell first, then creates each
    declaration through declaration_create (and submits it if asked), all in one transaction that is
    rolled back if any row is refused."""
    result = ImportResult()

    def bad(row: int, key: str, message: str) -> None:
        header = COLUMNS[KEYS.index(key)][1]
        result.errors.append(CellError(row, column_letter(key), header, message))

    trips: dict[str, _Trip] = {}
    for row, cells in _rows(file):
        ref = _text(cells.get("trip")) or f"#{row}"
        trip = trips.get(ref)
        if trip is None:
            trip = trips[ref] = _Trip(ref, row, cells)
        else:
            for key in HEADER_KEYS:
                value = cells.get(key)
                if value not in (None, "") and _text(value) != _text(trip.header.get(key)):
                    bad(
                        row,
                        key,
                        _("Khác với dòng %(r)s của cùng chuyến %(t)s.") % {"r": trip.first_row, "t": ref},
                    )
        line = {k: _text(cells.get(k)) for k in LINE_KEYS}
        for key, check in (
            ("hs_code", lambda v: validation.hs_code(v)),
            ("quantity", lambda v: validation.decimal_value(v, field="quantity", label=_("Số lượng"))),
            (
                "gross_kg",
                lambda v: validation.decimal_value(v, field="gross_kg", label=_("Trọng lượng (kg)")),
            ),
            (
                "value",
                lambda v: validation.decimal_value(v, field="value", label=_("Trị giá"), positive=False),
            ),
            ("currency", lambda v: validation.currency(v)),
        ):
            try:
                check(line[key])
            except ServiceError as exc:
                bad(row, key, exc.messages[0])
        for key, label in (("description", _("Mô tả hàng")), ("unit", _("Đơn vị tính"))):
            if not line[key]:
                bad(row, key, _("%(label)s không được để trống.") % {"label": label})
        trip.lines.append((row, line))
        if _text(cells.get("container")) or _text(cells.get("size")):
            box = {"number": _text(cells.get("container")), "size": _text(cells.get("size"))}
            for key, check in (
                ("container", validation.container_number),
                ("size", validation.container_size),
            ):
                try:
                    check(box["number"] if key == "container" else box["size"])
                except ServiceError as exc:
                    bad(row, key, exc.messages[0])
            trip.containers.append((row, box))

    resolved: dict[str, dict[str, Any]] = {}
    from ..forms import enterprise_choices

    allowed = enterprise_choices(actor) if actor is not None else None
    for ref, trip in trips.items():
        h, row, values = trip.header, trip.first_row, {}
        try:
            code = normalise_tax_code(_text(h["tax_code"]))
            enterprise = (
                (allowed if allowed is not None else Enterprise.objects.all()).filter(tax_code=code).first()
            )
            if enterprise is None:
                raise ServiceError(
                    _("Bạn không được khai cho doanh nghiệp mã số thuế %(c)s.") % {"c": code},
                    field="tax_code",
                )
            values["enterprise"] = enterprise
        except ServiceError as exc:
            bad(row, "tax_code", exc.messages[0])
        gate = Gate.objects.filter(code=_text(h["gate"]).upper(), is_active=True).first()
        if gate is None:
            bad(
                row,
                "gate",
                _("Không có cửa khẩu mã “%(c)s” (xem trang Hướng dẫn).") % {"c": _text(h["gate"])},
            )
        values["gate"] = gate
        for key, fn in (
            ("vehicle", lambda v: validation.vehicle_by_plate(v)),
            ("trailer", lambda v: validation.vehicle_by_plate(v, trailer=True) if v else None),
            ("driver", lambda v: validation.driver_by_document(v)),
            ("planned_arrival", lambda v: validation.planned_arrival(_arrival(v))),
        ):
            try:
                values[key] = fn(h[key] if key == "planned_arrival" else _text(h[key]))
            except ServiceError as exc:
                bad(row, key, exc.messages[0])
        flow = _text(h["flow"]).lower()
        try:
            values["direction"] = declarations.direction_for(flow, _text(h["direction"]).lower())
            values["flow"] = flow
        except ServiceError as exc:
            bad(row, "flow" if exc.field == "flow" else "direction", exc.messages[0])
        values["two_way"] = _text(h["two_way"]).lower() in ("x", "có", "co", "1", "yes", "true")
        resolved[ref] = values

    if result.errors:
        transaction.set_rollback(True)
        return result

    from . import declarations as d

    for ref, trip in trips.items():
        values = resolved[ref]
        try:
            declaration = d.declaration_create(
                actor=actor,
                lines=[line for _r, line in trip.lines],
                containers=[box for _r, box in trip.containers],
                **values,
            )
            if submit:
                declaration = d.declaration_submit(actor=actor, declaration=declaration)
            result.created.append(declaration)
        except ServiceError as exc:
            name = exc.field or "status"
            row = trip.first_row
            parts = name.split(".")
            if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit():
                row = trip.lines[int(parts[1]) - 1][0]
                key = parts[2] if parts[2] in KEYS else "hs_code"
            elif parts[0] == "containers" and len(parts) == 3 and parts[1].isdigit():
                row = trip.containers[int(parts[1]) - 1][0]
                key = "container" if parts[2] == "number" else "size"
            else:
                key = FIELD_COLUMN.get(parts[0], "trip")
            bad(row, key, exc.messages[0])
    if result.errors:
        transaction.set_rollback(True)
        result.created = []
    return result
