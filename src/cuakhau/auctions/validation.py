"""Checks and small helpers the auction services share that neither read nor write: money in whole
đồng, the rule pack an approved auction is bound to, the local day of a moment, random codes."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError

from .models import Auction, ForfeitReason, RulePack

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

FORFEIT_RULE = {
    ForfeitReason.NO_SHOW: "forfeit_no_show",
    ForfeitReason.DISQUALIFIED: "forfeit_disqualified",
    ForfeitReason.REFUSED_RECORD: "forfeit_refused_record",
    ForfeitReason.WITHDREW: "forfeit_withdrew",
    ForfeitReason.REFUSED_WIN: "forfeit_refused_win",
}


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def pack_of(auction: Auction) -> RulePack:
    if auction.rule_pack_id is None:
        raise ServiceError(_("Cuộc đấu giá chưa được phê duyệt."), field="status", status=409)
    return auction.rule_pack


def clean_money(value: Any, field: str, *, allow_zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or (value == 0 and not allow_zero):
        raise ServiceError(_("Số tiền phải là số đồng nguyên dương."), field=field)
    return value


def random_code(prefix: str, n: int = 8) -> str:
    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _i in range(n))
