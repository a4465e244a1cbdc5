"""The auctions card: auctions under way and deposits to refund, in the user's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from cuakhau.core.dashboard import Card

from .models import TERMINAL, Auction, Status
from .permissions import is_bidder_user, is_reader


def dashboard_cards(user) -> list[Card]:
    if not (is_reader(user) or is_bidder_user(user)):
        return []
    auctions = Auction.objects.for_user(user)
    return [
        Card(
            title=_("Đấu giá quyền thuê"),
            value=auctions.exclude(status__in=list(TERMINAL)).count(),
            url=reverse("auctions:index"),
            rows=[
                (_("Đang nhận đăng ký"), auctions.filter(status=Status.REGISTRATION_OPEN).count()),
                (_("Đang trả giá"), auctions.filter(status=Status.LIVE).count()),
            ],
        )
    ]
