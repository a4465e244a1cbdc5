"""Incident pages and API: scopes (404 outside), transitions through the pages and the API, the
monthly statistics against the raw rows and the Excel export."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cuakhau.incidents import selectors, services
from cuakhau.incidents.models import Incident
from tests.factories import incident_reported, photo_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(people, huunghi, tanthanh):
    """One incident at Hữu Nghị handed to customs, one at Tân Thanh still reported."""
    a = incident_reported(huunghi, kind="smuggling", photo=photo_upload())
    op = people["operator"]
    services.incident_triage(actor=op, incident=a, kind="smuggling", severity="high", gate=huunghi)
    services.incident_hand(actor=op, incident=a, force_kind="customs")
    b = incident_reported(tanthanh, kind="environment")
    return a, b


def test_scopes_each_role_sees_what_it_should(client, people, two):
    a, b = two
    expect = {
        "operator": {a.pk},
        "cashier": {a.pk},
        "other_operator": {b.pk},
        "customs": {a.pk},
        "border_guard": set(),
        "department": {a.pk, b.pk},
        "leader": {a.pk, b.pk},
        "inspector": {a.pk, b.pk},
        "province": {a.pk, b.pk},
        "enterprise": set(),
        "driver": set(),
    }
    for who, ids in expect.items():
        assert set(Incident.objects.for_user(people[who]).values_list("pk", flat=True)) == ids, who
        client.force_login(people[who])
        for incident in (a, b):
            page = client.get(f"/incidents/{incident.pk}/").status_code
            api = client.get(f"/api/v1/incidents/{incident.pk}").status_code
            photo = client.get(f"/incidents/{a.pk}/photos/{a.photos.get().pk}/").status_code
            wanted = 200 if incident.pk in ids else 404
            assert (page, api) == (wanted, wanted), (who, incident.tracking_code, page, api)
            assert photo == (200 if a.pk in ids else 404), who
        api_list = client.get("/api/v1/incidents")
        if who in ("enterprise", "driver"):
            assert api_list.status_code == 404
        else:
            assert {row["id"] for row in api_list.json()} == ids, who
        list_page = client.get("/incidents/").status_code
        assert list_page == (404 if who in ("enterprise", "driver") else 200), who


def test_photo_is_served_with_its_type_only_to_scope(client, people, two):
    a, _b = two
    client.force_login(people["customs"])
    response = client.get(f"/incidents/{a.pk}/photos/{a.photos.get().pk}/")
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_pages_walk_the_lifecycle_and_show_only_allowed_buttons(client, people, huunghi):
    incident = incident_reported(huunghi)
    client.force_login(people["cashier"])
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-action="triage"' not in page
    assert client.post(f"/incidents/{incident.pk}/triage/", {"triage-kind": "security"}).status_code == 403
    client.force_login(people["operator"])
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert (
        'data-action="triage"' in page and 'data-action="reject"' in page and 'data-action="hand"' not in page
    )
    response = client.post(
        f"/incidents/{incident.pk}/triage/",
        {"triage-kind": "security", "triage-severity": "medium", "triage-gate": huunghi.pk},
    )
    assert response.status_code == 302
    # An illegal step through the page: 409 with the message, nothing changed.
    response = client.post(f"/incidents/{incident.pk}/close/", {})
    assert response.status_code == 409
    assert f"Không thể đóng vụ việc {incident.tracking_code} đang ở trạng thái" in response.content.decode()
    response = client.post(f"/incidents/{incident.pk}/hand/", {"hand-force_kind": "border_guard"})
    assert response.status_code == 302
    client.force_login(people["border_guard"])
    assert client.post(f"/incidents/{incident.pk}/start/", {}).status_code == 302
    response = client.post(f"/incidents/{incident.pk}/resolve/", {"resolve-resolution": ""})
    assert response.status_code == 400
    assert (
        client.post(
            f"/incidents/{incident.pk}/resolve/",
            {"resolve-resolution": "Đã giải tỏa", "resolve-public_note": "Xong"},
        ).status_code
        == 302
    )
    client.force_login(people["operator"])
    assert client.post(f"/incidents/{incident.pk}/close/", {}).status_code == 302
    incident.refresh_from_db()
    assert incident.status == "closed"
    assert client.post(f"/incidents/{incident.pk}/nonsense/", {}).status_code == 404


def test_staff_record_an_incident_with_a_photo_through_the_page(client, people, huunghi):
    client.force_login(people["operator"])
    page = client.get("/incidents/new/").content.decode()
    assert "Cửa khẩu Tân Thanh" not in page  # only their gates are offered
    response = client.post(
        "/incidents/new/",
        {
            "gate": huunghi.pk,
            "kind": "congestion",
            "severity": "low",
            "description": "Ùn tắc tại cổng vào bãi",
            "latitude": "21,97",
            "longitude": "106,70",
            "photo": photo_upload("PNG", "a.png"),
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.source == "staff" and incident.photos.count() == 1
    for who in ("customs", "inspector", "enterprise"):
        client.force_login(people[who])
        assert client.get("/incidents/new/").status_code == 404, who


def test_api_lifecycle_and_errors(client, people, huunghi):
    client.force_login(people["operator"])
    response = client.post(
        "/api/v1/incidents",
        {"gate": "HUUNGHI", "kind": "security", "description": "Người lạ vào khu vực kiểm hóa"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    bad = client.post(
        "/api/v1/incidents",
        {"gate": "HUUNGHI", "kind": "nope", "description": "Một nội dung"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "kind"
    illegal = client.post(f"/api/v1/incidents/{pk}/close", {}, content_type="application/json")
    assert illegal.status_code == 409 and "Không thể" in illegal.json()["detail"]
    assert (
        client.post(
            f"/api/v1/incidents/{pk}/triage",
            {"kind": "security", "severity": "high", "gate": "HUUNGHI"},
            content_type="application/json",
        ).status_code
        == 200
    )
    handed = client.post(
        f"/api/v1/incidents/{pk}/hand", {"force_kind": "customs"}, content_type="application/json"
    )
    assert handed.json()["force_unit"] == "hq-huu-nghi"
    client.force_login(people["customs"])
    assert (
        client.post(f"/api/v1/incidents/{pk}/start", {}, content_type="application/json").status_code == 200
    )
    resolved = client.post(
        f"/api/v1/incidents/{pk}/resolve", {"resolution": "Đã xử lý"}, content_type="application/json"
    )
    assert resolved.json()["status"] == "resolved"
    forbidden = client.post(f"/api/v1/incidents/{pk}/close", {}, content_type="application/json")
    assert forbidden.status_code == 403
    client.force_login(people["operator"])
    assert (
        client.post(f"/api/v1/incidents/{pk}/close", {}, content_type="application/json").json()["status"]
        == "closed"
    )
    detail = client.get(f"/api/v1/incidents/{pk}").json()
    assert [e["to_status"] for e in detail["events"]] == [
        "reported",
        "triaged",
        "handed",
        "in_progress",
        "resolved",
        "closed",
    ]
    client.force_login(people["other_operator"])
    assert client.get(f"/api/v1/incidents/{pk}").status_code == 404
    assert (
        client.post(
            f"/api/v1/incidents/{pk}/triage",
            {"kind": "security", "severity": "low", "gate": "HUUNGHI"},
            content_type="application/json",
        ).status_code
        == 404
    )
    client.force_login(people["inspector"])
    assert (
        client.post(
            "/api/v1/incidents",
            {"gate": "HUUNGHI", "kind": "security", "description": "Một nội dung dài"},
            content_type="application/json",
        ).status_code
        == 403
    )


def _at(incident, day):
    Incident.objects.filter(pk=incident.pk).update(
        reported_at=timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 23, 30))
    )


def test_monthly_statistics_agree_with_the_rows_and_the_excel_export(client, people, huunghi, tanthanh):
    year = timezone.localdate().year
    made = [
        (huunghi, "security", datetime.date(year, 3, 1)),
        (huunghi, "security", datetime.date(year, 3, 31)),  # 23:30 local on the last day: still March
        (huunghi, "congestion", datetime.date(year, 3, 15)),
        (tanthanh, "environment", datetime.date(year, 3, 2)),
        (tanthanh, "environment", datetime.date(year, 4, 1)),  # April: not counted
        (huunghi, "smuggling", datetime.date(year, 2, 28)),  # February: not counted
    ]
    rows = []
    for gate, kind, day in made:
        incident = incident_reported(gate, kind=kind)
        _at(incident, day)
        rows.append(incident)
    spam = incident_reported(huunghi, kind="other")
    _at(spam, datetime.date(year, 3, 10))
    services.incident_reject(actor=people["department"], incident=spam, reason="spam")

    stats = selectors.monthly_stats(user=people["department"], year=year, month=3)
    table = {
        row.gate.code: dict(zip([k for k, _ in stats.kinds], row.counts, strict=True)) for row in stats.rows
    }
    assert table["HUUNGHI"]["security"] == 2 and table["HUUNGHI"]["congestion"] == 1
    assert table["TANTHANH"]["environment"] == 1
    assert stats.total == 4 and stats.rejected == 1
    raw = Incident.objects.filter(reported_at__year=year, reported_at__month=3).exclude(status="rejected")
    assert stats.total == raw.count()

    client.force_login(people["department"])
    page = client.get("/incidents/stats/", {"year": year, "month": 3})
    assert page.status_code == 200
    assert 'data-testid="stats-total">4<' in page.content.decode()
    response = client.get("/incidents/stats/xlsx/", {"year": year, "month": 3})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    sheet = wb.worksheets[0]
    header = [c.value for c in sheet[3]]
    body = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    gate_row = body[huunghi.name]
    assert gate_row[header.index("An ninh, trật tự")] == 2
    assert body["Tổng cộng"][header.index("Cộng")] == 4
    assert body["Tổng cộng"][header.index("Không thụ lý")] == 1
    listed = list(wb.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert len(listed) == 5  # four counted and the rejected one, each a row
    # The gate centre's own statistics hold only its gates.
    mine = selectors.monthly_stats(user=people["operator"], year=year, month=3)
    assert [row.gate.code for row in mine.rows] == ["HUUNGHI"] and mine.total == 3
    api = client.get("/api/v1/incidents/stats", {"year": year, "month": 3}).json()
    assert api["total"] == 4 and api["totals"]["security"] == 2


def test_a_photo_the_storage_lost_answers_404_not_500(client, people, two):
    """A restore without its media, or a disk fault: the page says not found, and the operators' log
    says which file (core.uploads.stored_file_response, the one way every app sends a stored file)."""
    a, _b = two
    photo = a.photos.get()
    photo.file.storage.delete(photo.file.name)
    client.force_login(people["customs"])
    assert client.get(f"/incidents/{a.pk}/photos/{photo.pk}/").status_code == 404


def test_the_list_is_cut_into_pages(client, people, huunghi, monkeypatch):
    from cuakhau.incidents import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    codes = [incident_reported(huunghi).tracking_code for _ in range(3)]
    client.force_login(people["operator"])
    first = client.get("/incidents/", {"status": "reported"}).content.decode()
    assert sum(code in first for code in codes) == 2 and 'rel="next"' in first
    assert "status=reported&amp;page=2" in first  # the filters are kept
    second = client.get("/incidents/", {"status": "reported", "page": 2}).content.decode()
    assert sum(code in second for code in codes) == 1 and 'rel="prev"' in second
    assert {code for code in codes if code in first} | {code for code in codes if code in second} == set(
        codes
    )
