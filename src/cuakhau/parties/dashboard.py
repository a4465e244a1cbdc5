"""The parties card on the dashboard: counts within the user's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from cuakhau.core.dashboard import Card

from . import permissions
from .models import Country, Driver, Enterprise, Vehicle


def dashboard_cards(user) -> list[Card]:
    if not permissions.may_browse(user):  # a driver sees their own record, not the register
        return []
    vehicles = Vehicle.objects.for_user(user).filter(is_active=True)
    enterprises = Enterprise.objects.for_user(user).filter(is_active=True)
    drivers = Driver.objects.for_user(user).filter(is_active=True)
    return [
        Card(
            title=_("Phương tiện đã đăng ký"),
            value=vehicles.count(),
            url=reverse("parties:vehicle_list"),
            rows=[
                (_("Biển Việt Nam"), vehicles.filter(country=Country.VN).count()),
                (_("Biển Quảng Tây (Trung Quốc)"), vehicles.filter(country=Country.CN).count()),
                (_("Trong đó rơ moóc, sơ mi rơ moóc"), vehicles.filter(is_trailer=True).count()),
                (_("Doanh nghiệp"), enterprises.count()),
                (_("Đại lý hải quan"), enterprises.filter(is_customs_agent=True).count()),
                (_("Lái xe"), drivers.count()),
            ],
        )
    ]
