"""Reading statistics files (CSV or Excel) line by line, with every bad cell reported by line and
column. Nothing here writes: `services` decides what to do with the rows and the errors.

Columns (header names in any case; order free):

    period       2017-03 (month), 2017-Q1, 2017; or with a `year` column: year, h1, q3, 03, jan-oct
    year         optional, see period
    metric       turnover_export, turnover_import, turnover_total, infrastructure_fee_revenue, key_tasks_...
    direction    instead of metric for turnover: export | import | total
    gate         a gate code (HUUNGHI, TANTHANH, ...); empty: not broken down by gate
    flow         export, import, temp_import_reexport, ... (the declarations' codes); empty: all
    hs_chapter   1–99 (HS chapter, two digits); empty: all
    value        a number written the way of the file's language (`lang`: 5.250,5 in Vietnamese, 5,250.5
                 in English and Chinese, read by core.numbers, never guessed); Excel number cells are
                 taken as numbers. Our own shipped files (data/turnover_series.csv, the synthetic
                 generator's) are written by code in machine form (5250.5) and read with lang=MACHINE.
    unit         usd, thousand_usd, million_usd, vnd, million_vnd, billion_vnd, count
    yoy_percent  optional, the growth as published, a number written as `value` is
    derived      optional yes/no: the figure was computed from a published one
    source       optional, where the figure comes from
    series       optional; when present it must be the series being imported (series are never mixed)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from cuakhau.core import numbers, uploads
from cuakhau.core.vnformat import NumberFormatError, to_decimal

from .models import DIRECTION_METRICS, UNIT_BASE, GoodsFlow, Granularity, Metric, SeriesKind
from .periods import PeriodError, parse_file_period

TURNOVER_METRICS = frozenset({Metric.TURNOVER_TOTAL, Metric.TURNOVER_EXPORT, Metric.TURNOVER_IMPORT})
METRIC_BASE: dict[str, str] = {
    m: ("usd" if m in TURNOVER_METRICS else "vnd" if m == Metric.FEE_REVENUE else "count") for m in Metric
}
FLOWS = frozenset(GoodsFlow.values)
KNOWN_COLUMNS = frozenset(
    {"period", "year", "metric", "direction", "gate", "flow", "hs_chapter", "value", "unit", "yoy_percent"}
    | {"derived", "source", "series"}
)
TRUE = {"yes", "y", "true", "1", "có", "co", "x"}
FALSE = {"", "no", "n", "false", "0", "không", "khong"}
MAX_ERRORS_KEPT = 1000
# The numbers of a file that code wrote ("5250.5"), not a person: our reference data, the generator's.
MACHINE = "machine"
NUMBER_COLUMNS = ("value", "yoy_percent")
# A line of a file: column -> its text, or the number itself for an Excel number cell of NUMBER_COLUMNS.
Record = dict[str, Any]


@dataclass(slots=True)
class LineError:
    line: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = _("dòng %(line)d") % {"line": self.line}
        if self.column:
            where += _(", cột %(col)s") % {"col": self.column}
        return f"{where}: {self.message}"


@dataclass(slots=True)
class ParsedRow:
    line: int
    metric: str
    granularity: str
    period_start: dt.date
    period_end: dt.date
    gate_code: str
    flow: str
    hs_chapter: str
    value: Decimal
    unit: str
    amount: Decimal
    yoy_percent: Decimal | None
    derived: bool
    source: str


@dataclass
class ParseResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    error_count: int = 0
    lines: int = 0

    def add_error(self, error: LineError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)


class FileError(ValueError):
    """The file as a whole cannot be read (format, header)."""

    def __init__(self, message: str, column: str = ""):
        super().__init__(message)
        self.message = message
        self.column = column


# --- reading ---------------------------------------------------------------------------------------


def is_excel(name: str) -> bool:
    return Path(name).suffix.lower() in (".xlsx", ".xlsm")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    if isinstance(value, dt.datetime):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    return str(value).strip()


def upload_limits() -> uploads.Limits:
    """The limits of a file a person uploads (web import, API): core.uploads' with the trade imports'
    own size and row limits (TRADE_IMPORT_MAX_BYTES, TRADE_IMPORT_MAX_ROWS)."""
    from django.conf import settings

    return uploads.limits(max_bytes=settings.TRADE_IMPORT_MAX_BYTES, max_rows=settings.TRADE_IMPORT_MAX_ROWS)


def count_lines(path: Path | str, name: str = "", limits: uploads.Limits | None = None) -> int:
    """Data lines in the file (the header excluded), for progress; within `limits` when given (a
    ServiceError naming the limit otherwise)."""
    name = name or str(path)
    if limits is not None:
        uploads.check_size(path, limits)
    if is_excel(name):
        from openpyxl import load_workbook

        wb = (
            uploads.open_workbook(path, limits)
            if limits
            else load_workbook(path, read_only=True, data_only=True)
        )
        try:
            return max(0, (wb.worksheets[0].max_row or 1) - 1)
        finally:
            wb.close()
    with open(path, "rb") as fh:
        lines = max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1)
    if limits is not None and lines > limits.max_rows:
        raise uploads.too_many_rows(limits)
    return lines


def read_records(
    path: Path | str, name: str = "", start: int = 0, limits: uploads.Limits | None = None
) -> Iterator[tuple[int, Record]]:
    """(line number, {column: text}) for each data line after the first `start` data lines. Line
    numbers count the header as line 1, as a spreadsheet shows them. An Excel number cell in a number
    column stays a number (int, float), so that it is never read as text. A file a person uploaded is
    read within `limits` (core.uploads): never past their rows and columns."""
    name = name or str(path)
    if is_excel(name):
        yield from _read_excel(path, start, limits)
    else:
        yield from _read_csv(path, start, limits)


def _header(cells: list[str]) -> list[str]:
    header = [c.strip().lower().lstrip("\ufeff") for c in cells]
    if not any(header):
        raise FileError(_("Dòng 1 phải là tiêu đề cột (period, gate, direction, value, unit, …)."))
    unknown = [c for c in header if c and c not in KNOWN_COLUMNS]
    if unknown:
        raise FileError(
            _("Cột không biết: %(cols)s. Các cột nhận: %(known)s.")
            % {"cols": ", ".join(unknown), "known": ", ".join(sorted(KNOWN_COLUMNS))},
            unknown[0],
        )
    for required in ("value", "unit"):
        if required not in header:
            raise FileError(_("Thiếu cột %(col)s.") % {"col": required}, required)
    if "period" not in header:
        raise FileError(_("Thiếu cột period."), "period")
    if "metric" not in header and "direction" not in header:
        raise FileError(_("Cần cột metric hoặc direction."), "metric")
    return header


def _read_csv(path, start: int, limits=None) -> Iterator[tuple[int, Record]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        try:
            # Decoding starts here: a picture or a file in another encoding is refused by name, not a 500.
            sample = fh.read(4096)
        except UnicodeDecodeError as exc:
            raise FileError(_("Tệp CSV phải mã hóa UTF-8.")) from exc
        fh.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            header = _header(next(reader))
        except StopIteration as exc:
            raise FileError(_("Tệp trống.")) from exc
        except UnicodeDecodeError as exc:
            raise FileError(_("Tệp CSV phải mã hóa UTF-8.")) from exc
        width = len(header)
        try:
            for index, cells in enumerate(reader):
                if limits is not None and index >= limits.max_rows and any(c.strip() for c in cells):
                    raise uploads.too_many_rows(limits)
                if index < start:
                    continue
                if not cells or not any(c.strip() for c in cells):
                    yield index + 2, {}
                    continue
                if len(cells) < width:
                    cells = cells + [""] * (width - len(cells))
                yield (
                    index + 2,
                    {header[i]: cells[i].strip() for i in range(width) if header[i]}
                    | (
                        {"__extra__": "1"}
                        if len(cells) > width and any(c.strip() for c in cells[width:])
                        else {}
                    ),
                )
        except UnicodeDecodeError as exc:
            raise FileError(_("Tệp CSV phải mã hóa UTF-8.")) from exc
        except csv.Error as exc:
            raise FileError(_("Tệp CSV hỏng: %(e)s") % {"e": exc}) from exc


def _read_excel(path, start: int, limits=None) -> Iterator[tuple[int, Record]]:
    from openpyxl import load_workbook

    if limits is not None:
        wb = uploads.open_workbook(path, limits)
    else:
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several types for a file that is not a workbook
            raise FileError(_("Không đọc được tệp Excel (.xlsx): %(e)s") % {"e": exc}) from exc
    try:
        if limits is not None:
            rows = (cells for _n, cells in uploads.sheet_rows(wb.worksheets[0], limits))
        else:
            rows = wb.worksheets[0].iter_rows(values_only=True)
        try:
            header = _header([_cell(c) for c in next(rows)])
        except StopIteration as exc:
            raise FileError(_("Tệp trống.")) from exc
        width = len(header)
        for index, cells in enumerate(rows):
            if index < start:
                continue
            texts = [
                c
                if header[i] in NUMBER_COLUMNS and isinstance(c, int | float) and not isinstance(c, bool)
                else _cell(c)
                for i, c in enumerate(cells[:width])
            ]
            if not any(t not in (None, "") for t in texts):
                yield index + 2, {}
                continue
            texts += [""] * (width - len(texts))
            yield index + 2, {header[i]: texts[i] for i in range(width) if header[i]}
    finally:
        wb.close()


# --- checking --------------------------------------------------------------------------------------


class RowChecker:
    """Checks one record at a time against a series; keeps small caches (periods repeat)."""

    def __init__(self, *, series, gate_codes: set[str], lang: str | None = None):
        self.series = series
        self.gate_codes = gate_codes
        # The language the file's numbers are written in (None: the active one), or MACHINE.
        self.lang = lang if lang == MACHINE else numbers.reader_language(lang)
        self._periods: dict[tuple[str, str], tuple[str, dt.date, dt.date] | PeriodError] = {}
        self._turnover = series.kind == SeriesKind.TURNOVER

    def _period(self, text: str, year: str):
        key = (text, year)
        found = self._periods.get(key)
        if found is None:
            try:
                found = parse_file_period(text, year)
            except PeriodError as exc:
                found = exc
            self._periods[key] = found
        return found

    def number(self, raw) -> Decimal:
        """A number cell: a number as it is, text read in the file's language (NumberFormatError)."""
        if self.lang == MACHINE:
            return to_decimal(raw)
        return numbers.to_number(raw, lang=self.lang)

    def check(self, line: int, rec: Record, result: ParseResult) -> ParsedRow | None:
        errors_before = result.error_count

        def bad(column: str, message: str) -> None:
            result.add_error(LineError(line, column, message))

        if rec.get("__extra__"):
            bad("", _("Dòng có nhiều ô hơn tiêu đề."))
        series_code = rec.get("series", "")
        if series_code and series_code != self.series.code:
            bad(
                "series",
                _(
                    "Dòng thuộc chuỗi “%(other)s”, không phải chuỗi đang nhập “%(series)s”: các chuỗi không được trộn."
                )
                % {"other": series_code, "series": self.series.code},
            )
        period = self._period(rec.get("period", ""), rec.get("year", ""))
        if isinstance(period, PeriodError):
            bad(period.field if period.field == "year" else "period", period.message)
            period = None
        metric = self._metric(rec, bad)
        gate, flow, hs = self._detail(rec, bad)
        granularity = period[0] if period else None
        if granularity and granularity != Granularity.MONTH and (gate or flow or hs):
            bad("period", _("Số liệu chi tiết theo cửa khẩu, loại hình hoặc chương HS phải theo tháng."))
        if granularity == Granularity.MONTH and metric == Metric.TURNOVER_TOTAL:
            bad(
                "direction",
                _(
                    "Số liệu tháng ghi theo hướng (export/import); tổng kim ngạch do hệ thống cộng, không nhập."
                ),
            )
        unit = rec.get("unit", "").strip().lower()
        factor = self._unit_factor(unit, metric, bad)
        value = self._value(rec, bad)
        yoy = self._yoy(rec, bad)
        derived_text = rec.get("derived", "").strip().lower()
        if derived_text not in TRUE and derived_text not in FALSE:
            bad("derived", _("Cột derived nhận yes hoặc no."))
        source = rec.get("source", "")
        if len(source) > 500:
            bad("source", _("Nguồn dài quá 500 ký tự."))

        if result.error_count != errors_before or period is None or value is None or factor is None:
            return None
        return ParsedRow(
            line=line,
            metric=metric,
            granularity=period[0],
            period_start=period[1],
            period_end=period[2],
            gate_code=gate,
            flow=flow,
            hs_chapter=hs,
            value=value,
            unit=unit,
            amount=value * factor,
            yoy_percent=yoy,
            derived=derived_text in TRUE,
            source=source,
        )

    def _metric(self, rec: Record, bad: Callable[[str, str], None]) -> str:
        """The row's metric, from its metric column or its direction; "" when neither names one."""
        metric = rec.get("metric", "").strip().lower()
        direction = rec.get("direction", "").strip().lower()
        if not metric:
            if direction in DIRECTION_METRICS:
                metric = DIRECTION_METRICS[direction]
            elif direction == "total":
                metric = Metric.TURNOVER_TOTAL
            else:
                bad("direction", _("Hướng phải là export (xuất khẩu), import (nhập khẩu) hoặc total."))
        elif metric not in METRIC_BASE:
            bad("metric", _("Chỉ tiêu “%(m)s” không có trong danh mục.") % {"m": metric})
            metric = ""
        elif direction and DIRECTION_METRICS.get(direction, metric) != metric:
            bad("direction", _("Hướng “%(d)s” không khớp chỉ tiêu “%(m)s”.") % {"d": direction, "m": metric})
        if metric and (metric in TURNOVER_METRICS) != self._turnover:
            bad(
                "metric",
                _("Chỉ tiêu “%(m)s” không thuộc loại của chuỗi “%(s)s”.")
                % {"m": metric, "s": self.series.code},
            )
        return metric

    def _detail(self, rec: Record, bad: Callable[[str, str], None]) -> tuple[str, str, str]:
        """The breakdown: gate code, goods flow and HS chapter (two digits), each "" for all."""
        gate = rec.get("gate", "").strip().upper()
        if gate and gate not in self.gate_codes:
            bad("gate", _("Không có cửa khẩu mã “%(g)s”.") % {"g": gate})
        flow = rec.get("flow", "").strip().lower()
        if flow and flow not in FLOWS:
            bad(
                "flow",
                _("Loại hình “%(f)s” không có trong danh mục (%(all)s).")
                % {"f": flow, "all": ", ".join(sorted(FLOWS))},
            )
        hs = rec.get("hs_chapter", "").strip()
        if hs:
            if hs.isdigit() and 1 <= int(hs) <= 99:
                hs = f"{int(hs):02d}"
            else:
                bad("hs_chapter", _("Chương HS phải là số từ 01 đến 99."))
        return gate, flow, hs

    def _unit_factor(self, unit: str, metric: str, bad: Callable[[str, str], None]) -> int | None:
        """What a value in this unit is multiplied by to give the base unit's amount."""
        base = UNIT_BASE.get(unit)
        if base is None:
            bad(
                "unit",
                _("Đơn vị “%(u)s” không có trong danh mục (%(all)s).")
                % {"u": unit, "all": ", ".join(UNIT_BASE)},
            )
            return None
        if metric in METRIC_BASE and METRIC_BASE[metric] != base[0]:
            bad("unit", _("Đơn vị “%(u)s” không dùng được cho chỉ tiêu “%(m)s”.") % {"u": unit, "m": metric})
        return base[1]

    def _value(self, rec: Record, bad: Callable[[str, str], None]) -> Decimal | None:
        raw = rec.get("value", "")
        if raw in (None, ""):
            bad("value", _("Thiếu giá trị."))
            return None
        try:
            value = self.number(raw)
        except NumberFormatError as exc:
            bad("value", exc.message)
            return None
        if value < 0:
            bad("value", _("Giá trị không được âm."))
        elif abs(value) >= Decimal("1e17"):
            bad("value", _("Giá trị quá lớn."))
        return value

    def _yoy(self, rec: Record, bad: Callable[[str, str], None]) -> Decimal | None:
        if rec.get("yoy_percent") in (None, ""):
            return None
        try:
            yoy = self.number(rec["yoy_percent"])
        except NumberFormatError as exc:
            bad("yoy_percent", exc.message)
            return None
        if abs(yoy) >= 10_000_000:
            bad("yoy_percent", _("Tỷ lệ tăng quá lớn."))
            return None
        return yoy


def parse_file(
    path: Path | str,
    *,
    series,
    gate_codes: set[str],
    name: str = "",
    start: int = 0,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
    every: int = 10_000,
    lang: str | None = None,
    limits: uploads.Limits | None = None,
) -> ParseResult:
    """Check the lines of a file (or `limit` lines from `start`), its numbers written in `lang` (None:
    the active language; MACHINE for a file that code wrote). Every error is counted; the first
    MAX_ERRORS_KEPT are kept with their line and column."""
    result = ParseResult()
    checker = RowChecker(series=series, gate_codes=gate_codes, lang=lang)
    try:
        for line, rec in read_records(path, name, start, limits):
            if limit is not None and result.lines >= limit:
                break
            result.lines += 1
            if rec:
                row = checker.check(line, rec, result)
                if row is not None:
                    result.rows.append(row)
            if progress is not None and result.lines % every == 0:
                progress(result.lines)
    except FileError as exc:
        result.add_error(LineError(1, exc.column, exc.message))
    if progress is not None:
        progress(result.lines)
    return result


def text_file(content: str) -> io.StringIO:
    return io.StringIO(content)
