"""The rule packs the auctions are checked against: loaded from data/rule_packs.json (auctions.rules
reads and checks them)."""

from __future__ import annotations

import datetime

from cuakhau.core import policy
from cuakhau.core.audit import audit_record
from cuakhau.core.service import service

from ..models import RulePack
from ..rules import read_packs


@service
def rule_packs_load(*, actor) -> str:
    """Create the packs that are missing. A pack already stored is never rewritten (auctions were
    checked against it); an amendment is a new pack in the data file. The reference loader runs it as
    the system (actor None); otherwise the Board."""
    if actor is not None:
        policy.require(actor, "auctions.manage")
    created = 0
    for p in read_packs():
        if RulePack.objects.filter(code=p["code"]).exists():
            continue
        pack = RulePack.objects.create(
            code=p["code"],
            name=p["name"],
            effective_from=datetime.date.fromisoformat(p["effective_from"]),
            sources=p["sources"],
            rules=p["rules"],
            notes=p.get("notes", ""),
        )
        audit_record(
            action="auctions.rulepack.load",
            obj=pack,
            after={"code": pack.code, "rules": len(pack.rules)},
            actor=actor,
        )
        created += 1
    return f"{created} rule packs created, {RulePack.objects.count()} in all"
