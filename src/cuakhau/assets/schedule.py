"""The rent schedule of a lease, fixed when it is signed: instalments of `interval_months`, paid in
advance, each due on the 15th day of its period, with the rent raised by `escalation_percent` at every
lease anniversary (compounded, rounded to the đồng). Plain calculations: no reads, no writes."""

from __future__ import annotations

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

DUE_DAY_OF_PERIOD = 15


def add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rent_for_year(monthly_rent: int, escalation_percent: Decimal, year_index: int) -> int:
    factor = (Decimal(1) + Decimal(escalation_percent) / 100) ** year_index
    return int((Decimal(monthly_rent) * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def schedule(lease) -> list[dict]:
    """The instalments of a lease: periods of interval_months from the start; the last period is cut
    at the end date and charged by its days (a month counted as 30 days)."""
    rows = []
    start, seq = lease.starts_on, 1
    while start <= lease.ends_on:
        end = min(add_months(start, lease.interval_months) - datetime.timedelta(days=1), lease.ends_on)
        amount = 0
        month_start = start
        while month_start <= end:
            year_index = 0
            while add_months(lease.starts_on, 12 * (year_index + 1)) <= month_start:
                year_index += 1
            rent = rent_for_year(lease.monthly_rent, lease.escalation_percent, year_index)
            month_end = add_months(month_start, 1) - datetime.timedelta(days=1)
            if month_end <= end:
                amount += rent
            else:
                days = (end - month_start).days + 1
                amount += int((Decimal(rent) * days / 30).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            month_start = add_months(month_start, 1)
        due = min(start + datetime.timedelta(days=DUE_DAY_OF_PERIOD - 1), end)
        rows.append({"seq": seq, "period_start": start, "period_end": end, "due_on": due, "amount": amount})
        start, seq = end + datetime.timedelta(days=1), seq + 1
    return rows
