"""Many declarations at once from the Excel template (openpyxl). Rows that share a trip number are one
declaration: the first row carries the trip (enterprise, gate, flow, vehicle, driver, arrival), every
row a goods line and, optionally, a container. The template has Vietnamese headings, lists to choose
from (gates and flows from the database, units, direction, size) and a sheet "Hướng dẫn" explaining each
column; the upload reads columns by heading (this template's in any of the site's languages, or the
earlier template's) and gates and flows by name or code. Every bad cell of every row is reported by
row and column on one upload; if any row is bad, nothing is imported."""

from __future__ import annotations

import datetime
import io
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from cuakhau.core import numbers, uploads
from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.gates.models import Gate
from cuakhau.parties.models import Driver, Enterprise
from cuakhau.parties.services import normalise_tax_code

from ..models import Direction, Flow, GoodsLine
from . import declarations, drafting, validation

MAX_ROWS = 2000
DATA_SHEET = "ToKhai"
GUIDE_SHEET = "Hướng dẫn"
LISTS_SHEET = "DanhMuc"


@dataclass(frozen=True)
class Column:
    key: str
    header: Any  # lazy: the heading in the template's language
    width: int
    required: bool
    meaning: Any
    example: Any  # text, or a Decimal written in the template's language (20.000 / 20,000)
    legacy: tuple[str, ...] = ()  # headings of earlier templates, still read on upload


# Lazy: each request reads the headings in its own language.
COLUMNS = [
    Column(
        "trip",
        gettext_lazy("Số chuyến"),
        10,
        False,
        gettext_lazy(
            "Các dòng cùng số chuyến là một tờ khai (một xe, một chuyến); để trống thì mỗi dòng là một tờ khai."
        ),
        "1",
    ),
    Column(
        "tax_code",
        gettext_lazy("Mã số thuế doanh nghiệp"),
        18,
        True,
        gettext_lazy("Doanh nghiệp có hàng (10 hoặc 13 chữ số); bạn phải được khai cho doanh nghiệp này."),
        "0100233488",
    ),
    Column(
        "gate",
        gettext_lazy("Cửa khẩu"),
        34,
        True,
        gettext_lazy("Chọn trong danh sách (tên hoặc mã cửa khẩu đường bộ)."),
        "Cửa khẩu quốc tế Hữu Nghị",
        ("Mã cửa khẩu",),
    ),
    Column("flow", gettext_lazy("Loại hình"), 26, True, gettext_lazy("Chọn trong danh sách."), "Xuất khẩu"),
    Column(
        "direction",
        gettext_lazy("Hướng"),
        24,
        False,
        gettext_lazy(
            "Chỉ ghi với quá cảnh, chuyển tải, kho ngoại quan, cư dân biên giới (đi được cả hai chiều)."
        ),
        "",
        ("Hướng (exit/entry)",),
    ),
    Column(
        "vehicle",
        gettext_lazy("Biển số xe"),
        14,
        True,
        gettext_lazy("Xe kéo hoặc xe tải đã đăng ký trong hệ thống."),
        "12C-123.45",
    ),
    Column(
        "trailer",
        gettext_lazy("Biển số rơ moóc"),
        14,
        False,
        gettext_lazy("Rơ moóc, sơ mi rơ moóc đã đăng ký, nếu có."),
        "",
        ("Biển rơ moóc",),
    ),
    Column(
        "driver",
        gettext_lazy("Số giấy tờ của lái xe"),
        18,
        True,
        gettext_lazy("Số CCCD hoặc hộ chiếu của lái xe đã đăng ký."),
        "020085001234",
        ("Số giấy tờ lái xe",),
    ),
    Column(
        "planned_arrival",
        gettext_lazy("Dự kiến đến"),
        20,
        True,
        gettext_lazy("Ngày giờ xe đến cửa khẩu, dạng dd/mm/yyyy hh:mm; từ hôm nay đến 30 ngày tới."),
        "",  # tomorrow's date, written when the template is made
        ("Dự kiến đến (dd/mm/yyyy hh:mm)",),
    ),
    Column(
        "two_way",
        gettext_lazy("Xe hai chiều"),
        12,
        False,
        gettext_lazy("Chọn “Có” nếu xe chở hàng cả chiều về."),
        "",
        ("Xe hai chiều (x)",),
    ),
    Column(
        "hs_code",
        gettext_lazy("Mã HS"),
        12,
        True,
        gettext_lazy("8 chữ số theo Danh mục hàng hóa xuất nhập khẩu Việt Nam; có thể viết có dấu chấm."),
        "0810.90.10",
        ("Mã HS (8 số)",),
    ),
    Column(
        "description",
        gettext_lazy("Mô tả hàng hóa"),
        28,
        True,
        gettext_lazy("Tên hàng như trên tờ khai hải quan."),
        "Nhãn tươi",
        ("Mô tả hàng",),
    ),
    Column(
        "quantity",
        gettext_lazy("Số lượng"),
        12,
        True,
        gettext_lazy("Số lớn hơn 0, viết kiểu Việt Nam (1.200,5) hoặc nhập số trong ô số của Excel."),
        Decimal(20000),
    ),
    Column(
        "unit",
        gettext_lazy("Đơn vị tính"),
        12,
        True,
        gettext_lazy("Chọn trong danh sách hoặc ghi đơn vị khác."),
        "kg",
        ("ĐVT",),
    ),
    Column(
        "gross_kg",
        gettext_lazy("Trọng lượng cả bì (kg)"),
        14,
        True,
        gettext_lazy("Số ki-lô-gam lớn hơn 0, ví dụ 21.000 hoặc 1.250,5."),
        Decimal(21000),
    ),
    Column(
        "value",
        gettext_lazy("Trị giá"),
        16,
        True,
        gettext_lazy("Trị giá khai báo theo tiền tệ của cột sau, ví dụ 300.000.000 hoặc 12.500,75."),
        Decimal(300000000),
    ),
    Column(
        "currency",
        gettext_lazy("Tiền tệ"),
        8,
        False,
        gettext_lazy("Mã 3 chữ cái (VND, USD, CNY); để trống là VND."),
        "VND",
    ),
    Column(
        "value_vnd",
        gettext_lazy("Trị giá quy ra VND"),
        16,
        False,
        gettext_lazy("Chỉ ghi khi tiền tệ khác VND."),
        "",
        ("Trị giá quy ra đồng",),
    ),
    Column(
        "container",
        gettext_lazy("Số container"),
        14,
        False,
        gettext_lazy("Số theo ISO 6346, có chữ số kiểm tra; mỗi dòng một container, tối đa 4 mỗi xe."),
        "CSQU3054383",
    ),
    Column(
        "size",
        gettext_lazy("Cỡ container"),
        12,
        False,
        gettext_lazy("20 hoặc 40 (feet), khi có số container."),
        "40",
        ("Cỡ container (20/40)",),
    ),
]

KEYS = [c.key for c in COLUMNS]
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
LINE_FIELD_COLUMN = {k: k for k in LINE_KEYS} | {"number": "container", "size": "size"}
YES = ("x", "có", "co", "1", "yes", "true")
# Units the customs declarations at Lạng Sơn use most; the template's list adds those in recent use.
COMMON_UNITS = [
    "kg",
    "tấn",
    "chiếc",
    "cái",
    "con",
    "bộ",
    "thùng",
    "hộp",
    "bao",
    "kiện",
    "gói",
    "cuộn",
    "tấm",
    "đôi",
    "chai",
    "lít",
    "m3",
    "m2",
    "mét",
]


def column_letter(key: str) -> str:
    return get_column_letter(KEYS.index(key) + 1)


def _key(text: Any) -> str:
    """A heading or a label compared without case, accents' encoding or extra spaces."""
    return " ".join(unicodedata.normalize("NFC", str(text or "")).casefold().split())


def _in_every_language(lazy) -> set[str]:
    out = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            out.add(_key(lazy))
    return out


def _headings() -> dict[str, str]:
    """heading -> key: this template's headings in every language, and earlier templates'."""
    known: dict[str, str] = {}
    for column in COLUMNS:
        for text in _in_every_language(column.header) | {_key(h) for h in column.legacy}:
            known.setdefault(text, column.key)
    return known


def _choices(choices) -> dict[str, str]:
    """label or code -> code, the labels in every language."""
    known = {}
    for value, label in choices:
        known[_key(value)] = value
        for text in _in_every_language(label):
            known.setdefault(text, value)
    return known


def _gates():
    return Gate.objects.filter(is_active=True, mode="road").order_by("sort_order", "code")


def _units() -> list[str]:
    recent = GoodsLine.objects.order_by("-id").values_list("unit", flat=True)[
        :1000
    ]  # a bounded look at what is in use, not a scan of every line
    units = list(COMMON_UNITS)
    for unit in recent:
        if unit and unit not in units:
            units.append(unit)
    return units


def template() -> bytes:
    """The template: the data sheet (headings, an example row to overwrite, a list to choose from for
    the gate, flow, direction, unit, two-way and container size), the sheet "Hướng dẫn" explaining
    each column, and the lists' sheet. The headings and labels are in the page's language; the upload
    reads them in any of the site's languages."""
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    required_fill = PatternFill("solid", fgColor="FCE4D6")
    for i, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i, value=str(column.header) + (" *" if column.required else ""))
        cell.font, cell.fill = bold, required_fill if column.required else fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "A2"

    gates = list(_gates().values_list("code", "name"))
    lists = {
        "gate": [name for _code, name in gates],
        "flow": [str(label) for label in Flow.labels],
        "direction": [str(label) for label in Direction.labels],
        "unit": _units(),
        "two_way": [_("Có")],
        "size": ["20", "40"],
    }
    sheet = wb.create_sheet(LISTS_SHEET)
    for n, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(n)
        sheet.cell(row=1, column=n, value=str(COLUMNS[KEYS.index(key)].header)).font = bold
        for r, value in enumerate(values, start=2):
            sheet.cell(row=r, column=n, value=value)
        sheet.column_dimensions[letter].width = 30
        source = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${max(len(values), 1) + 1}"
        free = key == "unit"  # a unit not in the list is still accepted
        rule = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=not free,
            errorStyle="warning" if free else "stop",
            errorTitle=str(COLUMNS[KEYS.index(key)].header),
            error=_("Chọn một giá trị trong danh sách."),
            promptTitle=str(COLUMNS[KEYS.index(key)].header),
            prompt=str(COLUMNS[KEYS.index(key)].meaning)[:255],
            showInputMessage=True,
        )
        rule.add(f"{column_letter(key)}2:{column_letter(key)}{MAX_ROWS + 1}")
        ws.add_data_validation(rule)
    sheet.sheet_state = "hidden"

    guide = wb.create_sheet(GUIDE_SHEET, 1)
    guide.append([_("Hướng dẫn điền tệp mẫu tờ khai")])
    guide["A1"].font = Font(bold=True, size=13)
    for line in [
        _(
            "Mỗi dòng của trang “%(sheet)s” là một dòng hàng, từ dòng 2. Các dòng cùng “Số chuyến” là một tờ khai; thông tin chuyến ghi ở dòng đầu của chuyến."
        )
        % {"sheet": DATA_SHEET},
        _("Cột có dấu * là bắt buộc. Ô có danh sách: bấm vào ô để chọn."),
        _(
            "Số viết kiểu Việt Nam: dấu chấm ngăn hàng nghìn, dấu phẩy trước phần thập phân (1.200,5), hoặc nhập số trong ô số của Excel."
        ),
        _(
            "Nếu có dòng sai, không tờ khai nào được nhập: trang tải lên liệt kê mọi lỗi theo dòng và cột; sửa rồi tải lên lại."
        ),
    ]:
        guide.append([line])
    guide.append([])
    guide.append([_("Cột"), _("Tiêu đề"), _("Bắt buộc"), _("Ý nghĩa, cách ghi"), _("Ví dụ")])
    for cell in guide[guide.max_row]:
        cell.font, cell.fill = bold, fill
    tomorrow = (timezone.localtime() + datetime.timedelta(days=1)).replace(hour=8, minute=30)
    for column in COLUMNS:
        example = column.example
        if isinstance(example, Decimal):
            example = numbers.write_number(example)
        if column.key == "planned_arrival":
            example = tomorrow.strftime("%d/%m/%Y %H:%M")
        guide.append(
            [
                column_letter(column.key),
                str(column.header),
                pgettext("required column", "Có")
                if column.required
                else pgettext("required column", "Không"),
                str(column.meaning),
                example,
            ]
        )
    guide.append([])
    guide.append([_("Mã cửa khẩu"), _("Tên cửa khẩu")])
    guide.cell(row=guide.max_row, column=1).font = bold
    for code, name in gates:
        guide.append([code, name])
    for letter, width in zip("ABCDE", (12, 28, 10, 80, 26), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
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


NUMBER_KEYS = ("quantity", "gross_kg", "value", "value_vnd")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _cell(key: str, value: Any) -> Any:
    """A number column's cell as Excel holds it (the number reader takes int, float and Decimal and
    reads text the Vietnamese way); any other cell as text."""
    if key in NUMBER_KEYS and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    return _text(value)


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


def _columns(headings: tuple) -> dict[int, str]:
    """Column index -> key, read from the heading row (this template's headings in any of the
    site's languages, or an earlier template's); by position when the row names none of them."""
    known, found = _headings(), {}
    for i, text in enumerate(headings):
        key = known.get(_key(text).removesuffix("*").strip())
        if key and key not in found.values():
            found[i] = key
    if not found:
        return dict(enumerate(KEYS))
    missing = [str(c.header) for c in COLUMNS if c.required and c.key not in found.values()]
    if missing:
        raise ServiceError(
            _("Tệp thiếu cột: %(cols)s (xem trang Hướng dẫn của tệp mẫu).") % {"cols": ", ".join(missing)},
            field="file",
        )
    return found


def read_rows(file) -> list[tuple[int, dict[str, Any]]]:
    """The data rows (row number, {key: cell}) of an uploaded template, read by core.uploads within
    the upload limits (file size, uncompressed size, rows and columns scanned): nothing is written,
    so it runs before any transaction opens."""
    name = getattr(file, "name", "") or "upload.xlsx"
    if uploads.extension(name) not in uploads.SPREADSHEET_EXTENSIONS:
        name = "upload.xlsx"  # the template is an xlsx whatever the browser called it
    table = uploads.read_table(file, name, sheet=DATA_SHEET)
    columns = _columns(table[0][1] if table else ())
    rows = []
    for index, values in table[1:]:
        cells = {key: values[i] if i < len(values) else None for i, key in columns.items()}
        if all(v in (None, "") for v in cells.values()):
            continue
        rows.append((index, cells))
        if len(rows) > MAX_ROWS:
            raise ServiceError(_("Tối đa %(n)s dòng mỗi lần tải lên.") % {"n": MAX_ROWS}, field="file")
    if not rows:
        raise ServiceError(_("Tệp không có dòng dữ liệu nào (dữ liệu bắt đầu từ dòng 2)."), field="file")
    return rows


def _cell_of(trip: _Trip, field_name: str) -> tuple[int, str]:
    """The row and column of a service error's field (`lines.2.quantity`, `containers.1.number`,
    `vehicle`) within a trip."""
    parts = field_name.split(".")
    if len(parts) == 3 and parts[1].isdigit():
        items = trip.lines if parts[0] == "lines" else trip.containers if parts[0] == "containers" else None
        index = int(parts[1]) - 1
        if items is not None and 0 <= index < len(items):
            default = "hs_code" if parts[0] == "lines" else "container"
            return items[index][0], LINE_FIELD_COLUMN.get(parts[2], default)
    return trip.first_row, FIELD_COLUMN.get(parts[0], "trip")


def declarations_import(*, actor, file, submit: bool = False) -> ImportResult:
    """Import the declarations of an uploaded template: its rows read and bounded first, outside any
    transaction (a big or hostile file never holds the database's write lock), then `rows_import`."""
    return rows_import(actor=actor, rows=read_rows(file), submit=submit)


@transaction.atomic
def rows_import(*, actor, rows: list[tuple[int, dict[str, Any]]], submit: bool = False) -> ImportResult:
    """Import the declarations of a template's rows (`read_rows`). Every row is checked and every error
    of every row reported together: each trip's cells, goods lines and containers (the service's own
    checks), and, for each trip whose cells are right, what declaration_create (and declaration_submit,
    if asked) refuses. All in one transaction, rolled back if any row is refused."""
    result = ImportResult()
    failed: set[str] = set()

    def bad(trip: _Trip, row: int, key: str, message: str) -> None:
        failed.add(trip.ref)
        header = str(COLUMNS[KEYS.index(key)].header)
        result.errors.append(CellError(row, column_letter(key), header, message))

    def refused(trip: _Trip, exc: ServiceError) -> None:
        for name, messages in exc.message_dict.items():
            row, key = _cell_of(trip, name)
            for message in messages:
                bad(trip, row, key, message)

    trips: dict[str, _Trip] = {}
    for row, cells in rows:
        ref = _text(cells.get("trip")) or f"#{row}"
        trip = trips.get(ref)
        if trip is None:
            trip = trips[ref] = _Trip(ref, row, cells)
        else:
            for key in HEADER_KEYS:
                value = cells.get(key)
                if value not in (None, "") and _text(value) != _text(trip.header.get(key)):
                    bad(
                        trip,
                        row,
                        key,
                        _("Khác với dòng %(r)s của cùng chuyến %(t)s.") % {"r": trip.first_row, "t": ref},
                    )
        trip.lines.append((row, {k: _cell(k, cells.get(k)) for k in LINE_KEYS}))
        if _text(cells.get("container")) or _text(cells.get("size")):
            trip.containers.append(
                (row, {"number": _text(cells.get("container")), "size": _text(cells.get("size"))})
            )

    from ..forms import driver_choices, enterprise_choices

    allowed = enterprise_choices(actor) if actor is not None else None
    usable_drivers = driver_choices(actor) if actor is not None else Driver.objects.all()
    gates = {}
    for gate in _gates():
        gates[_key(gate.code)] = gates[_key(gate.name)] = gate
    flows, directions = _choices(Flow.choices), _choices(Direction.choices)
    yes = set(YES) | _in_every_language(gettext_lazy("Có"))
    resolved: dict[str, dict[str, Any]] = {}
    for ref, trip in trips.items():
        for check, items in (
            (drafting.clean_lines, trip.lines),
            (drafting.clean_containers, trip.containers),
        ):
            try:
                check([item for _r, item in items])
            except ServiceError as exc:
                refused(trip, exc)
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
            bad(trip, row, "tax_code", exc.messages[0])
        values["gate"] = gates.get(_key(h["gate"]))
        if values["gate"] is None:
            bad(
                trip,
                row,
                "gate",
                _("Không có cửa khẩu “%(c)s”: chọn trong danh sách (xem trang Hướng dẫn).")
                % {"c": _text(h["gate"])},
            )
        for key, fn in (
            ("vehicle", lambda v: validation.vehicle_by_plate(v)),
            ("trailer", lambda v: validation.vehicle_by_plate(v, trailer=True) if v else None),
            ("driver", lambda v: validation.driver_by_document(v, drivers=usable_drivers)),
            ("planned_arrival", lambda v: validation.planned_arrival(_arrival(v))),
        ):
            try:
                values[key] = fn(h[key] if key == "planned_arrival" else _text(h[key]))
            except ServiceError as exc:
                bad(trip, row, key, exc.messages[0])
        flow = flows.get(_key(h["flow"]))
        direction = directions.get(_key(h["direction"]), "") if _text(h["direction"]) else ""
        if flow is None:
            bad(
                trip,
                row,
                "flow",
                _("Loại hình “%(v)s” không có trong danh sách (xem trang Hướng dẫn).")
                % {"v": _text(h["flow"])},
            )
        elif _text(h["direction"]) and not direction:
            bad(
                trip,
                row,
                "direction",
                _("Hướng phải là một trong: %(v)s.") % {"v": ", ".join(Direction.labels)},
            )
        else:
            try:
                values["direction"] = declarations.direction_for(flow, direction)
                values["flow"] = flow
            except ServiceError as exc:
                bad(trip, row, "flow" if exc.field == "flow" else "direction", exc.messages[0])
        values["two_way"] = _key(h["two_way"]) in yes
        resolved[ref] = values

    # The service's own refusals, for every trip whose cells are right, even when other trips' are
    # not: all the rows' errors come back on one upload.
    for ref, trip in trips.items():
        if ref in failed:
            continue
        try:
            declaration = declarations.declaration_create(
                actor=actor,
                lines=[line for _r, line in trip.lines],
                containers=[box for _r, box in trip.containers],
                **resolved[ref],
            )
            if submit:
                declaration = declarations.declaration_submit(actor=actor, declaration=declaration)
            result.created.append(declaration)
        except ServiceError as exc:
            if not hasattr(exc, "error_dict"):
                exc = ServiceError.join([ServiceError(m, field="status") for m in exc.messages])
            refused(trip, exc)
    if result.errors:
        transaction.set_rollback(True)
        result.created = []
    result.errors.sort(key=lambda e: (e.row, len(e.column), e.column))
    return result


# --- large uploads, in the background ---------------------------------------------------------------
#
# A file of more than settings.UPLOAD_BACKGROUND_ROWS data rows is read and bounded here as any other
# (outside any transaction), then kept in an UploadJob and checked by the worker (tasks.run_upload).
# The worker first checks the trips chunk by chunk, each chunk in its own transaction rolled back,
# recording the rows checked after each (so the progress page moves); then imports every row in the
# one transaction of `rows_import`, whose result (drafts created, or every error) is the job's.

CHECK_CHUNK_ROWS = 100


def upload_start(*, actor, file, submit: bool = False):
    """Import a small upload now (an ImportResult), or keep a large one for the worker (an UploadJob,
    enqueued by the caller). Either way the file is read and bounded first, outside any transaction."""
    from ..models import UploadJob

    rows = read_rows(file)
    if len(rows) <= settings.UPLOAD_BACKGROUND_ROWS:
        return rows_import(actor=actor, rows=rows, submit=submit)
    enterprise = Enterprise.objects.filter(unit_id=actor.unit_id).order_by("pk").first()
    if enterprise is None:
        raise ServiceError(_("Tài khoản của bạn chưa gắn với doanh nghiệp nào."), field="file")
    file.seek(0)
    name = (getattr(file, "name", "") or "upload.xlsx")[:255]
    with transaction.atomic():
        job = UploadJob.objects.create(
            enterprise=enterprise,
            created_by=actor,
            filename=name,
            content=file.read(),
            submit=submit,
            total_rows=len(rows),
        )
        audit_record(
            action="traffic.upload.enqueue",
            obj=job,
            after={"file": name, "rows": len(rows), "submit": submit},
            actor=actor,
        )
    return job


def _trip_chunks(rows, size: int):
    """The rows in chunks of about `size`, a trip's rows never split between two chunks."""
    by_trip: dict[str, list] = {}
    for row, cells in rows:
        by_trip.setdefault(_text(cells.get("trip")) or f"#{row}", []).append((row, cells))
    chunk: list = []
    for trip_rows in by_trip.values():
        chunk.extend(trip_rows)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def upload_run(*, job_id: int, chunk: int | None = None):
    """Check and import a kept upload (the background task; tests). Progress is saved after each
    chunk in its own write, never inside the import's transaction."""
    from ..models import UploadJob, UploadStatus

    job = UploadJob.objects.select_related("created_by").get(pk=job_id)
    if job.finished:
        return job
    actor = job.created_by
    errors: list[CellError] = []
    try:
        source = io.BytesIO(bytes(job.content))
        source.name = job.filename
        rows = read_rows(source)
    except ServiceError as exc:
        errors = [CellError(0, "", "", m) for m in exc.messages]
        rows = []
    UploadJob.objects.filter(pk=job.pk).update(status=UploadStatus.CHECKING, checked_rows=0)
    checked = 0
    for part in _trip_chunks(rows, chunk or CHECK_CHUNK_ROWS):
        with transaction.atomic():  # a dry run: everything it writes is rolled back
            errors += rows_import(actor=actor, rows=part, submit=job.submit).errors
            transaction.set_rollback(True)
        checked += len(part)
        UploadJob.objects.filter(pk=job.pk).update(checked_rows=checked)
    result = ImportResult(errors=errors)
    if not errors and rows:
        result = rows_import(actor=actor, rows=rows, submit=job.submit)
    errors = sorted(result.errors, key=lambda e: (e.row, len(e.column), e.column))
    with transaction.atomic():
        job = UploadJob.objects.select_for_update().get(pk=job.pk)
        job.status = UploadStatus.REFUSED if errors else UploadStatus.DONE
        job.checked_rows = job.total_rows
        job.errors = [
            {"row": e.row, "column": e.column, "header": e.header, "message": e.message} for e in errors
        ]
        job.created_ids = [d.pk for d in result.created]
        job.finished_at = timezone.now()
        job.content = b""  # the file is not kept once read
        job.save()
        audit_record(
            action="traffic.upload.refuse" if errors else "traffic.upload.finish",
            obj=job,
            after={"errors": len(errors), "created": len(job.created_ids)},
            actor=actor,
        )
    return job
