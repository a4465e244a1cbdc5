"""The Board's pages: the list, an auction's page, drafting, the deposit statement, the record,
the system log and the rule packs."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.assets.models import Asset, Lease
from cuakhau.core.errors import ServiceError, form_add_errors
from cuakhau.core.views.params import query_id

from .. import chain, clock, documents, selectors, services
from ..forms import AuctionForm, StatementForm
from ..models import TERMINAL, ForfeitReason, Registration, RegStatus, Status
from ..permissions import is_bidder_user, is_manager, is_reader
from .base import manager_or_404, visible_or_404


def deposit_qr(registration: Registration) -> dict | None:
    """VietQR for the deposit (and dossier fee) into the separate deposit account, with the registration's
    reference as the transfer note (the statement import matches it)."""
    from cuakhau.fees.vietqr import build_payload, qr_svg

    auction = registration.auction
    amount = 0
    if not registration.deposit_entries.filter(kind="received").exists():
        amount += auction.deposit
    if auction.dossier_fee and registration.dossier_fee_paid_at is None:
        amount += auction.dossier_fee
    if not amount:
        return None
    bank_bin = getattr(settings, "AUCTIONS_DEPOSIT_BANK_BIN", "") or "970418"
    account = getattr(settings, "AUCTIONS_DEPOSIT_ACCOUNT", "") or "1250000888"
    payload = build_payload(
        bank_bin=bank_bin, account=account, amount=amount, purpose=registration.deposit_reference
    )
    return {
        "svg": qr_svg(payload, scale=4, title="VietQR"),
        "payload": payload,
        "amount": amount,
        "account": account,
        "bank": getattr(settings, "AUCTIONS_DEPOSIT_BANK_NAME", "")
        or "BIDV — tài khoản tiền đặt trước (demo)",
        "reference": registration.deposit_reference,
        "is_demo": not getattr(settings, "AUCTIONS_DEPOSIT_ACCOUNT", ""),
    }


@login_required
def index(request):
    visible_or_404(request.user)
    status = request.GET.get("status", "")
    auctions = selectors.auction_list(user=request.user, status=status)
    mine = {}
    if is_bidder_user(request.user):
        mine = {r.auction_id: r for r in Registration.objects.for_user(request.user)}
    return render(
        request,
        "auctions/index.html",
        {
            "auctions": auctions[:300],
            "status": status,
            "statuses": Status.choices,
            "mine": mine,
            "can_add": is_manager(request.user),
            "refunds": selectors.refunds_due(user=request.user) if is_reader(request.user) else [],
        },
    )


@login_required
def detail(request, code):
    visible_or_404(request.user)
    auction = selectors.auction_detail(user=request.user, code=code)
    mine = selectors.my_registration(user=request.user, auction=auction)
    manager = is_manager(request.user)
    registrations = selectors.registrations_for(user=request.user, auction=auction)
    # Refund and forfeit are offered only where a deposit is still held and the law lets it go back
    # or be kept now: after the session (refunds_due_on), or at once for an ineligible registrant.
    held = selectors.deposits_held(auction=auction) if manager else set()
    deposit_actions = {
        r.pk
        for r in registrations
        if r.pk in held
        and r.pk not in (auction.winner_id, auction.runner_up_offered_id)
        and (auction.refunds_due_on or r.status == RegStatus.INELIGIBLE)
    }
    return render(
        request,
        "auctions/detail.html",
        {
            "auction": auction,
            "manager": manager,
            "reader": is_reader(request.user),
            "mine": mine,
            "qr": deposit_qr(mine) if mine and auction.status == Status.REGISTRATION_OPEN else None,
            "registrations": registrations,
            "deposit_actions": deposit_actions,
            "ledger": selectors.deposit_ledger(user=request.user, auction=auction),
            "bids": selectors.bids_for(user=request.user, auction=auction),
            "verdict": chain.verify(auction) if auction.bid_count else None,
            "can_register": is_bidder_user(request.user)
            and mine is None
            and auction.status == Status.REGISTRATION_OPEN,
            "forfeit_reasons": [
                (ForfeitReason.NO_SHOW, ForfeitReason.NO_SHOW.label),
                (ForfeitReason.DISQUALIFIED, ForfeitReason.DISQUALIFIED.label),
            ],
            "now": clock.now(),
            "reauctions": auction.reauctions.all(),
            "terminal": auction.status in TERMINAL,
        },
    )


def _form_initial(request) -> dict:
    initial = {}
    asset = Asset.objects.filter(code=request.GET.get("asset", "")).first()
    if asset is not None:
        initial.update(
            asset=asset.code,
            title=_("Đấu giá quyền thuê %(n)s") % {"n": asset.name},
            code=f"DG-{asset.code}-{clock.today():%Y%m%d}",
        )
    return initial


# The auction's plan as the form gives it: the keywords auction_create and auction_update share.
PLAN_FIELDS = (
    "title",
    "starting_price",
    "step",
    "deposit",
    "dossier_fee",
    "lease_months",
    "session_start",
    "session_minutes",
    "registration_closes_at",
    "notice_1_on",
    "notice_2_on",
    "viewing_from",
    "viewing_to",
)


def _plan(data: dict) -> dict:
    return {name: data[name] for name in PLAN_FIELDS}


@login_required
def create(request):
    manager_or_404(request.user)
    form = AuctionForm(request.POST or None, initial=_form_initial(request))
    lease_id = query_id(request, "lease")
    lease = Lease.objects.filter(pk=lease_id).first() if lease_id else None
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        asset = Asset.objects.filter(code=d.pop("asset")).first()
        try:
            if asset is None:
                raise ServiceError(_("Không có tài sản mã này."), field="asset")
            auction = services.auction_create(
                actor=request.user,
                asset=asset,
                expiring_lease=lease,
                code=d["code"],
                **_plan(d),
            )
        except ServiceError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Đã lập dự thảo cuộc đấu giá %(c)s.") % {"c": auction.code})
            return redirect("auctions:detail", code=auction.code)
    return render(
        request,
        "auctions/form.html",
        {"form": form, "title": _("Lập cuộc đấu giá quyền thuê"), "lease": lease},
        status=400 if form.errors else 200,
    )


@login_required
def edit(request, code):
    manager_or_404(request.user)
    auction = selectors.auction_detail(user=request.user, code=code, action="change")
    if auction.status != Status.DRAFT:
        raise Http404
    fields = services.DRAFT_FIELDS
    initial = {f: getattr(auction, f) for f in fields if f in AuctionForm.base_fields}
    initial.update(code=auction.code, asset=auction.asset.code)
    initial["session_start"] = timezone.localtime(auction.session_start)
    initial["registration_closes_at"] = timezone.localtime(auction.registration_closes_at)
    form = AuctionForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = form.fields["asset"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.auction_update(
                actor=request.user,
                auction_id=auction.pk,
                **_plan(d),
            )
        except ServiceError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("auctions:detail", code=auction.code)
    return render(
        request,
        "auctions/form.html",
        {"form": form, "title": _("Sửa dự thảo %(c)s") % {"c": auction.code}},
        status=400 if form.errors else 200,
    )


@login_required
def statement(request):
    manager_or_404(request.user)
    form = StatementForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.deposit_statement_import(
                actor=request.user, file_name=upload.name, content=upload.read()
            )
        except ServiceError as exc:
            form_add_errors(form, exc)
    return render(
        request,
        "auctions/statement.html",
        {"form": form, "result": result},
        status=400 if form.errors else 200,
    )


@login_required
def record(request, code, fmt):
    if not is_reader(request.user) or fmt not in ("docx", "pdf", "md"):
        raise Http404
    auction = selectors.auction_detail(user=request.user, code=code)
    if auction.closed_at is None:
        raise Http404
    content, content_type = documents.render(auction, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{documents.filename(auction, fmt)}"'
    return response


@login_required
def log(request, code):
    if not is_reader(request.user):
        raise Http404
    auction = selectors.auction_detail(user=request.user, code=code)
    return render(
        request,
        "auctions/log.html",
        {
            "auction": auction,
            "events": selectors.system_log(user=request.user, auction=auction),
            "bids": auction.bids.select_related("registration").order_by("seq"),
            "verdict": chain.verify(auction),
        },
    )


@login_required
def rules(request):
    if not is_reader(request.user) and not is_bidder_user(request.user):
        raise Http404
    return render(request, "auctions/rules.html", {"packs": selectors.rule_packs()})
