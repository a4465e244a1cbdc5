"""Revenue by day, month, year, gate, flow or rule, on the page and as Excel."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation

from cuakhau.core.errors import ServiceError
from cuakhau.core.views.forms import flash_errors

from .. import selectors
from .base import XLSX, parse_day


@login_required
def revenue(request):
    today = timezone.localdate()
    date_from = parse_day(request.GET.get("from", ""), today.replace(day=1))
    date_to = parse_day(request.GET.get("to", ""), today)
    group = request.GET.get("group", "day")
    try:
        rows, summary = selectors.revenue(
            user=request.user, date_from=date_from, date_to=date_to, group=group
        )
    except ServiceError as exc:
        flash_errors(request, exc)
        return redirect("fees:revenue")
    if request.GET.get("export") == "xlsx":
        return _revenue_xlsx(rows, summary, date_from, date_to, group)
    return render(
        request,
        "fees/revenue.html",
        {
            "rows": rows,
            "summary": summary,
            "date_from": date_from,
            "date_to": date_to,
            "group": group,
            "groups": GROUPS,
        },
    )


GROUPS = [
    ("day", "Ngày"),
    ("month", "Tháng"),
    ("year", "Năm"),
    ("gate", "Cửa khẩu"),
    ("flow", "Loại hình"),
    ("rule", "Quy tắc biểu phí"),
]


def _revenue_xlsx(rows, summary, date_from, date_to, group) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Doanh thu phí"
    ws.append([f"Số thu phí sử dụng hạ tầng cửa khẩu từ {date_from:%d/%m/%Y} đến {date_to:%d/%m/%Y}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(
        [
            dict(GROUPS)[group],
            "Số biên lai",
            "Số thu (đồng)",
            "Để lại 10% (đồng)",
            "Nộp NSNN 90%, tiểu mục 2267 (đồng)",
            "Cùng kỳ năm trước (đồng)",
            "Tăng trưởng (%)",
        ]
    )
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for r in rows:
        with translation.override("vi"):  # the sheet is Vietnamese whoever downloads it
            key = r["key"].strftime("%d/%m/%Y") if hasattr(r["key"], "strftime") else str(r["label"] or "")
        ws.append([key, r["count"], r["total"], r["kept"], r["budget"], r["previous"], r["growth"]])
    ws.append(
        [
            "Tổng cộng",
            summary["count"],
            summary["total"],
            summary["kept"],
            summary["budget"],
            summary["previous"],
            summary["growth"],
        ]
    )
    for row in ws.iter_rows(min_row=4, min_col=3, max_col=6):
        for cell in row:
            cell.number_format = "#,##0"
    for col, width in zip("ABCDEFG", (28, 12, 18, 18, 26, 22, 14), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="doanh-thu-phi-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx"'
    )
    return response
