"""The traffic cards on the dashboard: real counts within the user's scope."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from cuakhau.core.dashboard import Card

from . import permissions
from .models import AgencyCheck, Declaration, Status


def dashboard_cards(user) -> list[Card]:
    if not permissions.may_see_traffic_cards(user):
        return []
    declarations = Declaration.objects.for_user(user)
    if permissions.may_see_only_own_trip(user):
        trip = declarations.exclude(status__in=(Status.DRAFT, Status.CANCELLED, Status.COMPLETED)).first()
        if trip is None:
            return []
        return [
            Card(
                title=_("Chuyến của tôi"),
                value=trip.get_status_display(),
                url=reverse("traffic:my_trips"),
                rows=[(_("Biển số"), trip.vehicle.plate), (_("Cửa khẩu"), trip.gate.name)],
            )
        ]
    counts = dict(
        declarations.filter(status__in=(Status.SUBMITTED, Status.APPROVED, Status.CALLED, Status.IN_YARD))
        .values_list("status")
        .order_by()
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    rows = [
        (Status(s).label, counts.get(s, 0))
        for s in (Status.SUBMITTED, Status.APPROVED, Status.CALLED, Status.IN_YARD)
    ]
    cards = [
        Card(
            title=_("Tờ khai đang hoạt động"),
            value=sum(counts.values()),
            url=reverse("traffic:declaration_list"),
            rows=rows,
        )
    ]
    if permissions.may_record_checks(user):
        pending = (
            AgencyCheck.objects.for_user(user, "record")
            .filter(
                status="pending", declaration__status__in=(Status.APPROVED, Status.CALLED, Status.IN_YARD)
            )
            .count()
        )
        cards.append(Card(title=_("Việc kiểm tra chờ"), value=pending, url=reverse("traffic:checks")))
    if permissions.may_see_yard_card(user):
        from .models import GateException
        from .selectors import yards

        views = yards(user=user)
        cards.append(
            Card(
                title=_("Bãi xe"),
                value=sum(v.occupancy for v in views),
                url=reverse("traffic:yards"),
                hint=_("xe đang trong bãi"),
                rows=[
                    (_("Quá hạn lưu bãi"), sum(v.overstays for v in views)),
                    (
                        _("Ngoại lệ chờ xử lý"),
                        GateException.objects.for_user(user).filter(status="open").count(),
                    ),
                ],
            )
        )
    return cards
