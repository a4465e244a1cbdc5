"""Public notices and results: no sign-in."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from .. import selectors


def public_notices(request):
    return render(request, "auctions/public_notices.html", {"auctions": selectors.public_notices()})


def public_results(request):
    return render(request, "auctions/public_results.html", {"auctions": selectors.public_results()})


def public_detail(request, code):
    auction = selectors.public_auction(code)
    if auction is None:
        raise Http404
    return render(
        request,
        "auctions/public_detail.html",
        {
            "auction": auction,
            "published": auction.chain_published_at is not None,
            "bids": auction.bids.select_related("registration").order_by("seq")
            if auction.chain_published_at
            else [],
            "detail_url": reverse("auctions:detail", args=[auction.code]),
        },
    )
