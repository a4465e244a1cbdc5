"""Excel exports of the statistics tables: exact figures (USD, not rounded millions) in number cells,
so a sheet adds up to what the page shows before rounding."""

from __future__ import annotations

import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from .selectors import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_sheet(table: Table, *, title: str, caption: str) -> tuple[str, str, list[str], list[list]]:
    header = [
        _("Mục"),
        _("Mã"),
        _("Xuất khẩu (USD)"),
        _("Nhập khẩu (USD)"),
        _("Tổng (USD)"),
        _("Tỷ trọng (%)"),
        _("Cùng kỳ năm trước (USD)"),
        _("Tăng so với cùng kỳ (%)"),
    ]
    rows = [
        [r.label, r.key, r.export, r.import_, r.total, r.share, r.previous_total, r.growth]
        for r in table.rows
    ]
    rows.append(
        [
            _("Tổng cộng"),
            "",
            table.export,
            table.import_,
            table.total,
            Decimal(100) if table.rows else None,
            None,
            None,
        ]
    )
    return title, caption, header, rows


def workbook(sheets) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, caption, header, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        ws.append([caption])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append(header)
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="EEF2F7")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in rows:
            ws.append(
                [
                    float(v)
                    if isinstance(v, Decimal) and v != v.to_integral_value()
                    else (int(v) if isinstance(v, Decimal) else v)
                    for v in row
                ]
            )
        for row in ws.iter_rows(min_row=3):
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    cell.number_format = "#,##0.0" if isinstance(cell.value, float) else "#,##0"
        ws.column_dimensions["A"].width = 40
        for letter in "BCDEFGH":
            ws.column_dimensions[letter].width = 18
        ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def response(filename: str, sheets) -> HttpResponse:
    resp = HttpResponse(workbook(sheets), content_type=XLSX)
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp
