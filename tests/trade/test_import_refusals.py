"""A file that is not a CSV in UTF-8 or an Excel workbook, posted to the API's import, is refused
with a 422 naming the file and the rule, and nothing is imported (it was a 500)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cuakhau.core.roles import Role
from cuakhau.trade.models import Series, StatRow
from tests.factories import UserFactory, image_bytes

pytestmark = pytest.mark.django_db

NOT_UTF8 = b"period,gate,direction,value,unit\n2030-01,HUUNGHI,import,5,thousand_usd\n" + b"\xdc\xff\n"


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("anh.png", None, "UTF-8"),
        ("so-lieu.csv", None, "UTF-8"),
        ("so-lieu.csv", b"\xff\xfe\x00\x00garbage\x80\x81", "UTF-8"),
        ("so-lieu.csv", "period;gate;value;unit\n2030-01;HỮU NGHỊ;5;usd\n".encode("utf-16"), "UTF-8"),
        ("so-lieu.csv", NOT_UTF8, "UTF-8"),
        ("so-lieu.xlsx", None, "Excel"),
    ],
)
def test_a_picture_or_a_file_not_in_utf8_is_refused_by_name(client, trade_data, name, data, says):
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True))
    series = Series.objects.first()
    before = StatRow.objects.count()
    upload = SimpleUploadedFile(name, image_bytes() if data is None else data)
    response = client.post(f"/api/v1/trade/series/{series.code}/import", {"file": upload})
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] and says in body["errors"][0]["message"]
    assert StatRow.objects.count() == before
