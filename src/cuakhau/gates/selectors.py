from django.db.models import Q

from .models import Gate


def gate_list(*, user, q: str = "", kind: str = "", mode: str = ""):
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


def gate_detail(*, user, code: str):
    from cuakhau.core.permissions import get_for_user_or_404

    return get_for_user_or_404(
        Gate.objects.select_related("parent").prefetch_related("units", "routes"), user, code=code
    )
