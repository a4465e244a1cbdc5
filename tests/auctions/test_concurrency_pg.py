"""Bids under real concurrency (PostgreSQL only: SQLite serialises every writer anyway).
bench/auction_bids.py runs the 200-bidder last minute; this is its quick form."""

import datetime
import threading

import pytest
from django.db import connection, connections

from cuakhau.auctions import chain, clock, services
from cuakhau.auctions.models import Auction, BidKind
from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from tests.factories import EnterpriseFactory, auction_draft, auction_drive

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_concurrent_bidders_strictly_ascending_none_lost_none_after_close(staff):
    with acting_as(staff, channel="web"):
        firms = [EnterpriseFactory() for _ in range(8)]
        auction, regs = auction_drive(auction_draft(), until="live", bidders=firms)
    clock.shift(auction.ends_at - clock.now() - datetime.timedelta(seconds=4))
    accepted, errors = [], []
    lock = threading.Lock()

    def work(reg):
        mine = []
        try:
            while clock.now() < auction.ends_at + datetime.timedelta(seconds=1):
                best = Auction.objects.filter(pk=auction.pk).values_list("best_amount", flat=True).get()
                try:
                    bid = services.bid_place(
                        actor=staff,
                        auction_id=auction.pk,
                        registration_id=reg.pk,
                        amount=(best or 99_000_000) + 1_000_000,
                    )
                except ServiceError:
                    continue
                mine.append(bid.seq)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()
            with lock:
                accepted.extend(mine)

    threads = [threading.Thread(target=work, args=(r,)) for r in regs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    auction.refresh_from_db()
    bids = list(auction.bids.filter(kind=BidKind.BID).order_by("seq"))
    assert len(bids) > 8 and sorted(accepted) == [b.seq for b in bids]
    assert all(b2.amount >= b1.amount + auction.step for b1, b2 in zip(bids, bids[1:], strict=False))
    assert all(b.placed_at < auction.ends_at for b in bids)
    assert chain.verify(auction).ok
