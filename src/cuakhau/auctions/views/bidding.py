"""Enterprise users register and bid on the live page, which polls the server for the current
best (htmx) and shows others only by label."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError, form_add_errors
from cuakhau.parties.selectors import own_enterprise

from .. import clock, selectors, services
from ..forms import RegisterForm
from ..models import Registration, Status
from ..permissions import is_bidder_user, is_reader
from .base import parse_dong, visible_or_404


@login_required
def register(request, code):
    if not is_bidder_user(request.user):
        raise Http404
    auction = selectors.auction_detail(user=request.user, code=code)
    enterprise = own_enterprise(request.user)
    if enterprise is None:
        raise Http404
    form = RegisterForm(
        request.POST or None, request.FILES or None, initial={"representative": request.user.display_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_submit(
                actor=request.user,
                auction_id=auction.pk,
                enterprise=enterprise,
                representative=form.cleaned_data["representative"],
                documents=request.FILES.getlist("documents"),
            )
        except ServiceError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Đã nộp hồ sơ. Hãy nộp tiền hồ sơ và tiền đặt trước theo mã QR."))
            return redirect("auctions:detail", code=auction.code)
    return render(
        request,
        "auctions/register.html",
        {"form": form, "auction": auction},
        status=400 if form.errors else 200,
    )


def _close_if_due(auction):
    if auction.status == Status.LIVE and auction.ends_at and clock.now() >= auction.ends_at:
        with acting_as(None, channel="system"):
            try:
                services.auction_close(actor=None, auction_id=auction.pk)
            except ServiceError:
                pass
        auction.refresh_from_db()


@login_required
def live(request, code):
    visible_or_404(request.user)
    auction = selectors.auction_detail(user=request.user, code=code)
    _close_if_due(auction)
    state = selectors.live_state(user=request.user, auction=auction)
    return render(request, "auctions/live.html", {**state, "reader": is_reader(request.user)})


@login_required
def live_state(request, code):
    visible_or_404(request.user)
    auction = selectors.auction_detail(user=request.user, code=code)
    _close_if_due(auction)
    state = selectors.live_state(user=request.user, auction=auction)
    return render(request, "auctions/_live_state.html", state)


def _my_bidding_registration(request, auction) -> Registration:
    mine = selectors.my_registration(user=request.user, auction=auction)
    if mine is None:
        raise Http404
    return mine


def _refused_status(request, error: str) -> int:
    # htmx swaps only 2xx answers: the live board shows the refusal in place; other clients get 400.
    if not error:
        return 200
    return 200 if request.headers.get("HX-Request") else 400


@login_required
@require_POST
def bid(request, code):
    if not is_bidder_user(request.user):
        raise Http404
    auction = selectors.auction_detail(user=request.user, code=code)
    mine = _my_bidding_registration(request, auction)
    error = ""
    try:
        services.bid_place(
            actor=request.user,
            auction_id=auction.pk,
            registration_id=mine.pk,
            amount=parse_dong(request.POST.get("amount"), "amount", _("Giá trả (đồng/tháng)")),
        )
    except ServiceError as exc:
        error = " ".join(str(m) for m in exc.messages)
    auction.refresh_from_db()
    state = selectors.live_state(user=request.user, auction=auction)
    return render(
        request,
        "auctions/_live_state.html",
        {**state, "error": error, "ok": not error},
        status=_refused_status(request, error),
    )


@login_required
@require_POST
def withdraw(request, code):
    if not is_bidder_user(request.user):
        raise Http404
    auction = selectors.auction_detail(user=request.user, code=code)
    mine = _my_bidding_registration(request, auction)
    error = ""
    try:
        services.bid_withdraw(actor=request.user, auction_id=auction.pk, registration_id=mine.pk)
    except ServiceError as exc:
        error = " ".join(str(m) for m in exc.messages)
    auction.refresh_from_db()
    mine.refresh_from_db()
    state = selectors.live_state(user=request.user, auction=auction)
    return render(
        request,
        "auctions/_live_state.html",
        {**state, "error": error},
        status=_refused_status(request, error),
    )
