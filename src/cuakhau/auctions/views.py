"""Auction pages. The Board runs each step from the auction's page (one POST per transition, each calling
its service); enterprise users register, pay by VietQR and bid on the live page, which polls the server
for the current best (htmx) and shows others only by label. Public notices and results need no sign-in.
Out of scope is 404."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.assets.models import Asset, Lease
from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError, form_add_errors
from cuakhau.parties.models import Enterprise

from . import chain, clock, documents, selectors, services
from .forms import AuctionForm, RegisterForm, StatementForm
from .models import TERMINAL, ForfeitReason, Registration, Status
from .permissions import is_bidder_user, is_manager, is_reader


def _visible_or_404(user):
    if not (is_reader(user) or is_bidder_user(user)):
        raise Http404


def _manager_or_404(user):
    if not is_manager(user):
        raise Http404


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


# --- lists and detail -------------------------------------------------------------------------------


@login_required
def index(request):
    _visible_or_404(request.user)
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
    _visible_or_404(request.user)
    auction = selectors.auction_detail(user=request.user, code=code)
    mine = selectors.my_registration(user=request.user, auction=auction)
    manager = is_manager(request.user)
    return render(
        request,
        "auctions/detail.html",
        {
            "auction": auction,
            "manager": manager,
            "reader": is_reader(request.user),
            "mine": mine,
            "qr": deposit_qr(mine) if mine and auction.status == Status.REGISTRATION_OPEN else None,
            "registrations": selectors.registrations_for(user=request.user, auction=auction),
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


@login_required
def create(request):
    _manager_or_404(request.user)
    form = AuctionForm(request.POST or None, initial=_form_initial(request))
    lease = Lease.objects.filter(pk=request.GET.get("lease") or 0).first()
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        asset = Asset.objects.filter(code=d.pop("asset")).first()
        try:
            if asset is None:
                raise ServiceError(_("Không có tài sản mã này."), field="asset")
            auction = services.auction_create(asset=asset, expiring_lease=lease, **d)
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
    _manager_or_404(request.user)
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
        data = {k: v for k, v in form.cleaned_data.items() if k in fields}
        try:
            services.auction_update(auction_id=auction.pk, data=data)
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


def _date(value: str, field: str) -> datetime.date:
    from cuakhau.core.vnformat import parse_date

    try:
        return parse_date(value)
    except (ValueError, TypeError) as exc:
        raise ServiceError(_("Ngày không hợp lệ."), field=field) from exc


def _datetime(value: str, field: str) -> datetime.datetime:
    for fmt in ("%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"):
        try:
            return timezone.make_aware(datetime.datetime.strptime(value.strip(), fmt))
        except (ValueError, AttributeError):
            continue
    raise ServiceError(_("Thời điểm không hợp lệ."), field=field)


def _int(value: str, field: str) -> int:
    try:
        return int(str(value).replace(".", "").replace(" ", ""))
    except (TypeError, ValueError) as exc:
        raise ServiceError(_("Cần một số đồng nguyên."), field=field) from exc


def _registration(auction, post) -> Registration:
    reg = auction.registrations.filter(pk=post.get("registration") or 0).first()
    if reg is None:
        raise ServiceError(_("Không có người đăng ký này."), field="registration")
    return reg


ACTIONS = {
    "approve": lambda a, p: services.auction_approve(
        auction_id=a.pk,
        decision_number=p.get("decision_number", ""),
        decision_date=_date(p.get("decision_date", ""), "decision_date"),
    ),
    "post": lambda a, p: services.auction_post(auction_id=a.pk),
    "registration_open": lambda a, p: services.auction_registration_open(auction_id=a.pk),
    "deposit_receive": lambda a, p: services.deposit_receive(
        registration_id=_registration(a, p).pk,
        amount=_int(p.get("amount"), "amount"),
        reference=p.get("reference", ""),
    ),
    "registration_close": lambda a, p: services.auction_registration_close(auction_id=a.pk),
    "deposits_check": lambda a, p: services.auction_deposits_check(auction_id=a.pk),
    "decide": lambda a, p: services.registration_decide(
        registration_id=_registration(a, p).pk, eligible=p.get("eligible") == "1", note=p.get("note", "")
    ),
    "bidders_fix": lambda a, p: services.auction_bidders_fix(auction_id=a.pk),
    "start": lambda a, p: services.auction_start(auction_id=a.pk),
    "close": lambda a, p: services.auction_close(auction_id=a.pk),
    "winner_refuse": lambda a, p: services.auction_winner_refuse(auction_id=a.pk),
    "runner_up": lambda a, p: services.auction_runner_up_answer(
        auction_id=a.pk, accept=p.get("accept") == "1"
    ),
    "record_sign": lambda a, p: services.auction_record_sign(
        auction_id=a.pk,
        record_number=p.get("record_number", ""),
        winner_signs=p.get("winner_signs", "1") == "1",
    ),
    "results_send": lambda a, p: services.auction_results_send(auction_id=a.pk),
    "contract": lambda a, p: services.auction_contract_sign(
        auction_id=a.pk,
        number=p.get("number", ""),
        signed_on=_date(p.get("signed_on", ""), "signed_on"),
        starts_on=_date(p.get("starts_on", ""), "starts_on"),
    ),
    "refund": lambda a, p: services.deposit_refund(
        registration_id=_registration(a, p).pk, reference=p.get("reference", "")
    ),
    "forfeit": lambda a, p: services.deposit_forfeit(
        registration_id=_registration(a, p).pk, reason=p.get("reason", "")
    ),
    "suspend": lambda a, p: services.auction_suspend(auction_id=a.pk, reason=p.get("reason", "")),
    "reschedule": lambda a, p: services.auction_reschedule(
        auction_id=a.pk, session_start=_datetime(p.get("session_start", ""), "session_start")
    ),
    "cancel": lambda a, p: services.auction_cancel(auction_id=a.pk, reason=p.get("reason", "")),
    "reauction": lambda a, p: services.auction_reauction(
        auction_id=a.pk,
        code=p.get("code", ""),
        session_start=_datetime(p.get("session_start", ""), "session_start"),
        registration_closes_at=_datetime(p.get("registration_closes_at", ""), "registration_closes_at"),
        notice_1_on=_date(p.get("notice_1_on", ""), "notice_1_on"),
        notice_2_on=_date(p.get("notice_2_on", ""), "notice_2_on"),
        viewing_from=_date(p.get("viewing_from", ""), "viewing_from"),
        viewing_to=_date(p.get("viewing_to", ""), "viewing_to"),
    ),
}


@login_required
@require_POST
def act(request, code, action):
    _manager_or_404(request.user)
    auction = selectors.auction_detail(user=request.user, code=code, action="change")
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    try:
        result = handler(auction, request.POST)
    except ServiceError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
        return redirect("auctions:detail", code=auction.code)
    messages.success(request, _("Đã thực hiện: %(a)s.") % {"a": action})
    if action == "reauction":
        return redirect("auctions:detail", code=result.code)
    return redirect("auctions:detail", code=auction.code)


@login_required
def register(request, code):
    if not is_bidder_user(request.user):
        raise Http404
    auction = selectors.auction_detail(user=request.user, code=code)
    enterprise = Enterprise.objects.filter(unit_id=request.user.unit_id).first()
    if enterprise is None:
        raise Http404
    form = RegisterForm(
        request.POST or None, request.FILES or None, initial={"representative": request.user.display_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_submit(
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


# --- live ----------------------------------------------------------------------------------------


def _close_if_due(auction):
    if auction.status == Status.LIVE and auction.ends_at and clock.now() >= auction.ends_at:
        with acting_as(None, channel="system"):
            try:
                services.auction_close(auction_id=auction.pk)
            except ServiceError:
                pass
        auction.refresh_from_db()


@login_required
def live(request, code):
    _visible_or_404(request.user)
    auction = selectors.auction_detail(user=request.user, code=code)
    _close_if_due(auction)
    state = selectors.live_state(user=request.user, auction=auction)
    return render(request, "auctions/live.html", {**state, "reader": is_reader(request.user)})


@login_required
def live_state(request, code):
    _visible_or_404(request.user)
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
            auction_id=auction.pk, registration_id=mine.pk, amount=_int(request.POST.get("amount"), "amount")
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
        services.bid_withdraw(auction_id=auction.pk, registration_id=mine.pk)
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


@login_required
def statement(request):
    _manager_or_404(request.user)
    form = StatementForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.deposit_statement_import(file_name=upload.name, content=upload.read())
        except ServiceError as exc:
            form_add_errors(form, exc)
    return render(
        request,
        "auctions/statement.html",
        {"form": form, "result": result},
        status=400 if form.errors else 200,
    )


# --- public ----------------------------------------------------------------------------------------


def public_notices(request):
    return render(request, "auctions/public_notices.html", {"auctions": selectors.public_notices()})


def public_results(request):
    return render(request, "auctions/public_results.html", {"auctions": selectors.public_results()})


def public_detail(request, code):
    auction = selectors.public_auction(code)
    if auction is None:
        raise Http404
    return render(
        request,
        "auctions/public_detail.html",
        {
            "auction": auction,
            "published": auction.chain_published_at is not None,
            "bids": auction.bids.select_related("registration").order_by("seq")
            if auction.chain_published_at
            else [],
            "detail_url": reverse("auctions:detail", args=[auction.code]),
        },
    )
