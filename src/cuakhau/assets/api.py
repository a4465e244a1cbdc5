"""/api/v1/assets: the register, the leases and overdue rent, scoped to the caller (404 outside)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Router, Schema

from . import selectors

router = Router(tags=["assets"])


def _visible(request):
    from django.http import Http404

    from .permissions import may_read

    if not may_read(request.user):
        raise Http404


class AssetOut(Schema):
    code: str
    kind: str
    name: str
    gate: str
    parent: str | None
    floor: int | None
    area_m2: Decimal
    parcel_number: str
    map_sheet: str
    planned_use: str
    latitude: Decimal | None
    longitude: Decimal | None

    @staticmethod
    def resolve_gate(obj):
        return obj.gate.code

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.code if obj.parent_id else None


class LeaseOut(Schema):
    id: int
    number: str
    asset: str
    lessee: str
    starts_on: datetime.date
    ends_on: datetime.date
    rent_basis: str
    rent_rate: int
    monthly_rent: int
    deposit_amount: int
    status: str

    @staticmethod
    def resolve_asset(obj):
        return obj.asset.code

    @staticmethod
    def resolve_lessee(obj):
        return obj.lessee.tax_code


class InstalmentOut(Schema):
    lease: str
    seq: int
    due_on: datetime.date
    amount: int
    paid_amount: int

    @staticmethod
    def resolve_lease(obj):
        return obj.lease.number


@router.get("/", response=list[AssetOut], summary="Tài sản")
def list_assets(request, gate: str = "", kind: str = ""):
    _visible(request)
    from cuakhau.gates.models import Gate

    gate_obj = Gate.objects.filter(code=gate).first() if gate else None
    return selectors.asset_list(user=request.user, gate=gate_obj, kind=kind)[:1000]


@router.get("/leases", response=list[LeaseOut], summary="Hợp đồng thuê")
def list_leases(request, status: str = ""):
    _visible(request)
    return selectors.lease_list(user=request.user, status=status)[:1000]


@router.get("/leases/overdue", response=list[InstalmentOut], summary="Kỳ tiền thuê quá hạn")
def overdue(request):
    _visible(request)
    return selectors.overdue_instalments(user=request.user)[:1000]


@router.get("/leases/expiring", response=list[LeaseOut], summary="Hợp đồng sắp hết hạn")
def expiring(request, days: int = selectors.EXPIRY_WARNING_DAYS):
    _visible(request)
    return selectors.leases_expiring(user=request.user, within_days=max(1, min(days, 3650)))


@router.get("/{code}", response=AssetOut, summary="Một tài sản")
def get_asset(request, code: str):
    _visible(request)
    return selectors.asset_detail(user=request.user, code=code)
