"""Amounts typed in the auction pages (issue 12): a bid in the live room is read in the page's language
("100.000.000" in Vietnamese, "100,000,000" in English), and what reads two ways is refused, never
guessed, before it reaches the rules."""

import pytest
from django.conf import settings

from cuakhau.auctions.models import Bid
from tests.auctions.test_pages_api import live  # noqa: F401  (the fixture)
from tests.factories import enterprise_user

pytestmark = pytest.mark.django_db


def test_a_bid_is_read_in_the_pages_language(client, live, firms):  # noqa: F811
    auction, (a, _b) = live
    client.force_login(enterprise_user(firms[0]))
    url = f"/auctions/{auction.code}/bid/"
    refused = client.post(url, {"amount": "100,000"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Giá trả" in text and "100.000" in text and "100,0" in text
    assert client.post(url, {"amount": "100.000.000,5"}).status_code == 400  # whole đồng only
    assert not Bid.objects.filter(auction=auction).exists()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.post(url, {"amount": "100,000,000"}).status_code == 200
    assert list(Bid.objects.filter(auction=auction).values_list("amount", flat=True)) == [100_000_000]
