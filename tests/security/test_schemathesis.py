"""Schemathesis over the whole OpenAPI (/api/v1/openapi.json), as every role, anonymous, another
enterprise's user and another customs agent, in-process (WSGI, no server) against the demo data
(security issue 13, item 8). Every operation, destructive ones included, on the throwaway test database.

Checks: no 5xx, and every response conforms to the schema (status code documented, content type, body).
Examples are bounded (CUAKHAU_SCHEMATHESIS_EXAMPLES, 10 per operation) and derandomized, with no shrinking,
so the run is the same each time: about 3.5 minutes of CPU for the 13 principals × ~125 operations, plus
the demo data load (~45 s) once for the module."""

import contextlib
import os

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase

from tests.security.world import ROLES

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("CUAKHAU_SCHEMATHESIS_EXAMPLES", "10"))
CSRF = "s" * 32  # a fixed CSRF secret: the cookie and the header agree, as a browser's would


def _checks():
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]


@contextlib.contextmanager
def _connection_kept():
    """Requests go straight to the WSGI handler, whose request signals would close the database
    connection (and with it the demo world's transaction, on PostgreSQL: inside an atomic block the
    connection's autocommit differs from its settings, so close_old_connections closes it; SQLite's
    in-memory test database ignores the close). They are held off for the whole run, as Django's test
    client does around each of its own requests."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def api_schema(demo_world):
    from django.core.wsgi import get_wsgi_application

    with _connection_kept():
        return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


def _cookies(client, user):
    if user is None:
        return f"csrftoken={CSRF}"
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF}"


@pytest.mark.parametrize("who", ["anonymous", *ROLES])
def test_api_as(who, demo_world, api_schema, client):
    cookies = _cookies(client, demo_world.get(who))
    headers = {"X-CSRFToken": CSRF, "Cookie": cookies}
    # The run means something only if the session is the role's: an API answering 401 to everything
    # would conform to its schema.
    me = client.get("/api/v1/core/me")
    assert me.status_code == (401 if who == "anonymous" else 200), (
        f"{who}: session refused ({me.status_code})"
    )
    checks = _checks()
    failures = []
    with _connection_kept():
        _run_all(api_schema, headers, checks, failures)
    assert not failures, f"{who}: {len(failures)} operations failed\n\n" + "\n\n".join(failures)


def _run_all(api_schema, headers, checks, failures):
    for result in api_schema.get_all_operations():
        operation = result.ok()
        strategy = operation.as_strategy()

        @hypothesis.settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @hypothesis.given(case=strategy)
        def run(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=checks)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failure is collected
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
