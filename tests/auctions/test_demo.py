"""The demo loader: the Hữu Nghị building with floors and spaces, plots at Hữu Nghị and Tân Thanh, two
current leases (one overdue), an auction open for registration and one finished with its record."""

import pytest

from cuakhau.core.context import acting_as

pytestmark = pytest.mark.django_db


def _load():
    from cuakhau.auctions.demo import load_demo
    from cuakhau.auctions.rules import load_rule_packs
    from cuakhau.parties.demo import load_demo as parties_demo

    with acting_as(None, channel="cli"):
        load_rule_packs()
        parties_demo()
        return load_demo()


def test_demo_is_complete_and_idempotent(demo_data):
    from cuakhau.assets.models import Asset, AssetKind, Lease, RentInstalment
    from cuakhau.auctions import chain
    from cuakhau.auctions.models import Auction, DepositKind, Status

    first = _load()
    assert _load() == first
    building = Asset.objects.get(code="HN-NDV")
    assert building.spaces.count() == 7
    assert set(building.spaces.values_list("floor", flat=True)) == {1, 2, 3}
    assert Asset.objects.filter(kind=AssetKind.LAND_PLOT, gate__code="TANTHANH").count() == 2
    assert Lease.objects.current().count() >= 2
    assert RentInstalment.objects.overdue().filter(lease__number="HĐ-07/2025/TT-LD-01").exists()
    assert not RentInstalment.objects.overdue().filter(lease__number="HĐ-01/2025/HN-NDV-101").exists()
    open_ = Auction.objects.get(code="DG-HN-LD-02")
    assert open_.status == Status.REGISTRATION_OPEN
    done = Auction.objects.get(code="DG-TT-LD-02")
    assert done.status == Status.CONTRACTED
    assert done.chain_published_at is not None
    verdict = chain.verify(done)
    assert verdict.ok and verdict.head == done.chain_head and verdict.count == 7
    assert done.winning_price == 45_000_000 and done.lease.rent_rate == 45_000_000
    kinds = sorted(done.registrations.values_list("deposit_entries__kind", flat=True))
    assert kinds.count(DepositKind.FORFEITED) == 1 and kinds.count(DepositKind.CONVERTED) == 1
    assert kinds.count(DepositKind.REFUNDED) == 1
