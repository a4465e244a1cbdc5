"""Reads of the asset register and the leases, each starting from the user's scope."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone

from cuakhau.core.permissions import VIEW, get_for_user_or_404

from .models import PLAN_HEIGHT, PLAN_WIDTH, Asset, AssetKind, Lease, LeaseStatus, RentInstalment

EXPIRY_WARNING_DAYS = 180


def asset_list(*, user, gate=None, kind: str = "", q: str = ""):
    assets = Asset.objects.for_user(user).select_related("gate", "parent")
    if gate is not None:
        assets = assets.filter(gate=gate)
    if kind:
        assets = assets.filter(kind=kind)
    if q:
        assets = assets.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(parcel_number__icontains=q))
    return assets


def asset_detail(*, user, code: str, action: str = VIEW) -> Asset:
    return get_for_user_or_404(Asset.objects.select_related("gate", "parent"), user, action, code=code)


def current_leases_by_asset(asset_ids, day=None) -> dict[int, Lease]:
    day = day or timezone.localdate()
    leases = Lease.objects.current(day).filter(asset_id__in=list(asset_ids)).select_related("lessee")
    return {lease.asset_id: lease for lease in leases}


def gate_plan(*, user, gate) -> dict:
    """The gate's assets as rectangles on the 100 x 60 plan, with who leases each and until when."""
    assets = list(asset_list(user=user, gate=gate).exclude(kind=AssetKind.SPACE))
    leases = current_leases_by_asset([a.pk for a in assets])
    spaces = Asset.objects.for_user(user).filter(parent__in=[a.pk for a in assets])
    leased_spaces = current_leases_by_asset(spaces.values_list("pk", flat=True))
    items = []
    for a in assets:
        lease = leases.get(a.pk)
        mine = [s for s in spaces if s.parent_id == a.pk]
        items.append(
            {
                "asset": a,
                "lease": lease,
                "spaces": len(mine),
                "spaces_leased": sum(1 for s in mine if s.pk in leased_spaces),
                "state": "leased"
                if lease
                else ("partly" if any(s.pk in leased_spaces for s in mine) else "free"),
            }
        )
    return {"width": PLAN_WIDTH, "height": PLAN_HEIGHT, "items": items}


def building_floors(*, user, building: Asset) -> list[tuple[int, list[tuple[Asset, Lease | None]]]]:
    spaces = list(Asset.objects.for_user(user).filter(parent=building).order_by("floor", "code"))
    leases = current_leases_by_asset([s.pk for s in spaces])
    floors: dict[int, list] = {}
    for s in spaces:
        floors.setdefault(s.floor or 0, []).append((s, leases.get(s.pk)))
    return sorted(floors.items(), key=lambda item: -item[0])


def lease_list(*, user, status: str = "", q: str = ""):
    leases = Lease.objects.for_user(user).select_related("asset", "asset__gate", "lessee")
    if status:
        leases = leases.filter(status=status)
    if q:
        leases = leases.filter(
            Q(number__icontains=q) | Q(lessee__name__icontains=q) | Q(asset__name__icontains=q)
        )
    return leases.annotate(due_total=Sum("instalments__amount"), paid_total=Sum("instalments__paid_amount"))


def lease_detail(*, user, pk: int, action: str = VIEW) -> Lease:
    return get_for_user_or_404(
        Lease.objects.select_related("asset", "asset__gate", "lessee").prefetch_related(
            Prefetch("instalments", queryset=RentInstalment.objects.order_by("seq"))
        ),
        user,
        action,
        pk=pk,
    )


def overdue_instalments(*, user, day: datetime.date | None = None):
    return (
        RentInstalment.objects.for_user(user)
        .overdue(day)
        .select_related("lease", "lease__lessee", "lease__asset")
        .order_by("due_on")
    )


def due_soon(*, user, day: datetime.date | None = None, days: int = 30):
    day = day or timezone.localdate()
    return (
        RentInstalment.objects.for_user(user)
        .filter(
            lease__status=LeaseStatus.ACTIVE, due_on__gte=day, due_on__lte=day + datetime.timedelta(days=days)
        )
        .exclude(paid_on__isnull=False)
        .select_related("lease", "lease__lessee", "lease__asset")
        .order_by("due_on")
    )


def leases_expiring(*, user, day: datetime.date | None = None, within_days: int = EXPIRY_WARNING_DAYS):
    """Active leases that end within `within_days`: time to auction the lease right again."""
    day = day or timezone.localdate()
    return (
        Lease.objects.for_user(user)
        .filter(
            status=LeaseStatus.ACTIVE,
            ends_on__gte=day,
            ends_on__lte=day + datetime.timedelta(days=within_days),
        )
        .select_related("asset", "lessee")
        .order_by("ends_on")
    )


def rent_totals(*, user, day: datetime.date | None = None) -> dict:
    day = day or timezone.localdate()
    rows = RentInstalment.objects.for_user(user).filter(lease__status=LeaseStatus.ACTIVE, due_on__lte=day)
    agg = rows.aggregate(due=Sum("amount"), paid=Sum("paid_amount"))
    overdue = RentInstalment.objects.for_user(user).overdue(day)
    return {
        "due": agg["due"] or 0,
        "paid": agg["paid"] or 0,
        "overdue_count": overdue.count(),
        "overdue_amount": sum(i.balance for i in overdue),
    }
