"""Every answer under /api/ is JSON in the API's shape, the errors Django answers itself (a path no
operation matches) included; and the OpenAPI documents the statuses every operation can give
(schemathesis, tests/security/test_schemathesis.py, found both)."""

import pytest

from cuakhau.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/incidents/-1", "/api/v1/procedures/dossiers/-100", "/api/v1/nope"])
def test_a_path_no_operation_matches_is_a_json_404(client, path):
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_pages_keep_the_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_the_openapi_documents_the_errors_every_operation_can_give(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["schemas"]["ApiError"]["required"] == ["detail"]
    incident = schema["paths"]["/api/v1/incidents/{incident_id}"]["get"]["responses"]
    assert {"200", "401", "404", "422"} <= set(incident)
    triage = schema["paths"]["/api/v1/incidents/{incident_id}/triage"]["post"]["responses"]
    assert "403" in triage  # the session's CSRF check
    quote = schema["paths"]["/api/v1/fees/quote"]
    assert all("401" not in op["responses"] for op in quote.values())  # a public operation
