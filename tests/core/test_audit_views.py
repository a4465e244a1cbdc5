"""The audit log as users meet it: logins leave events, inspectors read them, other roles get 404."""

import datetime

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from cuakhau.core.audit import audit_record
from cuakhau.core.audit_chain import seal_pending
from cuakhau.core.context import acting_as
from cuakhau.core.models import AuditEvent
from cuakhau.core.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HCM = datetime.timezone(datetime.timedelta(hours=7))


def login(client, username, password=PASSWORD, **headers):
    return client.post(reverse("core:login"), {"username": username, "password": password}, headers=headers)


def make_event(
    *,
    action="gates.gate_update",
    actor=None,
    when=None,
    object_type="gates.gate",
    object_id="HUU_NGHI",
    before=None,
    after=None,
):
    if when is not None:  # an event from the past, as the service would have written it then
        with transaction.atomic():
            return AuditEvent.objects.create(
                occurred_at=when,
                action=action,
                actor=actor,
                object_type=object_type,
                object_id=object_id,
                object_repr=object_id,
                request_id="r-test",
            )
    with acting_as(actor, channel="web", request_id="r-test"), transaction.atomic():
        return audit_record(
            action=action,
            actor=actor,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_id,
            before=before,
            after=after,
        )


@pytest.fixture
def inspector(client):
    user = UserFactory(role=Role.INSPECTOR, username="thanhtra")
    client.force_login(user)
    return user


# --- what gets recorded through the web ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_login_logout_and_failed_login_are_recorded_with_request_id_and_address(client):
    user = UserFactory(role=Role.GATE_OPERATOR, username="vanhung")

    response = login(client, "vanhung", "wrong-password", **{"X-Request-ID": "req-fail-1"})
    assert response["X-Request-ID"] == "req-fail-1"
    failed = AuditEvent.objects.get(action="core.auth.login_failed")
    assert (failed.actor, failed.object_id, failed.request_id, failed.client_ip, failed.channel) == (
        None,
        "vanhung",
        "req-fail-1",
        "127.0.0.1",
        "web",
    )

    response = login(client, "vanhung", **{"X-Request-ID": "req-login-1"})
    assert response.status_code == 302 and response["X-Request-ID"] == "req-login-1"
    event = AuditEvent.objects.get(action="core.auth.login")
    assert (event.actor, event.unit, event.actor_role) == (user, user.unit, Role.GATE_OPERATOR)
    assert (event.request_id, event.client_ip, event.object_id) == ("req-login-1", "127.0.0.1", str(user.pk))

    response = client.post(reverse("core:logout"))
    out = AuditEvent.objects.get(action="core.auth.logout")
    assert out.actor == user and out.request_id == response["X-Request-ID"]

    # Each committed on its own and was sealed right after: one chain, in order.
    assert list(AuditEvent.objects.order_by("chain_seq").values_list("action", flat=True)) == [
        "core.auth.login_failed",
        "core.auth.login",
        "core.auth.logout",
    ]
    from cuakhau.core.audit_chain import verify_chain

    assert verify_chain().ok


def test_a_request_without_an_id_gets_one(client):
    user = UserFactory()
    response = login(client, user.username)
    event = AuditEvent.objects.get(action="core.auth.login")
    assert len(event.request_id) == 32 and event.request_id == response["X-Request-ID"]


# --- who may read the log -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.INSPECTOR, 200),
        (Role.ADMIN, 200),
        (Role.BOARD_LEADER, 404),
        (Role.DEPARTMENT_STAFF, 404),
        (Role.GATE_OPERATOR, 404),
        (Role.GATE_CASHIER, 404),
        (Role.AGENCY_OFFICER, 404),
        (Role.ENTERPRISE_USER, 404),
        (Role.DRIVER, 404),
        (Role.PROVINCIAL_LEADER, 404),
    ],
)
def test_permission_matrix(client, role, status):
    event = make_event()
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("core:audit")).status_code == status
    assert client.get(reverse("core:audit-detail", args=[event.pk])).status_code == status


def test_anonymous_is_sent_to_login(client):
    event = make_event()
    for url in (reverse("core:audit"), reverse("core:audit-detail", args=[event.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_missing_event_is_404(client, inspector):
    assert client.get(reverse("core:audit-detail", args=[999999])).status_code == 404


# --- the list and its filters ---------------------------------------------------------------------


def rows(response):
    # The inspector's own login is in the log too; these tests look at the events they made.
    return [e.pk for e in response.context["events"] if not e.action.startswith("core.auth.")]


def test_list_is_newest_first_and_shows_events(client, inspector):
    old = make_event(when=timezone.now() - datetime.timedelta(days=2))
    new = make_event(action="gates.gate_create", object_id="TAN_THANH")
    response = client.get(reverse("core:audit"))
    assert response.status_code == 200
    assert rows(response)[:2] == [new.pk, old.pk]
    html = response.content.decode()
    assert "Nhật ký hệ thống" in html and "gates.gate_create" in html and "TAN_THANH" in html


def test_filters_by_object_actor_and_action(client, inspector):
    lan = UserFactory(role=Role.DEPARTMENT_STAFF, username="ntlan")
    a = make_event(actor=lan, object_id="HUU_NGHI")
    b = make_event(actor=lan, object_id="TAN_THANH", action="gates.gate_create")
    c = make_event(object_type="parties.enterprise", object_id="0101234567")
    url = reverse("core:audit")
    assert rows(client.get(url, {"object_type": "gates.gate", "object_id": "HUU_NGHI"})) == [a.pk]
    assert rows(client.get(url, {"object_type": "parties.enterprise"})) == [c.pk]
    assert set(rows(client.get(url, {"actor": "NTLAN"}))) == {a.pk, b.pk}
    assert rows(client.get(url, {"action": "gates.gate_create"})) == [b.pk]
    assert set(rows(client.get(url, {"action": "gates."}))) == {a.pk, b.pk, c.pk}
    assert rows(client.get(url, {"actor": "nobody"})) == []


def test_filters_by_date_range_in_the_zones_days(client, inspector):
    # 23:30 on 04/03/2026 in Hà Nội is 16:30 UTC the same day; 00:30 on 05/03 is 17:30 UTC on 04/03.
    late = make_event(when=datetime.datetime(2026, 3, 4, 23, 30, tzinfo=HCM))
    early = make_event(when=datetime.datetime(2026, 3, 5, 0, 30, tzinfo=HCM))
    url = reverse("core:audit")
    assert rows(client.get(url, {"date_from": "05/03/2026", "date_to": "05/03/2026"})) == [early.pk]
    assert rows(client.get(url, {"date_to": "04/03/2026"})) == [late.pk]
    assert rows(client.get(url, {"date_from": "04/03/2026", "date_to": "05/03/2026"})) == [early.pk, late.pk]


def test_a_bad_date_is_refused_with_a_message(client, inspector):
    make_event()
    response = client.get(reverse("core:audit"), {"date_from": "2026-03-05"})
    assert response.status_code == 400
    assert "Từ ngày: nhập ngày theo dạng dd/mm/yyyy." in response.content.decode()
    assert rows(response) == []
    response = client.get(reverse("core:audit"), {"date_from": "06/03/2026", "date_to": "05/03/2026"})
    assert response.status_code == 400 and "Đến ngày phải sau" in response.content.decode()


def test_list_is_paginated_keeping_the_filters(client, inspector):
    for i in range(55):
        make_event(object_id=f"G{i}", object_type="gates.gate")
    response = client.get(reverse("core:audit"), {"object_type": "gates.gate"})
    assert len(response.context["events"]) == 50
    assert "object_type=gates.gate&amp;page=2" in response.content.decode()
    page2 = client.get(reverse("core:audit"), {"object_type": "gates.gate", "page": 2})
    assert len(rows(page2)) == 5


# --- one event -----------------------------------------------------------------------------------


def test_detail_shows_the_field_diff_and_a_verified_chain(client, inspector):
    event = make_event(
        before={"name": "Hữu Nghị", "daily_vehicles": 1200},
        after={"name": "Hữu Nghị", "daily_vehicles": 1500, "notes": "mới"},
    )
    make_event()
    seal_pending()
    event.refresh_from_db()
    response = client.get(reverse("core:audit-detail", args=[event.pk]))
    assert response.status_code == 200
    changed = {row["field"]: row["changed"] for row in response.context["rows"]}
    assert changed == {"daily_vehicles": True, "name": False, "notes": True}
    html = response.content.decode()
    assert event.hash in html and "đã xác minh" in html and "r-test" in html


def test_detail_flags_an_unsealed_and_an_altered_event(client, inspector):
    event = make_event()
    response = client.get(reverse("core:audit-detail", args=[event.pk]))
    assert "chưa niêm phong vào chuỗi" in response.content.decode()
    seal_pending()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET object_repr = 'giả' WHERE id = %s", [event.pk]
        )
    html = client.get(reverse("core:audit-detail", args=[event.pk])).content.decode()
    assert "không khớp chuỗi" in html and "đã xác minh" not in html
