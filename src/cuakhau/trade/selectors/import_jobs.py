"""Imports of statistics files (batches) the user may read."""

from __future__ import annotations

from ..models import ImportBatch


def imports(*, user):
    return ImportBatch.objects.for_user(user).select_related("series", "created_by")
