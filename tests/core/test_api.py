"""The API: bearer tokens (hashed, tied to a unit, revocable), OpenAPI, errors."""

import pytest
from django.core.management import call_command

from cuakhau.core.models import ApiToken, AuditEvent
from cuakhau.core.roles import Role
from cuakhau.core.services import token_create, token_revoke
from tests.factories import GateFactory, UserFactory, user_at_gate

pytestmark = pytest.mark.django_db


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_token_is_stored_hashed_and_authenticates(client):
    gate = GateFactory(code="HUUNGHI")
    device = user_at_gate(Role.GATE_OPERATOR, gate, is_service_account=True)
    token, secret = token_create(actor=None, user=device, name="Camera làn 1")
    assert secret not in token.key_hash and token.key_hash == ApiToken.hash_secret(secret)
    assert token.unit == device.unit
    response = client.get("/api/v1/core/me", **bearer(secret))
    assert response.status_code == 200
    assert response.json()["username"] == device.username
    assert response.json()["gates"] == [gate.pk]
    assert AuditEvent.objects.filter(action="core.api_token.create", object_id=str(token.pk)).exists()


def test_revoked_or_unknown_token_is_401(client):
    user = UserFactory(is_service_account=True)
    token, secret = token_create(actor=None, user=user, name="Hệ thống hải quan")
    token_revoke(actor=None, token=token)
    assert client.get("/api/v1/core/me", **bearer(secret)).status_code == 401
    assert client.get("/api/v1/core/me", **bearer("ck_nope_nope")).status_code == 401
    assert client.get("/api/v1/core/me").status_code == 401


def test_session_auth_works_for_the_browser(client):
    client.force_login(UserFactory(role=Role.BOARD_LEADER))
    assert client.get("/api/v1/gates/").status_code == 200


def test_openapi_and_docs_are_served_without_a_cdn(client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200 and "/api/v1/gates/" in spec.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn." not in html and "unpkg" not in html


def test_gate_api_404_for_unknown(client):
    client.force_login(UserFactory())
    assert client.get("/api/v1/gates/NOPE").status_code == 404


def test_tokens_cli_creates_lists_revokes(capsys):
    user = UserFactory(username="camera1", is_service_account=True)
    call_command("tokens", "create", "--user", "camera1", "--name", "Camera 1")
    prefix, unit_code, secret = capsys.readouterr().out.strip().split("\t")
    assert unit_code == user.unit.code and secret.startswith(f"ck_{prefix}_")
    call_command("tokens", "revoke", prefix)
    assert ApiToken.objects.get(prefix=prefix).revoked_at is not None


def test_token_page_only_for_board_managers(client):
    client.force_login(UserFactory(role=Role.GATE_OPERATOR))
    assert client.get("/tokens/").status_code == 404
    admin = UserFactory(role=Role.ADMIN)
    scanner = UserFactory(role=Role.DEPARTMENT_STAFF, unit=admin.unit, is_service_account=True)
    client.force_login(admin)
    response = client.post("/tokens/", {"name": "Máy quét QR", "user": scanner.pk})
    assert response.status_code == 200
    assert ApiToken.objects.filter(name="Máy quét QR").count() == 1
    assert "ck_" in response.content.decode()
    bad = client.post("/tokens/", {"name": "", "user": scanner.pk})
    assert bad.status_code == 400 and ApiToken.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_token_is_read_once_per_process_and_a_revocation_or_deactivation_applies_at_once(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cuakhau.core.api_auth import clear_token_cache

    clear_token_cache()
    gate = GateFactory(code="HUUNGHI")
    device = user_at_gate(Role.GATE_OPERATOR, gate, is_service_account=True)
    token, secret = token_create(actor=None, user=device, name="Camera làn 2")
    assert client.get("/api/v1/core/me", **bearer(secret)).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/api/v1/core/me", **bearer(secret))
    assert second.status_code == 200 and second.json()["username"] == device.username
    assert second.json()["gates"] == [gate.pk]
    assert not [q for q in queries.captured_queries if "core_apitoken" in q["sql"]]
    token_revoke(actor=None, token=token)
    assert client.get("/api/v1/core/me", **bearer(secret)).status_code == 401

    other, other_secret = token_create(actor=None, user=device, name="Camera làn 3")
    assert client.get("/api/v1/core/me", **bearer(other_secret)).status_code == 200
    device.is_active = False
    device.save(update_fields=["is_active"])
    assert client.get("/api/v1/core/me", **bearer(other_secret)).status_code == 401
