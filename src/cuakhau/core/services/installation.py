"""The installation's own record (core.Installation): marked a demo once, never unmarked."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit import audit_record, snapshot
from ..errors import ServiceError
from ..models import Installation, User
from ..service import service


@service
def installation_mark_demo(*, actor: User | None) -> Installation:
    """Mark this installation a demo: `cuakhau demo load` and `demo generate` call it (as the first
    demo loader), so that every document the demo data produces is printed as a sample with no legal
    value. Idempotent: an installation already marked is returned unchanged, with no new event. There
    is no service to unmark it: a database that held invented receipts stays a demo database. Only the
    system marks it (the command line: `actor` is None); no page offers it."""
    if actor is not None:
        raise ServiceError(_("Chỉ lệnh quản trị trên máy chủ mới đánh dấu bản cài đặt thử."), status=403)
    row = Installation.objects.select_for_update().filter(pk=1).first()
    if row is not None and row.demo:
        return row
    before = snapshot(row, ["demo", "demo_since"]) if row is not None else None
    row = row or Installation(pk=1)
    row.demo, row.demo_since = True, timezone.now()
    row.save()
    audit_record(
        action="core.installation.mark_demo",
        obj=row,
        before=before,
        after=snapshot(row, ["demo", "demo_since"]),
        actor=None,
    )
    return row
