"""What the fees pages share: a day read from the query, a page of a list, the Excel content type.
Who may do what is asked of the app's policy (fees.permissions), never here."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def parse_day(text: str, default: datetime.date) -> datetime.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime((text or "").strip(), fmt).date()
        except ValueError:
            continue
    return default


def page(request, rows, per=50):
    return Paginator(rows, per).get_page(request.GET.get("page"))
