"""Closing trips that have crossed: a trip stays *crossed* while staff may still need to correct it,
then the nightly job marks it *completed*, one declaration at a time through `declaration_complete`
(its own transaction and audit event, as the system: actor None). Not a service itself: each close is
one, so one trip that cannot be closed does not hold the others back."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import Declaration, Status
from .services import declaration_complete

# A trip is closed a day after it crossed.
CLOSE_AFTER = datetime.timedelta(hours=24)


def crossed_close(*, now: datetime.datetime | None = None, after: datetime.timedelta = CLOSE_AFTER) -> int:
    """Complete every trip that crossed more than `after` ago. Returns how many were closed. A trip
    completed (or corrected) by someone else meanwhile is skipped, not an error."""
    cutoff = (now or timezone.now()) - after
    closed = 0
    ids = list(
        Declaration.objects.filter(status=Status.CROSSED, crossed_at__lt=cutoff)
        .order_by("crossed_at")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        declaration = Declaration.objects.filter(pk=pk, status=Status.CROSSED).first()
        if declaration is None:
            continue
        declaration_complete(actor=None, declaration=declaration)  # the system
        closed += 1
    return closed
