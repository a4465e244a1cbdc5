"""Drafting a declaration: the draft written or changed (a returned declaration goes back to draft:
the workflow's `update` step), once validation has checked who may declare for the enterprise, the
trip's vehicle, driver and gate, its goods lines and containers."""

from __future__ import annotations

import datetime
from typing import Any

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import Problems
from cuakhau.core.service import service
from cuakhau.gates.models import Gate
from cuakhau.parties.models import Driver, Enterprise, Vehicle

from ..actions import DECLARATION, declaration_snapshot
from ..models import Container, Declaration, GoodsLine
from ..validation import agent_for, check_use, clean_draft


def _write_children(declaration: Declaration, lines: list[dict], containers: list[dict]) -> None:
    declaration.lines.all().delete()
    declaration.containers.all().delete()
    GoodsLine.objects.bulk_create([GoodsLine(declaration=declaration, **line) for line in lines])
    Container.objects.bulk_create([Container(declaration=declaration, **c) for c in containers])


def _children_summary(lines: list[dict], containers: list[dict]) -> dict[str, Any]:
    return {
        "lines": [
            {"hs_code": x["hs_code"], "quantity": x["quantity"], "unit": x["unit"], "gross_kg": x["gross_kg"]}
            for x in lines
        ],
        "containers": [f"{c['number']}/{c['size']}" for c in containers],
    }


@service
def declaration_create(
    *,
    actor,
    enterprise: Enterprise,
    vehicle: Vehicle,
    driver: Driver,
    gate: Gate,
    flow: str,
    planned_arrival: datetime.datetime,
    lines: list[dict],
    containers: list[dict] | None = None,
    trailer: Vehicle | None = None,
    direction: str = "",
    two_way: bool = False,
    note: str = "",
) -> Declaration:
    """Draft a declaration for one trip. The enterprise declares for itself, or a customs agent for a
    client under a valid mandate (Law on Customs 2014 art. 20-22). HS codes are checked as 8 digits of
    the national nomenclature, container numbers by their ISO 6346 check digit. The system (actor
    None: the demo loader) declares for any enterprise."""
    problems = Problems()
    agent = problems.run(agent_for, actor, enterprise)
    problems.run(check_use, actor, enterprise, vehicle, trailer)
    cleaned = problems.run(
        clean_draft,
        vehicle=vehicle,
        trailer=trailer,
        driver=driver,
        gate=gate,
        flow=flow,
        direction=direction,
        planned_arrival=planned_arrival,
        lines=lines,
        containers=containers,
        two_way=two_way,
        note=note,
    )
    problems.raise_if_any()
    assert cleaned is not None
    fields, clean, boxes = cleaned
    declaration = Declaration.objects.create(enterprise=enterprise, agent=agent, created_by=actor, **fields)
    _write_children(declaration, clean, boxes)
    audit_record(
        action="traffic.declaration.create",
        obj=declaration,
        actor=actor,
        after=declaration_snapshot(declaration) | _children_summary(clean, boxes),
    )
    return declaration


@service
def declaration_update(
    *,
    actor,
    declaration: Declaration,
    vehicle: Vehicle,
    driver: Driver,
    gate: Gate,
    flow: str,
    planned_arrival: datetime.datetime,
    lines: list[dict],
    containers: list[dict] | None = None,
    trailer: Vehicle | None = None,
    direction: str = "",
    two_way: bool = False,
    note: str = "",
) -> Declaration:
    """Change a draft, or a declaration returned for correction (it then goes back to draft)."""
    with DECLARATION.step(actor, declaration, "update") as step:
        declaration = step.obj
        check_use(actor, declaration.enterprise, vehicle, trailer)
        fields, clean, boxes = clean_draft(
            vehicle=vehicle,
            trailer=trailer,
            driver=driver,
            gate=gate,
            flow=flow,
            direction=direction,
            planned_arrival=planned_arrival,
            lines=lines,
            containers=containers,
            two_way=two_way,
            note=note,
        )
        for key, value in fields.items():
            setattr(declaration, key, value)
        _write_children(declaration, clean, boxes)
        step.facts.update(_children_summary(clean, boxes))
    return declaration
