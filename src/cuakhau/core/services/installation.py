"""The installation's own record (core.Installation): marked a demo once, never unmarked."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..audit import audit_record, snapshot
from ..models import Installation


@transaction.atomic
def installation_mark_demo() -> Installation:
    """Mark this installation a demo: `cuakhau demo load` and `demo generate` call it (as the first
    demo loader), so that every document the demo data produces is printed as a sample with no legal
    value. Idempotent: an installation already marked is returned unchanged, with no new event. There
    is no service to unmark it: a database that held invented receipts stays a demo database."""
    row = Installation.objects.select_for_update().filter(pk=1).first()
    if row is not None and row.demo:
        return row
    before = snapshot(row, ["demo", "demo_since"]) if row is not None else None
    row = row or Installation(pk=1)
    row.demo, row.demo_since = True, timezone.now()
    row.save()
    audit_record(
        action="installation.mark_demo", obj=row, before=before, after=snapshot(row, ["demo", "demo_since"])
    )
    return row


def load_demo_installation(stdout=None) -> str:
    """The first demo loader: the installation is a demo before any demo document exists."""
    installation_mark_demo()
    return "marked as a demo installation: documents are printed as samples"
