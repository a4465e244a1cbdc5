"""The assets card on the dashboard: leases, overdue rent and expiring leases in the user's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from cuakhau.core.dashboard import Card

from . import selectors
from .models import Lease, LeaseStatus
from .permissions import may_oversee


def dashboard_cards(user) -> list[Card]:
    if not may_oversee(user):
        return []
    totals = selectors.rent_totals(user=user)
    return [
        Card(
            title=_("Hợp đồng thuê tài sản"),
            value=Lease.objects.for_user(user).filter(status=LeaseStatus.ACTIVE).count(),
            url=reverse("assets:leases"),
            rows=[
                (_("Kỳ tiền thuê quá hạn"), totals["overdue_count"]),
                (_("Sắp hết hạn (6 tháng)"), selectors.leases_expiring(user=user).count()),
            ],
        )
    ]
