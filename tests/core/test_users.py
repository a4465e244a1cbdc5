"""Administrators manage accounts: one role in one unit; every change is audited; bad input refused."""

import pytest

from cuakhau.core.models import AuditEvent, User
from cuakhau.core.roles import Role, UnitKind
from tests.factories import PASSWORD, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(role=Role.ADMIN)
    client.force_login(admin)
    client.admin = admin
    return client


def test_admin_creates_a_gate_operator(admin_client):
    centre = UnitFactory(kind=UnitKind.GATE_CENTRE, code="ttqlck-x")
    response = admin_client.post(
        "/users/new/",
        {
            "username": "vanhanh1",
            "full_name": "Lương Văn A",
            "role": Role.GATE_OPERATOR,
            "unit": centre.pk,
            "password": "Cua-khau-2026!",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="vanhanh1")
    assert user.role == Role.GATE_OPERATOR and user.unit == centre and user.check_password("Cua-khau-2026!")
    event = AuditEvent.objects.get(action="core.user.create", object_id=str(user.pk))
    assert event.actor == admin_client.admin


def test_bad_user_input_names_the_field_and_creates_nothing(admin_client):
    dept = UnitFactory(kind=UnitKind.BOARD_DEPARTMENT)
    cases = [
        (
            {"username": "x y", "role": Role.DEPARTMENT_STAFF, "unit": dept.pk, "password": "Cua-khau-2026!"},
            "Tên đăng nhập chỉ gồm",
        ),
        (
            {"username": "x1", "role": Role.GATE_OPERATOR, "unit": dept.pk, "password": "Cua-khau-2026!"},
            "không thuộc được loại đơn vị",
        ),
        (
            {"username": "x2", "role": Role.DEPARTMENT_STAFF, "unit": dept.pk, "password": "12345678901"},
            "password",
        ),
        (
            {"username": "x3", "role": Role.DEPARTMENT_STAFF, "unit": dept.pk, "password": ""},
            "Cần đặt mật khẩu",
        ),
    ]
    for data, expected in cases:
        response = admin_client.post("/users/new/", {"full_name": "Nguyễn Văn B", **data})
        assert response.status_code == 400, data
        html = response.content.decode()
        assert expected in html or 'name="password"' in html
    assert not User.objects.filter(username__in=["x y", "x1", "x2", "x3"]).exists()


def test_admin_locks_a_user_who_then_cannot_sign_in(admin_client, client):
    user = UserFactory(role=Role.DEPARTMENT_STAFF)
    response = admin_client.post(
        f"/users/{user.username}/", {"full_name": user.full_name, "role": user.role, "unit": user.unit.pk}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    event = AuditEvent.objects.get(action="core.user.update", object_id=str(user.pk))
    assert event.before["is_active"] is True and event.after["is_active"] is False
    from django.test import Client

    other = Client()
    assert other.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 200


def test_admin_cannot_lock_themself(admin_client):
    admin = admin_client.admin
    response = admin_client.post(
        f"/users/{admin.username}/", {"full_name": "A", "role": Role.ADMIN, "unit": admin.unit.pk}
    )
    assert response.status_code == 400
    admin.refresh_from_db()
    assert admin.is_active


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_users_pages_are_for_admins_only(client, role):
    target = UserFactory()
    client.force_login(UserFactory(role=role))
    assert client.get("/users/").status_code == 404
    assert client.get(f"/users/{target.username}/").status_code == 404
    assert client.get("/users/new/").status_code == 404
