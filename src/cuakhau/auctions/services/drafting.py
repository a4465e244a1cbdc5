"""Drafting, approval, posting and the opening of registration (Law 01/2016 arts. 35-39, 57;
Law 15/2017/QH14 art. 57)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from cuakhau.core import policy
from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.permissions import CHANGE
from cuakhau.core.service import service

from .. import clock
from ..actions import WORKFLOW
from ..models import (
    TERMINAL,
    Auction,
    Status,
)
from ..rules import check_calendar, check_plan, pack_in_force, refuse
from ..validation import clean_money, pack_of

DRAFT_FIELDS = [
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
    "method",
    "form",
]


@service
def auction_create(
    *,
    actor,
    code: str,
    title: str,
    asset,
    starting_price: int,
    step: int,
    deposit: int,
    session_start: datetime.datetime,
    registration_closes_at: datetime.datetime,
    notice_1_on: datetime.date,
    notice_2_on: datetime.date,
    viewing_from: datetime.date,
    viewing_to: datetime.date,
    session_minutes: int = 30,
    dossier_fee: int = 0,
    lease_months: int = 60,
    expiring_lease=None,
    replaces: Auction | None = None,
) -> Auction:
    """A draft auction of the right to lease an asset (Law on Management and Use of Public Assets
    15/2017/QH14 art. 57: leasing a public unit's premises goes through auction). Rules are checked at
    approval, against the pack in force on the decision date."""
    policy.require(actor, "auctions.manage")
    code = (code or "").strip()
    if not code:
        raise ServiceError(_("Cần ghi mã cuộc đấu giá."), field="code")
    if Auction.objects.filter(code=code).exists():
        raise ServiceError(_("Mã cuộc đấu giá %(c)s đã có.") % {"c": code}, field="code")
    if not (title or "").strip():
        raise ServiceError(_("Cần ghi tên cuộc đấu giá."), field="title")
    clean_money(starting_price, "starting_price")
    clean_money(step, "step")
    clean_money(deposit, "deposit")
    clean_money(dossier_fee, "dossier_fee", allow_zero=True)
    busy = Auction.objects.filter(asset=asset).exclude(status__in=list(TERMINAL)).first()
    if busy is not None:
        raise ServiceError(
            _("Tài sản đang có cuộc đấu giá %(c)s chưa kết thúc.") % {"c": busy.code}, field="asset"
        )
    auction = Auction.objects.create(
        code=code,
        title=title.strip(),
        asset=asset,
        replaces=replaces,
        expiring_lease=expiring_lease,
        starting_price=starting_price,
        step=step,
        deposit=deposit,
        dossier_fee=dossier_fee,
        lease_months=lease_months,
        session_start=session_start,
        session_minutes=session_minutes,
        registration_closes_at=registration_closes_at,
        notice_1_on=notice_1_on,
        notice_2_on=notice_2_on,
        viewing_from=viewing_from,
        viewing_to=viewing_to,
        created_by=actor,
    )
    audit_record(
        action="auctions.auction.create",
        obj=auction,
        after={**snapshot(auction), "legal_basis": "Luật 15/2017/QH14, Điều 57"},
        actor=actor,
    )
    return auction


@service
def auction_update(
    *,
    actor,
    auction_id: int,
    title: str,
    starting_price: int,
    step: int,
    deposit: int,
    dossier_fee: int,
    lease_months: int,
    session_start: datetime.datetime,
    session_minutes: int,
    registration_closes_at: datetime.datetime,
    notice_1_on: datetime.date,
    notice_2_on: datetime.date,
    viewing_from: datetime.date,
    viewing_to: datetime.date,
    method: str | None = None,
    form: str | None = None,
) -> Auction:
    """Change a draft (only a draft: after approval the plan is the one the decision approved)."""
    auction = Auction.objects.for_user(actor, CHANGE).select_for_update().filter(pk=auction_id).first()
    if auction is None:
        raise NotFound(_("Không có cuộc đấu giá này."), field="auction")
    if auction.status != Status.DRAFT:
        raise ServiceError(
            _("Cuộc đấu giá đang ở bước “%(s)s”; bước này không làm được lúc này.")
            % {"s": auction.get_status_display()},
            field="status",
            code="wrong_state",
            status=409,
        )
    if not (title or "").strip():
        raise ServiceError(_("Cần ghi tên cuộc đấu giá."), field="title")
    for name, value in (("starting_price", starting_price), ("step", step), ("deposit", deposit)):
        clean_money(value, name)
    clean_money(dossier_fee, "dossier_fee", allow_zero=True)
    before = snapshot(auction, DRAFT_FIELDS)
    auction.title = title.strip()
    auction.starting_price, auction.step, auction.deposit = starting_price, step, deposit
    auction.dossier_fee, auction.lease_months = dossier_fee, lease_months
    auction.session_start, auction.session_minutes = session_start, session_minutes
    auction.registration_closes_at = registration_closes_at
    auction.notice_1_on, auction.notice_2_on = notice_1_on, notice_2_on
    auction.viewing_from, auction.viewing_to = viewing_from, viewing_to
    if method is not None:
        auction.method = method
    if form is not None:
        auction.form = form
    auction.save()
    audit_record(
        action="auctions.auction.update",
        obj=auction,
        before=before,
        after=snapshot(auction, DRAFT_FIELDS),
        actor=actor,
    )
    return auction


@service
def auction_approve(*, actor, auction_id: int, decision_number: str, decision_date: datetime.date) -> Auction:
    """Approve the auction by decision: starting price, step, deposit, schedule and rules, checked
    against the rule pack in force on the decision date, which is then fixed for this auction
    (deposit: Law 01/2016 art. 39.1; ascending only for state assets: art. 40.2; online bidding time;
    posting 15 days for real estate: art. 35.1(b); notices: art. 57; viewing: art. 36; registration: art. 38)."""
    with WORKFLOW.step(actor, _auction(auction_id), "approve") as step:
        auction = step.obj
        if not (decision_number or "").strip():
            raise ServiceError(_("Cần ghi số quyết định phê duyệt."), field="decision_number")
        pack = pack_in_force(decision_date)
        check_plan(pack, auction)
        auction.rule_pack = pack
        auction.decision_number = decision_number.strip()
        auction.decision_date = decision_date
        auction.approved_by = actor
        auction.approved_at = clock.now()
        step.facts.update(legal_basis=pack.name, rule_pack=pack.code, decision=auction.decision_number)
    return step.obj


@service
def auction_post(*, actor, auction_id: int) -> Auction:
    """Post the notice of the auction (Law 01/2016 art. 35.1(b): real estate at least 15 days before
    the session; art. 57: public notice twice, 2 working days apart)."""
    with WORKFLOW.step(actor, _auction(auction_id), "post") as step:
        pack = pack_of(step.obj)
        check_calendar(pack, step.obj, posted_on=clock.today())
        step.obj.posted_at = clock.now()
        step.facts["legal_basis"] = pack.cite("posting_min_days_real_estate")
    return step.obj


@service
def auction_registration_open(*, actor, auction_id: int) -> Auction:
    """Open registration: continuously from posting until the close (Law 01/2016 art. 38.1)."""
    with WORKFLOW.step(actor, _auction(auction_id), "registration_open") as step:
        pack = pack_of(step.obj)
        if clock.now() >= step.obj.registration_closes_at:
            raise refuse(
                pack,
                "registration_close_days_before",
                _("Đã quá hạn nhận đăng ký."),
                "registration_closes_at",
            )
        step.obj.registration_opened_at = clock.now()
        step.facts["legal_basis"] = pack.cite("registration_close_days_before")
    return step.obj


def _auction(auction_id: int) -> Auction:
    """The auction a step is asked for (the step locks it and checks the actor's right to it)."""
    auction = Auction.objects.filter(pk=auction_id).first()
    if auction is None:
        raise NotFound(_("Không có cuộc đấu giá này."), field="auction")
    return auction
