from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from .models import Gate

if TYPE_CHECKING:
    from cuakhau.core.models import User


def gate_list(*, user: User | None, q: str = "", kind: str = "", mode: str = "") -> QuerySet[Gate]:
    gates = Gate.objects.for_user(user).select_related("parent").order_by("sort_order", "name")
    if q:
        gates = gates.filter(
            Q(name__icontains=q)
            | Q(code__icontains=q)
            | Q(name_en__icontains=q)
            | Q(paired_gate_cn__icontains=q)
        )
    if kind:
        gates = gates.filter(kind=kind)
    if mode:
        gates = gates.filter(mode=mode)
    return gates


def gate_detail(*, user: User, code: str) -> Gate:
    from cuakhau.core.permissions import get_for_user_or_404

    gate: Gate = get_for_user_or_404(
        Gate.objects.select_related("parent").prefetch_related("units", "routes"), user, code=code
    )
    return gate
