"""core.throttle: the per-address attempt limit of the public endpoints, held in the database."""

import datetime

import pytest
from django.test import RequestFactory

from cuakhau.core import throttle
from cuakhau.core.models import AttemptThrottle

pytestmark = pytest.mark.django_db


def test_ipv6_addresses_share_their_64_network():
    assert throttle.client_key("2001:db8:1:2::1") == throttle.client_key("2001:db8:1:2:ffff::9")
    assert throttle.client_key("2001:db8:1:2::1") != throttle.client_key("2001:db8:1:3::1")


def test_the_limit_holds_across_requests_as_stored_in_the_database():
    window = datetime.timedelta(hours=1)
    assert throttle.hit("t", "192.0.2.1", limit=2, window=window) is None
    assert throttle.hit("t", "192.0.2.1", limit=2, window=window) is None
    assert throttle.hit("t", "192.0.2.1", limit=2, window=window) > 0
    row = AttemptThrottle.objects.get(scope="t")
    assert "192.0.2.1" not in row.client_key
    row.hits = [(datetime.datetime.fromisoformat(h) - window).isoformat() for h in row.hits]
    row.save()
    assert throttle.hit("t", "192.0.2.1", limit=2, window=window) is None


def test_endpoints_count_apart_and_a_refusal_says_when_to_retry(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.8")
    throttle.refuse_if_limited(request, "a", limit=1)
    throttle.refuse_if_limited(request, "b", limit=1)
    # The client rotating what it writes in X-Forwarded-For is still the same address.
    again = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2.2.2.2, 203.0.113.8")
    with pytest.raises(throttle.Throttled) as refused:
        throttle.refuse_if_limited(again, "a", limit=1)
    assert refused.value.status == 429 and 3590 <= refused.value.retry_after <= 3601
    assert "quá nhiều lần" in refused.value.messages[0]


def test_old_rows_are_purged():
    throttle.hit("t", "192.0.2.1", limit=5)
    AttemptThrottle.objects.update(updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert throttle.purge() == 1 and not AttemptThrottle.objects.exists()
