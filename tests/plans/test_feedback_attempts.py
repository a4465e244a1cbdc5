"""Attempts at the public feedback link, valid or forged, are limited per address (core.throttle), on
the page and the API, and the client's own X-Forwarded-For entries do not make a new address."""

import pytest

from cuakhau.core.feedback import feedback_link
from cuakhau.plans.models import Feedback

pytestmark = pytest.mark.django_db


def test_forged_links_are_limited_per_address(world, client, settings):
    settings.PUBLIC_LOOKUPS_PER_HOUR = 3
    settings.TRUSTED_PROXY_COUNT = 1
    token = feedback_link("receipt", "BL-0001", world.huu_nghi).split("/")[-2]
    for i in range(3):
        forged = client.post(
            f"/api/v1/plans/feedback/{token[:-3]}AA{i}",
            {"rating": 5},
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=f"10.1.1.{i}, 203.0.113.70",
        )
        assert forged.status_code == 404
    refused = client.post(
        f"/api/v1/plans/feedback/{token}",
        {"rating": 5},
        content_type="application/json",
        HTTP_X_FORWARDED_FOR="10.1.1.9, 203.0.113.70",
    )
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    page = client.post(
        f"/plans/feedback/r/{token}/", {"rating": "5"}, HTTP_X_FORWARDED_FOR="10.1.1.8, 203.0.113.70"
    )
    assert page.status_code == 429 and "quá nhiều lần" in page.content.decode()
    assert not Feedback.objects.exists()
    other = client.post(f"/plans/feedback/r/{token}/", {"rating": "5"}, HTTP_X_FORWARDED_FOR="203.0.113.71")
    assert other.status_code == 200 and Feedback.objects.count() == 1
