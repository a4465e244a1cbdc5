"""The fees API: public quote (422 naming the field), tariffs for signed-in users and tokens."""

import json

from cuakhau.core.roles import Role
from tests.factories import UserFactory

QUOTE = "/api/v1/fees/quote"


def post(client, body):
    return client.post(QUOTE, data=json.dumps(body), content_type="application/json")


def test_quote_is_public(client, tariffs):
    response = post(
        client,
        {
            "tariff": "CB-39-2019",
            "flow": "transit",
            "goods": "agricultural",
            "tonnes": 20,
            "container": 40,
            "on": "2025-10-01",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["amount"], body["amount_text"], body["tariff_version"]) == (5_500_000, "5.500.000 đ", 1)
    assert body["parts"][0]["rule_key"] == "cb-2a-agri-18t-c40"
    assert body["parts"][0]["basis"] == "per_vehicle"
    assert body["explanation"][0].startswith("Biểu phí CB-39-2019")


def test_quote_with_a_mixed_load_and_a_multiplier(client, tariffs):
    response = post(
        client,
        {
            "tariff": "LS-09-2025",
            "flow": "export",
            "on": "2025-10-01",
            "tonnes": "8",
            "goods_lines": [
                {"kind": "ore", "declared_value": 900_000_000},
                {"kind": "other", "declared_value": 100_000_000},
            ],
        },
    )
    body = response.json()
    assert response.status_code == 200
    assert body["amount"] == 2_500_000 and body["is_demo"] is True
    assert body["parts"][0]["multipliers"][0]["percent"] == 500


def test_quote_422_names_the_field(client, tariffs):
    bad_flow = post(client, {"tariff": "CB-39-2019", "flow": "smuggling"})
    assert bad_flow.status_code == 422
    assert [e["field"] for e in bad_flow.json()["errors"]] == ["flow"]
    bad_container = post(client, {"tariff": "CB-39-2019", "flow": "transit", "container": 30})
    assert bad_container.status_code == 422
    assert bad_container.json()["errors"][0]["field"] == "container"
    missing = post(client, {"tariff": "CB-39-2019", "flow": "export", "goods": "other", "on": "2025-10-01"})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "tonnes"
    negative = post(client, {"tariff": "CB-39-2019", "flow": "export", "tonnes": -1})
    assert negative.status_code == 422 and negative.json()["errors"][0]["field"] == "tonnes"
    unknown = post(client, {"tariff": "XX", "flow": "export", "tonnes": 1})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "tariff"


def test_tariffs_need_authentication(client, tariffs):
    assert client.get("/api/v1/fees/tariffs").status_code == 401
    client.force_login(UserFactory(role=Role.GATE_OPERATOR))
    response = client.get("/api/v1/fees/tariffs")
    assert response.status_code == 200
    codes = {(t["code"], t["version"], t["resolution"]) for t in response.json()}
    assert codes == {("CB-39-2019", 1, "39/2019/NQ-HĐND"), ("LS-09-2025", 1, "09/2025/NQ-HĐND")}
    assert {t["code"]: t["has_demo_values"] for t in response.json()} == {
        "CB-39-2019": False,
        "LS-09-2025": True,
    }
