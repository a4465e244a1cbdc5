"""Values out of range in query and path parameters are a 4xx naming the parameter, on every
endpoint that takes a year, a month, a page's limit and offset, or a pre-filled id (they were 500s:
a year outside the date range, an OFFSET past 64 bits, a non-numeric id in the ORM)."""

import pytest

from cuakhau.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HUGE = "18446744073709551616"


@pytest.fixture
def admin_client(client, reference_data):
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True))
    return client


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/plans/directives?year=10000", "year"),
        ("/api/v1/plans/directives?year=-5", "year"),
        ("/api/v1/plans/plans/10000", "year"),
        ("/api/v1/plans/plans/0/evaluation", "year"),
        ("/api/v1/reports/annual-figures?year=0", "year"),
        ("/api/v1/reports/annual-figures?year=99999", "year"),
        (f"/api/v1/fees/receipts?offset={HUGE}", "offset"),
        ("/api/v1/fees/receipts?offset=-1", "offset"),
        ("/api/v1/fees/receipts?limit=0", "limit"),
        (f"/api/v1/fees/assessments?offset={HUGE}", "offset"),
        ("/api/v1/incidents/stats?year=2026&month=13", "month"),
        (f"/api/v1/incidents/stats?year={HUGE}&month=1", "year"),
        ("/api/v1/trade/figures/annual?series=x&metric=y&year=0", "year"),
    ],
)
def test_an_out_of_range_parameter_is_a_422_naming_it(admin_client, url, field):
    response = admin_client.get(url)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]


def test_years_inside_the_range_still_answer(admin_client):
    assert admin_client.get("/api/v1/plans/directives?year=2026").status_code == 200
    assert admin_client.get("/api/v1/reports/annual-figures?year=2025").status_code == 200
    assert admin_client.get("/api/v1/fees/receipts?offset=1000000&limit=500").json() == []


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "99999999999999999999999", "１"])
def test_a_prefilled_id_that_is_not_one_is_a_400_naming_it(admin_client, value):
    response = admin_client.get("/auctions/new/", {"lease": value})
    assert response.status_code == 400
    assert "lease" in response.content.decode()


def test_a_prefilled_lease_that_is_an_id_still_fills_the_form(admin_client):
    assert admin_client.get("/auctions/new/", {"lease": "12345"}).status_code == 200
    assert admin_client.get("/auctions/new/").status_code == 200


def test_a_posted_id_that_is_not_one_is_a_400_naming_it(client):
    from tests.factories import GateFactory, user_at_gate

    client.force_login(user_at_gate(Role.GATE_OPERATOR, GateFactory(code="GATE_R")))
    url = "/traffic/regulation/GATE_R/"
    assert client.post(url, {"form": "remove", "slot": "abc"}).status_code == 400
    assert client.post(url, {"form": "remove", "slot": "12345"}).status_code == 404
