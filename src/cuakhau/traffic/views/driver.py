"""The driver's pages: the pass page reached from the QR code without logging in, and my trips."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from cuakhau.core.feedback import feedback_link
from cuakhau.core.roles import UnitKind

from .. import passes, permissions, selectors
from ..models import Declaration, Status


def pass_page(request, token):
    """The driver's page, reached from the QR pass without logging in: the trip's state, the place in
    the queue and the wait, and a held check's reason. No identity number is shown."""
    read = passes.read_token(token)
    if read is None:
        raise Http404
    declaration = (
        Declaration.objects.select_related("vehicle", "trailer", "driver", "gate", "enterprise")
        .filter(pk=read[0], pass_nonce=read[1])
        .exclude(pass_nonce="")
        .first()
    )
    if declaration is None:
        raise Http404
    place, wait = selectors.place_in_queue(declaration)
    response = render(
        request,
        "traffic/pass_page.html",
        {
            "d": declaration,
            "place": place,
            "wait": wait,
            "held": [c for c in declaration.checks.all() if c.status == "held"],
            "checks": declaration.checks.all(),
            "timeline": selectors.timeline(declaration),
            "token": token,
            "feedback_url": _pass_feedback_link(declaration),
        },
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _pass_feedback_link(declaration) -> str | None:
    """A link for the driver to rate the gate centre's service on this trip, once the trip has reached
    the gate (before that there is no service to rate)."""
    if declaration.status not in {Status.IN_YARD, Status.CROSSED, Status.COMPLETED}:
        return None
    centre = declaration.gate.units.filter(kind=UnitKind.GATE_CENTRE).first()
    return feedback_link("pass", declaration.pk, unit=centre) if centre else None


@login_required
def my_trips(request):
    if not permissions.may_open_my_trips(request.user):
        raise Http404
    trips = (
        Declaration.objects.for_user(request.user).select_related("vehicle", "gate").order_by("-created_at")
    )
    rows = []
    for d in trips[:50]:
        place, wait = selectors.place_in_queue(d)
        rows.append(
            {
                "d": d,
                "place": place,
                "wait": wait,
                "pass_url": passes.pass_path(d) if d.pass_nonce else "",
                "held": [c for c in d.checks.all() if c.status == "held"],
            }
        )
    return render(request, "traffic/my_trips.html", {"rows": rows})
