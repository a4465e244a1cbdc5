"""Many declarations at once from the Excel template (openpyxl). Rows that share a trip number are one
declaration: the first row carries the trip (enterprise, gate, flow, vehicle, driver, arrival), every
row a goods line and, optionally, a container. The template has Vietnamese headings, lists to choose
from (gates and flows from the database, units, direction, size) and a sheet "Hướng dẫn" explaining each
column; the upload reads columns by heading (this template's in any of the site's languages, or the
earlier template's) and gates and flows by name or code. Every bad cell of every row is reported by
row and column on one upload; if any row is bad, nothing is imported.

This module is the sheet (its columns, the template, reading an upload's rows, where an error goes);
services.upload imports the rows it reads."""

from __future__ import annotations

import datetime
import io
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from cuakhau.core import numbers, uploads
from cuakhau.core.errors import ServiceError
from cuakhau.gates.models import Gate

from .models import Direction, Flow, GoodsLine

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


def key_of(text: Any) -> str:
    """A heading or a label compared without case, accents' encoding or extra spaces."""
    return " ".join(unicodedata.normalize("NFC", str(text or "")).casefold().split())


def in_every_language(lazy) -> set[str]:
    out = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            out.add(key_of(lazy))
    return out


def _headings() -> dict[str, str]:
    """heading -> key: this template's headings in every language, and earlier templates'."""
    known: dict[str, str] = {}
    for column in COLUMNS:
        for text in in_every_language(column.header) | {key_of(h) for h in column.legacy}:
            known.setdefault(text, column.key)
    return known


def choice_keys(choices) -> dict[str, str]:
    """label or code -> code, the labels in every language."""
    known = {}
    for value, label in choices:
        known[key_of(value)] = value
        for text in in_every_language(label):
            known.setdefault(text, value)
    return known


def gate_list():
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

    gates = list(gate_list().values_list("code", "name"))
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


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_value(key: str, value: Any) -> Any:
    """A number column's cell as Excel holds it (the number reader takes int, float and Decimal and
    reads text the Vietnamese way); any other cell as text."""
    if key in NUMBER_KEYS and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    return text_of(value)


def arrival_of(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date) or value in (None, ""):
        return value
    text = text_of(value)
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
        try:
            return timezone.make_aware(datetime.datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise ServiceError(_("Thời gian dự kiến đến phải dạng dd/mm/yyyy hh:mm."), field="planned_arrival")


class Trip:
    def __init__(self, ref: str, first_row: int, cells: dict[str, Any]):
        self.ref, self.first_row, self.header = ref, first_row, {k: cells.get(k) for k in HEADER_KEYS}
        self.lines: list[tuple[int, dict]] = []
        self.containers: list[tuple[int, dict]] = []


def _columns(headings: tuple) -> dict[int, str]:
    """Column index -> key, read from the heading row (this template's headings in any of the
    site's languages, or an earlier template's); by position when the row names none of them."""
    known, found = _headings(), {}
    for i, text in enumerate(headings):
        key = known.get(key_of(text).removesuffix("*").strip())
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


def cell_of(trip: Trip, field_name: str) -> tuple[int, str]:
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
