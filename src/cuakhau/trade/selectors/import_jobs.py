"""Imports of statistics files (batches) the user may read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from ..models import ImportBatch

if TYPE_CHECKING:
    from cuakhau.core.models import User


def imports(*, user: User | None) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.for_user(user).select_related("series", "created_by")
