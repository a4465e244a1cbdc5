"""What the collection pages share: a day read from the query, who is a cashier or
may reconcile payments, a page of a list, the Excel content type."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator

from cuakhau.core.roles import Role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def parse_day(text: str, default: datetime.date) -> datetime.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime((text or "").strip(), fmt).date()
        except ValueError:
            continue
    return default


def is_cashier(user) -> bool:
    return getattr(user, "role", "") == Role.GATE_CASHIER


def page(request, rows, per=50):
    return Paginator(rows, per).get_page(request.GET.get("page"))


def may_reconcile(user) -> bool:
    return user.is_superuser or user.role in (Role.DEPARTMENT_STAFF, Role.GATE_CASHIER, Role.ADMIN)
