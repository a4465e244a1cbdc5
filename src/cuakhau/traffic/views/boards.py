"""The live board of a gate for its staff, and the public board."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from .. import permissions, selectors
from ..models import Declaration


def _board_gate(request, code):
    gate = selectors.board_gates(request.user).filter(code=code).first()
    if gate is None or not permissions.is_staff_role(request.user):
        raise Http404
    return gate


@login_required
def board_home(request):
    gate = selectors.board_gates(request.user).first() if permissions.is_staff_role(request.user) else None
    if gate is None:
        raise Http404
    return redirect("traffic:board", code=gate.code)


@login_required
def board(request, code):
    gate = _board_gate(request, code)
    base = Declaration.objects.for_user(request.user)
    context = {
        "gate": gate,
        "boards": selectors.board(gate=gate, base=base),
        "gates": selectors.board_gates(request.user),
        "may_regulate": permissions.may_regulate_gate(request.user, gate),
        "exceptions": selectors.open_exceptions(user=request.user, gate=gate)[:20],
    }
    template = "traffic/_board.html" if request.htmx and request.GET.get("fragment") else "traffic/board.html"
    return render(request, template, context)


def public_board(request):
    template = "traffic/_public_board.html" if request.htmx else "traffic/public_board.html"
    return render(request, template, {"gates": selectors.public_board()})
