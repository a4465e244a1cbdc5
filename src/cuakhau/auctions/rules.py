"""The rule packs: loading them from data/rule_packs.json, finding the one in force, and the checks an
auction must pass against it. Every refusal names the article from the pack, so an amendment changes
the message with the number."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError
from cuakhau.core.workcal import add_working_days

from .models import RulePack

DATA = Path(__file__).resolve().parent / "data" / "rule_packs.json"


def read_packs(path: Path = DATA) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    packs = {p["code"]: p for p in data["packs"]}
    out = []
    for p in data["packs"]:
        rules = dict(packs[p["inherits"]]["rules"]) if p.get("inherits") else {}
        rules.update(p["rules"])
        out.append({**p, "rules": rules})
    return out


def load_rule_packs() -> str:
    """Reference loader: the packs that are missing, loaded by the system (services.rule_packs_load).
    A batch: `cuakhau reference load` runs each loader inside its own transaction."""
    from cuakhau.core.service import batch

    from .services.packs import rule_packs_load

    with batch():
        return rule_packs_load(actor=None)


def pack_in_force(day: datetime.date) -> RulePack:
    pack = RulePack.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if pack is None:
        raise ServiceError(
            _("Chưa có bộ quy tắc đấu giá có hiệu lực vào ngày %(d)s.") % {"d": f"{day:%d/%m/%Y}"},
            field="decision_date",
        )
    return pack


def refuse(pack: RulePack, key: str, message: str, field: str = "") -> ServiceError:
    """A refusal that names the rule's article."""
    return ServiceError(f"{message} ({pack.cite(key)})", field=field, code=key)


def deposit_range(pack: RulePack, asset) -> tuple[str, dict]:
    """The deposit bounds for this asset: land plots follow the land-use-right bounds where the pack
    has them (2025 pack), everything else the general bounds."""
    if asset.kind == "land_plot" and "deposit_percent_land" in pack.rules:
        return "deposit_percent_land", pack.value("deposit_percent_land")
    return "deposit_percent", pack.value("deposit_percent")


def check_plan(pack: RulePack, auction) -> None:
    """What approval checks: method, form, deposit, bidding time, and the calendar (posting, notices,
    viewing, registration) against the session date."""
    if auction.method not in pack.value("methods_state_assets"):
        raise refuse(
            pack,
            "methods_state_assets",
            _("Tài sản công chỉ đấu giá theo phương thức trả giá lên."),
            "method",
        )
    if auction.form not in pack.value("forms"):
        raise refuse(pack, "forms", _("Hình thức đấu giá không có trong luật."), "form")
    key, bounds = deposit_range(pack, auction.asset)
    low = auction.starting_price * bounds["min"]
    high = auction.starting_price * bounds["max"]
    if not low <= auction.deposit * 100 <= high:
        raise refuse(
            pack,
            key,
            _("Tiền đặt trước phải từ %(min)s%% đến %(max)s%% giá khởi điểm (đang là %(pct)s%%).")
            % {
                "min": bounds["min"],
                "max": bounds["max"],
                "pct": _pct(auction.deposit, auction.starting_price),
            },
            "deposit",
        )
    if auction.step <= 0:
        raise refuse(pack, "step_rule", _("Bước giá phải được công bố trước và lớn hơn 0."), "step")
    if auction.session_minutes < pack.value("online_min_minutes"):
        raise refuse(
            pack,
            "online_min_minutes",
            _("Thời gian trả giá trực tuyến ít nhất %(n)s phút.") % {"n": pack.value("online_min_minutes")},
            "session_minutes",
        )
    check_calendar(pack, auction, posted_on=auction.notice_1_on)


def check_calendar(pack: RulePack, auction, *, posted_on: datetime.date) -> None:
    from django.utils import timezone

    session_day = timezone.localtime(auction.session_start).date()
    days = pack.value("posting_min_days_real_estate")
    if (session_day - posted_on).days < days:
        raise refuse(
            pack,
            "posting_min_days_real_estate",
            _(
                "Bất động sản phải niêm yết ít nhất %(n)s ngày trước ngày mở phiên (niêm yết %(p)s, phiên %(s)s)."
            )
            % {"n": days, "p": f"{posted_on:%d/%m/%Y}", "s": f"{session_day:%d/%m/%Y}"},
            "session_start",
        )
    gap = pack.value("notice_gap_working_days")
    if auction.notice_2_on < add_working_days(auction.notice_1_on, gap):
        raise refuse(
            pack,
            "notice_gap_working_days",
            _("Thông báo công khai lần 2 phải cách lần 1 ít nhất %(n)s ngày làm việc.") % {"n": gap},
            "notice_2_on",
        )
    if auction.notice_2_on >= session_day:
        raise refuse(pack, "notice_count", _("Hai lần thông báo phải trước ngày mở phiên."), "notice_2_on")
    viewing = (auction.viewing_to - auction.viewing_from).days + 1
    need = pack.value("viewing_min_consecutive_days")
    if viewing < need or auction.viewing_to >= session_day:
        raise refuse(
            pack,
            "viewing_min_consecutive_days",
            _("Cho xem tài sản ít nhất %(n)s ngày liên tiếp trước ngày mở phiên.") % {"n": need},
            "viewing_to",
        )
    before = pack.value("registration_close_days_before")
    close_day = timezone.localtime(auction.registration_closes_at).date()
    if (session_day - close_day).days < before:
        raise refuse(
            pack,
            "registration_close_days_before",
            _("Nhận đăng ký đến trước ngày mở phiên %(n)s ngày.") % {"n": before},
            "registration_closes_at",
        )


def _pct(part: int, whole: int) -> str:
    from decimal import Decimal

    from cuakhau.core.l10n import format_number

    if not whole:
        return "0"
    return format_number((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01")).normalize())
