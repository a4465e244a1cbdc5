"""Security finding M3 for trade series imports: the API's import and the web import read a file
within core.uploads' limits (TRADE_IMPORT_MAX_BYTES, TRADE_IMPORT_MAX_ROWS, the uncompressed size and
ratio, columns) and refuse a file claiming 2,000,000 empty rows in well under a second, with a 4xx
naming the limit; nothing is imported and no batch is opened."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cuakhau.core.roles import Role
from cuakhau.trade.models import ImportBatch, Series, StatRow
from tests.factories import UserFactory
from tests.xlsx_bombs import empty_rows_xlsx

pytestmark = pytest.mark.django_db

HEADER = ("period", "gate", "direction", "value", "unit")


def _api(client, series, name, data):
    started = time.perf_counter()
    response = client.post(
        f"/api/v1/trade/series/{series.code}/import", {"file": SimpleUploadedFile(name, data)}
    )
    return response, time.perf_counter() - started


@pytest.mark.parametrize(
    ("data", "limit"),
    [
        (lambda: empty_rows_xlsx(2_000_000, numbered=False, header=HEADER), "UPLOAD_MAX_ZIP_RATIO"),
        (lambda: empty_rows_xlsx(2_000_000, header=HEADER), "UPLOAD_MAX_ROWS"),
    ],
)
def test_the_api_refuses_two_million_empty_rows_at_once(client, trade_data, data, limit, settings):
    settings.TRADE_IMPORT_MAX_ROWS = 100_000
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True))
    series = Series.objects.first()
    before = StatRow.objects.count()
    client.get("/api/v1/trade/series")  # warm up: the first request is not timed
    response, took = _api(client, series, "so-lieu.xlsx", data())
    assert 400 <= response.status_code < 500 and limit in str(response.json())
    assert took < 1.0
    assert StatRow.objects.count() == before


def test_csv_rows_and_file_size_have_limits(client, trade_data, settings):
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True))
    series = Series.objects.first()
    lines = "period,gate,direction,value,unit\n" + "2030-01,HUUNGHI,import,5,thousand_usd\n" * 30
    settings.TRADE_IMPORT_MAX_ROWS = 20
    response, _took = _api(client, series, "so-lieu.csv", lines.encode())
    assert response.status_code == 422 and "UPLOAD_MAX_ROWS" in str(response.json())
    settings.TRADE_IMPORT_MAX_BYTES = 100
    response, _took = _api(client, series, "so-lieu.csv", lines.encode())
    assert response.status_code == 413 and "UPLOAD_MAX_BYTES" in str(response.json())


def test_the_web_import_refuses_the_file_before_opening_a_batch(client, trade_data, settings):
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True))
    series = Series.objects.first()
    upload = SimpleUploadedFile("so-lieu.xlsx", empty_rows_xlsx(2_000_000, header=HEADER))
    response = client.post("/trade/imports/", {"series": series.pk, "file": upload})
    assert response.status_code == 400 and "UPLOAD_MAX_ROWS" in response.content.decode()
    assert not ImportBatch.objects.exists()
