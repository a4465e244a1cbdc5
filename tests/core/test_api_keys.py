"""Issue 13, H1 and L1: an API key acts only as its own device or system account, is issued only by
someone whose work covers that account's unit, and a wrong key on a POST is a 401."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import ApiToken, AuditEvent, User
from cuakhau.core.roles import Role, UnitKind
from cuakhau.core.services import token_create, token_revoke, user_create
from tests.factories import GateFactory, UnitFactory, UserFactory, user_at_gate

pytestmark = pytest.mark.django_db


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def zone():
    gate = GateFactory(code="HUUNGHI")
    staff = UserFactory(role=Role.DEPARTMENT_STAFF, username="chuyenvien")
    admin = UserFactory(role=Role.ADMIN, username="quantri")
    camera = user_at_gate(Role.GATE_OPERATOR, gate, username="camera-1", is_service_account=True)
    return gate, staff, admin, camera


def test_staff_cannot_mint_a_key_that_acts_as_a_person(client):
    staff = UserFactory(role=Role.DEPARTMENT_STAFF, username="chuyenvien")
    admin = UserFactory(role=Role.ADMIN, username="quantri")
    enterprise_user = UserFactory(role=Role.ENTERPRISE_USER)
    operator = user_at_gate(Role.GATE_OPERATOR, GateFactory())
    client.force_login(staff)
    for person in (admin, enterprise_user, operator, staff):
        response = client.post("/tokens/", {"name": "x", "user": person.pk})
        assert response.status_code == 400, person.role
    assert ApiToken.objects.count() == 0


def test_the_tokens_page_offers_only_the_device_accounts_it_may_key(client, zone):
    _gate, staff, _admin, camera = zone
    client.force_login(staff)
    choices = client.get("/tokens/").context["form"].fields["user"].queryset
    assert list(choices) == [camera]


def test_a_key_acts_as_its_device_account_and_names_its_issuer(client, zone):
    _gate, staff, _admin, camera = zone
    client.force_login(staff)
    response = client.post("/tokens/", {"name": "Camera làn 1", "user": camera.pk})
    assert response.status_code == 200
    secret = response.context["secret"]
    token = ApiToken.objects.get()
    assert token.created_by == staff and token.unit == camera.unit
    event = AuditEvent.objects.get(action="core.api_token.create")
    assert (
        event.actor == staff
        and event.after["created_by_id"] == staff.pk
        and event.after["user_id"] == camera.pk
    )
    client.logout()
    me = client.get("/api/v1/core/me", **bearer(secret)).json()
    assert me["username"] == "camera-1" and me["role"] == Role.GATE_OPERATOR


def test_issuers_cover_only_their_unit_and_the_gates_units(zone):
    _gate, staff, _admin, camera = zone
    elsewhere = UserFactory(role=Role.DEPARTMENT_STAFF, is_service_account=True)  # another department
    mine = UserFactory(role=Role.DEPARTMENT_STAFF, unit=staff.unit, is_service_account=True)
    with acting_as(staff):
        assert token_create(actor=staff, user=camera, name="Camera")[0].user == camera
        assert token_create(actor=staff, user=mine, name="Hệ thống phòng")[0].user == mine
        with pytest.raises(ServiceError) as refused:
            token_create(actor=staff, user=elsewhere, name="Hệ thống phòng khác")
    assert "user" in refused.value.message_dict
    gate_operator = user_at_gate(Role.GATE_OPERATOR, GateFactory())
    with acting_as(gate_operator), pytest.raises(ServiceError):
        token_create(actor=gate_operator, user=camera, name="Camera")


def test_a_service_account_has_no_password_and_cannot_sign_in(client):
    centre = UnitFactory(kind=UnitKind.GATE_CENTRE)
    with pytest.raises(ServiceError):
        user_create(
            actor=None,
            username="cam",
            password="Cua-khau-2026!",
            role=Role.GATE_OPERATOR,
            unit=centre,
            is_service_account=True,
        )
    with pytest.raises(ServiceError):
        user_create(
            actor=None, username="cam", password=None, role=Role.ADMIN, unit=centre, is_service_account=True
        )
    cam = user_create(
        actor=None,
        username="cam",
        password=None,
        role=Role.GATE_OPERATOR,
        unit=centre,
        is_service_account=True,
    )
    assert not cam.has_usable_password()
    # Even with a password set behind the services' back, the login refuses a device account.
    cam.set_password("Cua-khau-2026!")
    cam.save()
    client.post("/login/", {"username": "cam", "password": "Cua-khau-2026!"})
    assert "_auth_user_id" not in client.session


def test_cli_follows_the_same_rule(capsys):
    person = UserFactory(username="nguoi")
    with pytest.raises(CommandError):
        call_command("tokens", "create", "--user", "nguoi", "--name", "x")
    superuser = UserFactory(username="root", role=Role.ADMIN)
    with pytest.raises(CommandError):
        call_command("tokens", "create", "--user", "root", "--name", "x")
    assert person and superuser and ApiToken.objects.count() == 0
    centre = UnitFactory(kind=UnitKind.GATE_CENTRE, code="ttqlck-x")
    call_command("tokens", "account", "--username", "cam-x", "--unit", centre.code, "--role", "gate_operator")
    assert User.objects.get(username="cam-x").is_service_account
    call_command("tokens", "create", "--user", "cam-x", "--name", "Camera X")
    out = capsys.readouterr().out.strip().splitlines()[-1]
    assert out.split("\t")[1] == "ttqlck-x"


def test_a_wrong_key_on_a_post_is_401_not_a_csrf_403(client):
    url = "/api/v1/traffic/gate-events"
    assert client.post(url, {}, content_type="application/json", **bearer("ck_nope_nope")).status_code == 401
    # A logged-in browser that also sends a bad key is judged by the key.
    client.force_login(UserFactory(role=Role.BOARD_LEADER))
    assert client.post(url, {}, content_type="application/json", **bearer("ck_nope_nope")).status_code == 401
    assert client.get("/api/v1/core/me", **bearer("ck_nope_nope")).status_code == 401
    assert client.get("/api/v1/core/me").status_code == 200


def test_a_revoked_key_on_a_post_is_401(client, zone):
    *_rest, camera = zone
    token, secret = token_create(actor=None, user=camera, name="Camera")
    token_revoke(actor=None, token=token)
    response = client.post(
        "/api/v1/traffic/gate-events", {}, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 401
