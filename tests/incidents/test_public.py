"""The public form (no sign-in): real images only, size limit, EXIF stripped, honeypot, flood limit
(429), and a tracking code that shows the status without internal notes."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cuakhau.core.models import AttemptThrottle
from cuakhau.incidents import services
from cuakhau.incidents.models import Incident, IncidentPhoto
from tests.factories import image_bytes, photo_upload

pytestmark = pytest.mark.django_db

URL = "/incidents/report/"


def _data(gate, **extra):
    return {
        "gate": gate.pk,
        "kind": "congestion",
        "description": "Xe tải xếp hàng dài trước cổng bãi, chắn cả hai làn",
        "reporter_name": "Nguyễn Văn A",
        "reporter_phone": "0912 345 678",
        "website": "",
    } | extra


def test_form_renders_for_anonymous_users_in_vietnamese(client, reference_data):
    response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Phản ánh vụ việc tại khu vực cửa khẩu" in text
    assert 'name="photo"' in text and 'accept="image/jpeg,image/png,image/webp"' in text
    assert "Cửa khẩu quốc tế Hữu Nghị" in text


@pytest.mark.parametrize("fmt,name", [("JPEG", "a.jpg"), ("PNG", "a.png"), ("WEBP", "a.webp")])
def test_a_valid_photo_is_accepted_and_the_code_shown(client, huunghi, fmt, name):
    response = client.post(URL, _data(huunghi, photo=photo_upload(fmt, name)), follow=True)
    assert response.status_code == 200
    incident = Incident.objects.get()
    assert incident.source == "public" and incident.reported_by is None
    assert incident.tracking_code in response.content.decode()
    photo = incident.photos.get()
    assert photo.content_type == f"image/{fmt.lower()}"
    with photo.file.open("rb") as fh:
        assert Image.open(fh).format == fmt
    # The code is shown once: a reload of the "received" page does not show it again.
    assert incident.tracking_code not in client.get("/incidents/report/received/").content.decode()


def test_exif_and_gps_are_stripped_from_the_stored_photo(client, huunghi):
    raw = image_bytes("JPEG", exif_gps=True)
    assert Image.open(io.BytesIO(raw)).getexif().get(0x8825)  # the upload carries a GPS block
    upload = SimpleUploadedFile("gps.jpg", raw, content_type="image/jpeg")
    client.post(URL, _data(huunghi, photo=upload))
    photo = IncidentPhoto.objects.get()
    with photo.file.open("rb") as fh:
        stored = fh.read()
    image = Image.open(io.BytesIO(stored))
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    assert b"Exif" not in stored and b"TestCam" not in stored


def test_a_file_that_is_not_an_image_is_refused_naming_the_field(client, huunghi):
    fake = SimpleUploadedFile("anh.jpg", b"%PDF-1.4 not a photo" * 20, content_type="image/jpeg")
    response = client.post(URL, _data(huunghi, photo=fake))
    assert response.status_code == 400
    assert "Ảnh: tệp không phải ảnh JPEG, PNG hoặc WebP." in response.content.decode()
    assert not Incident.objects.exists()


def test_an_image_of_another_format_is_refused(client, huunghi):
    gif = SimpleUploadedFile("a.gif", image_bytes("GIF"), content_type="image/gif")
    response = client.post(URL, _data(huunghi, photo=gif))
    assert response.status_code == 400
    assert "không phải ảnh JPEG, PNG hoặc WebP" in response.content.decode()
    assert not Incident.objects.exists()


def test_an_oversized_file_is_refused_naming_the_field(client, huunghi, settings):
    settings.INCIDENT_PHOTO_MAX_BYTES = 200_000
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * 300_000, content_type="image/jpeg")
    response = client.post(URL, _data(huunghi, photo=big))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Ảnh chụp: tệp quá lớn; tối đa 0,2 MB." in text
    # The other fields are kept for the person to send again.
    assert "Xe tải xếp hàng dài" in text
    assert not Incident.objects.exists() and not IncidentPhoto.objects.exists()


def test_the_service_refuses_oversized_photos_too(huunghi, settings):
    from cuakhau.core.errors import ServiceError

    settings.INCIDENT_PHOTO_MAX_BYTES = 1000
    with pytest.raises(ServiceError) as exc:
        services.incident_report_public(
            actor=None,
            gate=huunghi,
            kind="other",
            description="Một nội dung đủ dài",
            photo=photo_upload(size=(600, 600)),
        )
    assert exc.value.field == "photo" and "quá lớn" in exc.value.messages[0]


def test_missing_fields_are_named(client, huunghi):
    response = client.post(URL, {"gate": "", "kind": "", "description": "ngắn"})
    assert response.status_code == 400
    text = response.content.decode()
    assert text.count('class="error"') >= 2
    assert not Incident.objects.exists()


def test_honeypot_stores_nothing(client, huunghi):
    response = client.post(URL, _data(huunghi, website="http://spam.example"), follow=True)
    assert response.status_code == 200
    assert not Incident.objects.exists()


def test_a_flood_from_one_address_is_refused_with_429(client, huunghi, settings):
    settings.INCIDENT_PUBLIC_REPORTS_PER_HOUR = 3
    for _ in range(3):
        assert client.post(URL, _data(huunghi), REMOTE_ADDR="203.0.113.7").status_code == 302
    refused = client.post(URL, _data(huunghi), REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "quá nhiều lần trong một giờ" in refused.content.decode()
    assert Incident.objects.count() == 3
    # Another address is not affected; the addresses are stored only as keyed hashes.
    assert client.post(URL, _data(huunghi), REMOTE_ADDR="198.51.100.20").status_code == 302
    assert not AttemptThrottle.objects.filter(client_key__contains="203.0.113").exists()


def test_tracking_lookup_shows_status_but_not_internal_notes(client, people, huunghi):
    incident = services.incident_report_public(
        actor=None,
        gate=huunghi,
        kind="security",
        description="Có người lạ quanh bãi xe",
        reporter_phone="0987 654 321",
    )
    op = people["operator"]
    services.incident_triage(
        actor=op,
        incident=incident,
        kind="security",
        severity="high",
        gate=huunghi,
        note="GHI-CHU-NOI-BO phân loại",
    )
    services.incident_hand(
        actor=op, incident=incident, force_kind="border_guard", note="GHI-CHU-NOI-BO chuyển"
    )
    services.incident_start(actor=people["border_guard"], incident=incident)
    services.incident_resolve(
        actor=people["border_guard"],
        incident=incident,
        resolution="KET-QUA-NOI-BO tên đối tượng",
        public_note="Đã kiểm tra và xử lý.",
    )
    code = incident.tracking_code.lower().replace("-", " ")  # typed loosely
    response = client.get("/incidents/track/", {"code": code})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Đã xử lý xong" in text and "Đã kiểm tra và xử lý." in text
    for secret in ("GHI-CHU-NOI-BO", "KET-QUA-NOI-BO", "0987 654 321", "Đồn Biên phòng"):
        assert secret not in text


def test_an_unknown_code_is_404_and_lookups_are_limited(client, reference_data, settings):
    settings.INCIDENT_PUBLIC_LOOKUPS_PER_HOUR = 2
    assert client.get("/incidents/track/", {"code": "VV-2222-3333"}).status_code == 404
    assert client.get("/incidents/track/", {"code": "VV-2222-4444"}).status_code == 404
    assert client.get("/incidents/track/", {"code": "VV-2222-5555"}).status_code == 429


def test_the_login_page_links_to_the_public_form(client, reference_data):
    assert 'href="/incidents/report/"' in client.get("/login/").content.decode()
