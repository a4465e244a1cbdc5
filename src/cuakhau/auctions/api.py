"""/api/v1/auctions: auctions in the caller's scope, the live state, bidding and withdrawal for an
enterprise's own registration, and the public results with the published chain head. A refused bid is
422 with the article named; an auction outside the scope is 404."""

from __future__ import annotations

import datetime

from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status

from cuakhau.core.api_types import ReadInt

from . import selectors, services
from .permissions import is_bidder_user, is_reader

router = Router(tags=["auctions"])


class AuctionOut(Schema):
    code: str
    title: str
    asset: str
    status: str
    starting_price: int
    step: int
    deposit: int
    session_start: datetime.datetime
    session_minutes: int
    registration_closes_at: datetime.datetime
    rule_pack: str | None
    best_amount: int | None
    winning_price: int | None
    chain_head: str | None

    @staticmethod
    def resolve_asset(obj):
        return obj.asset.code

    @staticmethod
    def resolve_rule_pack(obj):
        return obj.rule_pack.code if obj.rule_pack_id else None

    @staticmethod
    def resolve_chain_head(obj):
        return obj.chain_head if obj.chain_published_at else None


class LiveOut(Schema):
    status: str
    best_amount: int | None
    best_label: str
    next_minimum: int
    remaining_seconds: int
    server_time: datetime.datetime
    my_label: str | None
    can_bid: bool


class BidIn(Schema):
    amount: ReadInt


class BidOut(Schema):
    seq: int
    kind: str
    label: str
    amount: int
    placed_at: datetime.datetime
    hash: str


def _visible(request):
    if not (is_reader(request.user) or is_bidder_user(request.user)):
        raise Http404


def _live(request, auction) -> dict:
    s = selectors.live_state(user=request.user, auction=auction)
    return {
        "status": auction.status,
        "best_amount": s["best_amount"],
        "best_label": s["best_label"],
        "next_minimum": s["next_minimum"],
        "remaining_seconds": s["remaining"],
        "server_time": s["now"],
        "my_label": s["mine"].label if s["mine"] else None,
        "can_bid": s["can_bid"],
    }


@router.get("/", response=list[AuctionOut], summary="Cuộc đấu giá")
def list_auctions(request, status: str = ""):
    _visible(request)
    return selectors.auction_list(user=request.user, status=status)[:500]


@router.get("/public/results", response=list[AuctionOut], auth=None, summary="Kết quả công khai")
def public_results(request):
    return selectors.public_results()[:500]


@router.get("/{code}", response=AuctionOut, summary="Một cuộc đấu giá")
def get_auction(request, code: str):
    _visible(request)
    return selectors.auction_detail(user=request.user, code=code)


@router.get("/{code}/live", response=LiveOut, summary="Giá cao nhất hiện tại (giờ máy chủ)")
def live(request, code: str):
    _visible(request)
    return _live(request, selectors.auction_detail(user=request.user, code=code))


@router.get("/{code}/bids", response=list[BidOut], summary="Chuỗi lượt trả giá (mã ẩn danh)")
def bids(request, code: str):
    _visible(request)
    auction = selectors.auction_detail(user=request.user, code=code)
    return [
        {
            "seq": r["bid"].seq,
            "kind": r["bid"].kind,
            "label": r["label"],
            "amount": r["bid"].amount,
            "placed_at": r["bid"].placed_at,
            "hash": r["bid"].hash,
        }
        for r in selectors.bids_for(user=request.user, auction=auction)
    ]


@router.post("/{code}/bids", response={201: BidOut}, summary="Trả giá")
def place_bid(request, code: str, payload: BidIn):
    if not is_bidder_user(request.user):
        raise Http404
    auction = selectors.auction_detail(user=request.user, code=code)
    mine = selectors.my_registration(user=request.user, auction=auction)
    if mine is None:
        raise Http404
    bid = services.bid_place(
        actor=request.user, auction_id=auction.pk, registration_id=mine.pk, amount=payload.amount
    )
    return Status(
        201,
        {
            "seq": bid.seq,
            "kind": bid.kind,
            "label": mine.label,
            "amount": bid.amount,
            "placed_at": bid.placed_at,
            "hash": bid.hash,
        },
    )


@router.post("/{code}/withdraw", response=LiveOut, summary="Rút lại giá đã trả")
def withdraw(request, code: str):
    if not is_bidder_user(request.user):
        raise Http404
    auction = selectors.auction_detail(user=request.user, code=code)
    mine = selectors.my_registration(user=request.user, auction=auction)
    if mine is None:
        raise Http404
    services.bid_withdraw(actor=request.user, auction_id=auction.pk, registration_id=mine.pk)
    auction.refresh_from_db()
    return _live(request, auction)
