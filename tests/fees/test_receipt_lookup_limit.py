"""The public receipt verification is limited per address (core.throttle), so that check codes cannot be
tried in bulk; the client's own X-Forwarded-For entries do not make a new address."""

import pytest

pytestmark = pytest.mark.django_db


def test_receipt_verification_attempts_are_limited_per_address(client, settings):
    settings.PUBLIC_LOOKUPS_PER_HOUR = 3
    settings.TRUSTED_PROXY_COUNT = 1
    query = {"symbol": "CK-26E", "number": "1"}
    for i in range(3):
        guess = client.get(
            "/fees/lookup/", query | {"code": f"GUESS{i}"}, HTTP_X_FORWARDED_FOR=f"10.2.2.{i}, 198.51.100.4"
        )
        assert guess.status_code == 404
    refused = client.get(
        "/fees/lookup/", query | {"code": "GUESS9"}, HTTP_X_FORWARDED_FOR="10.2.2.9, 198.51.100.4"
    )
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "quá nhiều lần" in refused.content.decode()
    # The empty form is not an attempt; another address is not affected.
    assert client.get("/fees/lookup/", HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 200
    other = client.get("/fees/lookup/", query | {"code": "X"}, HTTP_X_FORWARDED_FOR="198.51.100.5")
    assert other.status_code == 404
