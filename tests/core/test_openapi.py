"""The published OpenAPI document: one schema a name. Two apps that both call an output schema
`EventOut` (or `SummaryOut`) made the document describe one route with the other's fields, since
components are keyed by name and the later one wins."""

import json

import pytest

from cuakhau.api import api

REF = "#/components/schemas/{model}"


def _operations():
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                yield prefix + path, operation


def _schemas_by_name() -> dict[str, dict[str, set[str]]]:
    """{schema name: {its JSON: the routes whose responses or bodies use it}}."""
    found: dict[str, dict[str, set[str]]] = {}
    for path, operation in _operations():
        models = [
            (m, "serialization")
            for m in (operation.response_models or {}).values()
            if hasattr(m, "model_json_schema")  # a bodiless answer (204, or a status without a schema)
        ]
        models += [(m, "validation") for m in operation.models]
        for model, mode in models:
            schema = model.model_json_schema(ref_template=REF, mode=mode)
            for name, definition in schema.get("$defs", {}).items():
                text = json.dumps(definition, sort_keys=True, default=str)
                found.setdefault(name, {}).setdefault(text, set()).add(path)
    return found


def test_no_two_different_schemas_share_a_name():
    clashes = {
        name: sorted({p for paths in versions.values() for p in paths})
        for name, versions in _schemas_by_name().items()
        if len(versions) > 1 and not name.startswith(("Input", "Output"))
    }
    assert clashes == {}


@pytest.mark.django_db
def test_the_document_describes_each_routes_own_response(client):
    doc = client.get("/api/v1/openapi.json").json()
    components = doc["components"]["schemas"]

    def response_schema(path, method="get"):
        ref = doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        return components[ref["$ref"].rsplit("/", 1)[1]]

    incident = response_schema("/api/v1/incidents/{incident_id}")
    events = incident["properties"]["events"]["items"]["$ref"].rsplit("/", 1)[1]
    assert {"action", "to_status", "note"} <= set(components[events]["properties"])
    assert "internal_note" not in components[events]["properties"]  # the dossiers' event, not this one
    evaluation = response_schema("/api/v1/plans/plans/{year}/evaluation")
    assert "year" in evaluation["properties"] and "growth" not in evaluation["properties"]
    summary = response_schema("/api/v1/trade/series/{code}/summary")
    assert "year" not in summary["properties"] or "growth" in json.dumps(summary)


def test_the_production_server_is_a_runtime_dependency():
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"]
    runtime = [d.split(">")[0].split("[")[0].strip().lower() for d in project["dependencies"]]
    assert "gunicorn" in runtime
