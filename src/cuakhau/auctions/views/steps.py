"""The Board runs each step from the auction's page: one POST per transition, each calling its
service."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core.errors import ServiceError

from .. import selectors, services
from ..models import Registration
from .base import manager_or_404, parse_dong


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


def _registration(auction, post) -> Registration:
    raw = (post.get("registration") or "").strip()
    reg = auction.registrations.filter(pk=int(raw)).first() if raw.isdigit() else None
    if reg is None:
        raise ServiceError(_("Không có người đăng ký này."), field="registration")
    return reg


ACTIONS = {
    "approve": lambda u, a, p: services.auction_approve(
        actor=u,
        auction_id=a.pk,
        decision_number=p.get("decision_number", ""),
        decision_date=_date(p.get("decision_date", ""), "decision_date"),
    ),
    "post": lambda u, a, p: services.auction_post(actor=u, auction_id=a.pk),
    "registration_open": lambda u, a, p: services.auction_registration_open(actor=u, auction_id=a.pk),
    "deposit_receive": lambda u, a, p: services.deposit_receive(
        actor=u,
        registration_id=_registration(a, p).pk,
        amount=parse_dong(p.get("amount"), "amount", _("Số tiền")),
        reference=p.get("reference", ""),
    ),
    "registration_close": lambda u, a, p: services.auction_registration_close(actor=u, auction_id=a.pk),
    "deposits_check": lambda u, a, p: services.auction_deposits_check(actor=u, auction_id=a.pk),
    "decide": lambda u, a, p: services.registration_decide(
        actor=u,
        registration_id=_registration(a, p).pk,
        eligible=p.get("eligible") == "1",
        note=p.get("note", ""),
    ),
    "bidders_fix": lambda u, a, p: services.auction_bidders_fix(actor=u, auction_id=a.pk),
    "start": lambda u, a, p: services.auction_start(actor=u, auction_id=a.pk),
    "close": lambda u, a, p: services.auction_close(actor=u, auction_id=a.pk),
    "winner_refuse": lambda u, a, p: services.auction_winner_refuse(actor=u, auction_id=a.pk),
    "runner_up": lambda u, a, p: services.auction_runner_up_answer(
        actor=u, auction_id=a.pk, accept=p.get("accept") == "1"
    ),
    "record_sign": lambda u, a, p: services.auction_record_sign(
        actor=u,
        auction_id=a.pk,
        record_number=p.get("record_number", ""),
        winner_signs=p.get("winner_signs", "1") == "1",
    ),
    "results_send": lambda u, a, p: services.auction_results_send(actor=u, auction_id=a.pk),
    "contract": lambda u, a, p: services.auction_contract_sign(
        actor=u,
        auction_id=a.pk,
        number=p.get("number", ""),
        signed_on=_date(p.get("signed_on", ""), "signed_on"),
        starts_on=_date(p.get("starts_on", ""), "starts_on"),
    ),
    "refund": lambda u, a, p: services.deposit_refund(
        actor=u, registration_id=_registration(a, p).pk, reference=p.get("reference", "")
    ),
    "forfeit": lambda u, a, p: services.deposit_forfeit(
        actor=u, registration_id=_registration(a, p).pk, reason=p.get("reason", "")
    ),
    "suspend": lambda u, a, p: services.auction_suspend(actor=u, auction_id=a.pk, reason=p.get("reason", "")),
    "reschedule": lambda u, a, p: services.auction_reschedule(
        actor=u, auction_id=a.pk, session_start=_datetime(p.get("session_start", ""), "session_start")
    ),
    "cancel": lambda u, a, p: services.auction_cancel(actor=u, auction_id=a.pk, reason=p.get("reason", "")),
    "reauction": lambda u, a, p: services.auction_reauction(
        actor=u,
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


def _done_label(action: str, post) -> str:
    """What the person did, in the words of the button they pressed (the success message)."""
    yes = {
        "decide": post.get("eligible") == "1",
        "runner_up": post.get("accept") == "1",
        "record_sign": post.get("winner_signs", "1") == "1",
    }
    labels = {
        "approve": _("Phê duyệt"),
        "post": _("Niêm yết, thông báo công khai"),
        "registration_open": _("Mở nhận đăng ký"),
        "deposit_receive": _("Ghi nhận tiền"),
        "registration_close": _("Kết thúc nhận đăng ký"),
        "deposits_check": _("Kiểm tra tiền đặt trước"),
        "decide": _("Đủ điều kiện") if yes["decide"] else _("Không đủ"),
        "bidders_fix": _("Chốt người đủ điều kiện"),
        "start": _("Mở phiên trả giá"),
        "close": _("Kết thúc phiên (khi hết giờ)"),
        "winner_refuse": _("Người trúng từ chối kết quả"),
        "runner_up": _("Người liền kề đồng ý") if yes["runner_up"] else _("Người liền kề không đồng ý"),
        "record_sign": _("Ký biên bản, công bố mã băm")
        if yes["record_sign"]
        else _("Người trúng từ chối ký"),
        "results_send": _("Gửi kết quả và biên bản"),
        "contract": _("Ký hợp đồng thuê"),
        "refund": _("Trả lại tiền đặt trước"),
        "forfeit": _("Không trả lại"),
        "suspend": _("Tạm dừng (sự cố kỹ thuật)"),
        "reschedule": _("Đặt lại giờ mở phiên"),
        "cancel": _("Hủy"),
        "reauction": _("Lập cuộc đấu giá lại"),
    }
    return str(labels.get(action, action))


@login_required
@require_POST
def act(request, code, action):
    manager_or_404(request.user)
    auction = selectors.auction_detail(user=request.user, code=code, action="change")
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    try:
        result = handler(request.user, auction, request.POST)
    except ServiceError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
        return redirect("auctions:detail", code=auction.code)
    messages.success(request, _("Đã thực hiện: %(a)s.") % {"a": _done_label(action, request.POST)})
    if action == "reauction":
        return redirect("auctions:detail", code=result.code)
    return redirect("auctions:detail", code=auction.code)
