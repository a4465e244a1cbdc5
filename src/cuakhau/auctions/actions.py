"""The auction's workflow (core.actions): every status move of an auction is one Transition, taken by
the services through `WORKFLOW.step(...)`, which locks the row, checks the Board's right and the
status, and records the audit event with the step's legal basis (`step.facts`). A step whose outcome
the law decides inside the lock (a close with no bid, too few eligible bidders, a refusal) sets the
status itself (target None) and names its outcome (`step.audit`: unsuccessful, tie_round).

A registrant's eligibility is the registration's own workflow: admitted or rejected once the deposits
are checked. Every other write is registered here by name."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cuakhau.core.actions import Transition, Workflow, audit_actions
from cuakhau.core.permissions import CHANGE

from .models import TERMINAL, Auction, Registration, RegStatus, Status

S = Status


def _snap(obj) -> dict:
    return {"status": obj.status}


def _board_only(user, registration) -> bool:
    """An enterprise's users may change their own registration's dossier, never its eligibility."""
    from .permissions import is_manager

    return is_manager(user)


OPEN = frozenset(Status.values) - frozenset(TERMINAL)

WORKFLOW = Workflow(
    Auction,
    "auctions.auction",
    transitions=[
        Transition("approve", _("phê duyệt"), sources={S.DRAFT}, target=S.APPROVED, permission=CHANGE),
        Transition(
            "post",
            _("niêm yết, thông báo công khai"),
            sources={S.APPROVED},
            target=S.POSTED,
            permission=CHANGE,
        ),
        Transition(
            "registration_open",
            _("mở nhận đăng ký"),
            sources={S.POSTED},
            target=S.REGISTRATION_OPEN,
            permission=CHANGE,
        ),
        Transition(
            "registration_close",
            _("kết thúc nhận đăng ký"),
            sources={S.REGISTRATION_OPEN},
            target=None,  # registration closed, or unsuccessful without a registrant
            permission=CHANGE,
        ),
        Transition(
            "deposits_check",
            _("kiểm tra tiền đặt trước"),
            sources={S.REGISTRATION_CLOSED},
            target=S.DEPOSITS_CHECKED,
            permission=CHANGE,
        ),
        Transition(
            "bidders_fix",
            _("chốt người đủ điều kiện"),
            sources={S.DEPOSITS_CHECKED},
            target=None,  # bidders fixed, or unsuccessful with too few
            permission=CHANGE,
        ),
        Transition(
            "start", _("mở phiên trả giá"), sources={S.BIDDERS_FIXED}, target=S.LIVE, permission=CHANGE
        ),
        Transition(
            "close",
            _("kết thúc phiên"),
            sources={S.LIVE},
            target=None,  # closed with a winner, a further round for a tie, or unsuccessful
            permission=CHANGE,
            system=True,  # the clock closes a session that is due (task, live page)
        ),
        Transition(
            "winner_refuse",
            _("ghi người trúng từ chối kết quả"),
            sources={S.CLOSED},
            target=None,  # the runner-up is offered the win, or unsuccessful
            permission=CHANGE,
            style="danger",
        ),
        Transition(
            "runner_up",
            _("ghi trả lời của người trả giá liền kề"),
            sources={S.CLOSED},
            target=None,  # stays closed with the runner-up as winner, or unsuccessful
            permission=CHANGE,
        ),
        Transition(
            "record_sign",
            _("ký biên bản"),
            sources={S.CLOSED},
            target=None,  # record signed, or unsuccessful when the winner refuses to sign
            permission=CHANGE,
        ),
        Transition(
            "results_send",
            _("gửi kết quả và biên bản"),
            sources={S.RECORD_SIGNED},
            target=S.RESULTS_SENT,
            permission=CHANGE,
        ),
        Transition(
            "contract",
            _("ký hợp đồng thuê"),
            sources={S.RESULTS_SENT},
            target=S.CONTRACTED,
            permission=CHANGE,
        ),
        Transition(
            "suspend",
            _("tạm dừng (sự cố kỹ thuật)"),
            sources={S.BIDDERS_FIXED, S.LIVE},
            target=S.SUSPENDED,
            permission=CHANGE,
            style="danger",
        ),
        Transition(
            "reschedule",
            _("đặt lại giờ mở phiên"),
            sources={S.SUSPENDED},
            target=S.BIDDERS_FIXED,
            permission=CHANGE,
        ),
        Transition("cancel", _("hủy"), sources=OPEN, target=S.CANCELLED, permission=CHANGE, style="danger"),
        Transition(
            "reauction",
            _("lập cuộc đấu giá lại"),
            sources={S.UNSUCCESSFUL, S.CANCELLED},
            target=None,  # the failed auction keeps its status; the new one is a draft
            permission=CHANGE,
        ),
    ],
    snapshot=_snap,
)

ELIGIBILITY = Workflow(
    Registration,
    "auctions.registration",
    transitions=[
        Transition(
            "admit",
            _("xác nhận đủ điều kiện"),
            sources={RegStatus.SUBMITTED, RegStatus.ELIGIBLE, RegStatus.INELIGIBLE},
            target=RegStatus.ELIGIBLE,
            permission=CHANGE,
            guard=_board_only,
        ),
        Transition(
            "reject",
            _("xác nhận không đủ điều kiện"),
            sources={RegStatus.SUBMITTED, RegStatus.ELIGIBLE, RegStatus.INELIGIBLE},
            target=RegStatus.INELIGIBLE,
            permission=CHANGE,
            guard=_board_only,
            style="danger",
        ),
    ],
    snapshot=_snap,
)

audit_actions.register(
    "auctions",
    {
        "auctions.auction.create": _("lập cuộc đấu giá"),
        "auctions.auction.update": _("sửa dự thảo cuộc đấu giá"),
        "auctions.auction.unsuccessful": _("đấu giá không thành"),
        "auctions.auction.tie_round": _("vòng trả giá thêm khi bằng giá"),
        "auctions.auction.bid": _("trả giá"),
        "auctions.auction.bid_withdraw": _("rút lại giá đã trả"),
        "auctions.registration.submit": _("nộp hồ sơ tham gia đấu giá"),
        "auctions.registration.deposit_receive": _("ghi nhận tiền đặt trước, tiền hồ sơ"),
        "auctions.registration.deposit_refund": _("trả lại tiền đặt trước"),
        "auctions.registration.deposit_forfeit": _("không trả lại tiền đặt trước"),
        "auctions.depositentry.statement": _("đối chiếu sao kê tài khoản tiền đặt trước"),
        "auctions.rulepack.load": _("nạp bộ quy tắc đấu giá"),
    },
)

_RENAMED = {
    "auction.create": "auctions.auction.create",
    "auction.update": "auctions.auction.update",
    "auction.unsuccessful": "auctions.auction.unsuccessful",
    "auction.tie_round": "auctions.auction.tie_round",
    "auction.bid": "auctions.auction.bid",
    "auction.bid_withdraw": "auctions.auction.bid_withdraw",
    "auction.runner_up_accept": "auctions.auction.runner_up",
    "auction.registration_submit": "auctions.registration.submit",
    "auction.registration_decide": "auctions.registration.admit",
    "auction.deposit_receive": "auctions.registration.deposit_receive",
    "auction.deposit_refund": "auctions.registration.deposit_refund",
    "auction.deposit_forfeit": "auctions.registration.deposit_forfeit",
    "auction.deposit_statement": "auctions.depositentry.statement",
    "auction_rules.load": "auctions.rulepack.load",
}
audit_actions.register(
    "auctions",
    {},
    legacy={
        **_RENAMED,
        **{f"auction.{name}": f"auctions.auction.{name}" for name in WORKFLOW.transitions},
    },
)
