"""Feedback on staff: a signed public link, no login, rate limited, one rating per subject; figures
for leaders only."""

import pytest
from django.core import signing

from cuakhau.core import feedback
from cuakhau.core.feedback import InvalidToken, feedback_link, read_token
from cuakhau.core.models import AuditEvent
from cuakhau.plans import services
from cuakhau.plans.models import Feedback
from cuakhau.plans.selectors import feedback_figures

pytestmark = pytest.mark.django_db


def _path(world, subject_id="BL-0001", staff=None):
    return feedback_link("receipt", subject_id, world.huu_nghi, staff=staff)


def test_link_names_the_subject_unit_and_person(world, settings):
    cashier = world.users["huu_nghi"]
    link = _path(world, staff=cashier)
    assert link.startswith("/plans/feedback/r/")
    subject = read_token(link.split("/")[-2])
    assert (subject.subject_type, subject.subject_id, subject.unit_id, subject.staff_id) == (
        "receipt",
        "BL-0001",
        world.huu_nghi.pk,
        cashier.pk,
    )
    settings.PUBLIC_BASE_URL = "https://dichvu.example.vn/"
    assert feedback_link("pass", 42, world.huu_nghi).startswith("https://dichvu.example.vn/plans/feedback/r/")
    with pytest.raises(ValueError):
        feedback_link("nonsense", 1, world.huu_nghi)


def test_public_rating_without_login(world, client):
    cashier = world.users["huu_nghi"]
    link = _path(world, staff=cashier)
    page = client.get(link)
    assert page.status_code == 200
    body = page.content.decode()
    assert world.huu_nghi.name in body and cashier.display_name in body and "BL-0001" in body
    response = client.post(link, {"rating": "4", "comment": "Nhanh gọn"})
    assert response.status_code == 200 and "Cảm ơn bạn đã đánh giá" in response.content.decode()
    saved = Feedback.objects.get()
    assert (saved.rating, saved.comment, saved.unit, saved.staff) == (4, "Nhanh gọn", world.huu_nghi, cashier)
    assert saved.sender_hash and "127.0.0.1" not in saved.sender_hash
    event = AuditEvent.objects.get(action="plans.feedback.submit")
    assert event.actor is None and event.after["rating"] == 4 and "Nhanh gọn" not in str(event.after)
    # The same receipt cannot be rated twice.
    again = client.get(link)
    assert "đã được đánh giá" in again.content.decode()
    client.post(link, {"rating": "1"})
    assert Feedback.objects.count() == 1


def test_rating_out_of_range_is_refused(world, client):
    link = _path(world)
    response = client.post(link, {"rating": "6"})
    assert response.status_code == 400 and not Feedback.objects.exists()
    with pytest.raises(Exception) as exc:
        services.feedback_submit(actor=None, subject=read_token(link.split("/")[-2]), rating=0)
    assert exc.value.field == "rating"


def test_a_forged_or_changed_token_is_refused(world, client):
    link = _path(world)
    token = link.split("/")[-2]
    # Someone changes the unit in the payload and keeps the signature: refused.
    forged_payload = signing.dumps(
        {"t": "receipt", "i": "BL-0001", "u": world.coc_nam.pk}, salt="another-salt", compress=True
    )
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for bad in (forged_payload, tampered, "abc", token.replace(":", "")):
        response = client.get(f"/plans/feedback/r/{bad}/")
        assert response.status_code == 404, bad
        assert client.post(f"/plans/feedback/r/{bad}/", {"rating": "5"}).status_code == 404
        with pytest.raises(InvalidToken):
            read_token(bad)
    assert not Feedback.objects.exists()


def test_an_expired_token_is_refused(world, client, monkeypatch):
    link = _path(world)
    monkeypatch.setattr(feedback, "FEEDBACK_TOKEN_MAX_AGE_DAYS", -1)
    assert client.get(link).status_code == 404


def test_flood_from_one_address_is_refused(world, client, settings):
    settings.FEEDBACK_RATE_LIMIT = 3
    for i in range(3):
        response = client.post(_path(world, f"BL-{i}"), {"rating": "5"}, REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 200, i
    refused = client.post(_path(world, "BL-9"), {"rating": "1"}, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429 and "quá nhiều đánh giá" in refused.content.decode()
    # Another address is not held back.
    assert client.post(_path(world, "BL-9"), {"rating": "1"}, REMOTE_ADDR="203.0.113.8").status_code == 200
    assert Feedback.objects.count() == 4


def test_figures_per_unit_and_person_for_leaders_only(world, client):
    cashier, other = world.users["huu_nghi"], world.users["tan_thanh"]
    for subject_id, staff, unit, rating in (
        ("1", cashier, world.huu_nghi, 5),
        ("2", cashier, world.huu_nghi, 4),
        ("3", None, world.huu_nghi, 3),
        ("4", other, world.tan_thanh, 1),
    ):
        services.feedback_submit(
            actor=None,
            subject=read_token(feedback.make_token("receipt", subject_id, unit, staff)),
            rating=rating,
        )
    figures = feedback_figures(user=world.users["board_leader"])
    units = {f.label: (f.count, f.average, f.stars) for f in figures["by_unit"]}
    assert units[world.huu_nghi.name] == (3, pytest.approx(4), [0, 0, 1, 1, 1])
    assert units[world.tan_thanh.name][0] == 1
    people = {f.label: (f.count, f.average) for f in figures["by_person"]}
    assert people[cashier.display_name] == (2, pytest.approx(4.5))
    for role in ("board_leader", "provincial_leader", "admin"):
        client.force_login(world.users[role])
        page = client.get("/plans/feedback/")
        assert page.status_code == 200 and cashier.display_name in page.content.decode(), role
    for role in ("department_staff", "inspector", "huu_nghi", "enterprise", "driver"):
        client.force_login(world.users[role])
        assert client.get("/plans/feedback/").status_code == 404, role
        assert feedback_figures(user=world.users[role])["total"] == 0


def _api_post(client, token, data, **extra):
    return client.post(f"/api/v1/plans/feedback/{token}", data, content_type="application/json", **extra)


def test_a_rating_through_the_api_without_sign_in(world, client, settings):
    cashier = world.users["huu_nghi"]
    token = _path(world, staff=cashier).split("/")[-2]
    response = _api_post(client, token, {"rating": 5, "comment": "Thu phí nhanh"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["subject_type"], body["subject_id"], body["unit"], body["rating"]) == (
        "receipt",
        "BL-0001",
        world.huu_nghi.code,
        5,
    )
    saved = Feedback.objects.get()
    assert (saved.staff, saved.comment) == (cashier, "Thu phí nhanh")
    assert AuditEvent.objects.filter(action="plans.feedback.submit", object_id=str(saved.pk)).count() == 1
    # Once per subject; the field is named.
    again = _api_post(client, token, {"rating": 1})
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "token"
    # A rating out of range or not a number, a forged token: 4xx naming the field, nothing stored.
    other = _path(world, "BL-0002").split("/")[-2]
    for data, field in (({"rating": 6}, "rating"), ({"rating": "năm"}, "rating"), ({}, "rating")):
        refused = _api_post(client, other, data)
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == field, data
    forged = _api_post(client, other[:-3] + "AAA", {"rating": 5})
    assert forged.status_code == 404 and forged.json()["errors"][0]["field"] == "token"
    assert "không hợp lệ" in forged.json()["detail"]
    assert Feedback.objects.count() == 1
    # The API counts against the same limit per address as the page.
    settings.FEEDBACK_RATE_LIMIT = 2
    assert _api_post(client, other, {"rating": 4}, REMOTE_ADDR="203.0.113.9").status_code == 201
    third = _path(world, "BL-0003").split("/")[-2]
    assert _api_post(client, third, {"rating": 4}, REMOTE_ADDR="203.0.113.9").status_code == 201
    fourth = _path(world, "BL-0004").split("/")[-2]
    flood = _api_post(client, fourth, {"rating": 4}, REMOTE_ADDR="203.0.113.9")
    assert flood.status_code == 429 and flood.json()["errors"][0]["field"] == "rating"


def test_figures_through_the_api_for_leaders_only(world, client):
    cashier = world.users["huu_nghi"]
    for subject_id, rating in (("1", 5), ("2", 3)):
        services.feedback_submit(
            actor=None,
            subject=read_token(feedback.make_token("receipt", subject_id, world.huu_nghi, cashier)),
            rating=rating,
        )
    for role in ("board_leader", "provincial_leader", "admin"):
        client.force_login(world.users[role])
        body = client.get("/api/v1/plans/feedback").json()
        assert body["total"] == 2, role
        (unit,) = body["by_unit"]
        assert (unit["label"], unit["count"], unit["stars"]) == (world.huu_nghi.name, 2, [0, 0, 1, 0, 1])
        assert float(unit["average"]) == 4
        (person,) = body["by_person"]
        assert (person["label"], person["count"]) == (cashier.display_name, 2)
    client.force_login(world.users["board_leader"])
    assert client.get("/api/v1/plans/feedback?since=2000-01-01&until=2000-12-31").json()["total"] == 0
    bad = client.get("/api/v1/plans/feedback?since=31/12/2000")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "since"
    for role in ("department_staff", "inspector", "huu_nghi", "enterprise", "driver"):
        client.force_login(world.users[role])
        assert client.get("/api/v1/plans/feedback").status_code == 404, role
    client.logout()
    assert client.get("/api/v1/plans/feedback").status_code == 401
