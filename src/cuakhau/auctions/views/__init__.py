"""Auction pages. The Board runs each step from the auction's page (one POST per transition, each calling
its service); enterprise users register, pay by VietQR and bid on the live page, which polls the server
for the current best (htmx) and shows others only by label. Public notices and results need no sign-in.
Out of scope is 404.

One module a subject: board (lists, the auction's page, drafting, the statement, record and log), steps
(one POST per transition), bidding (registration and the live page), public; base holds what they share.
"""

from .base import manager_or_404, parse_dong, visible_or_404
from .bidding import bid, live, live_state, register, withdraw
from .board import create, deposit_qr, detail, edit, index, log, record, rules, statement
from .public import public_detail, public_notices, public_results
from .steps import ACTIONS, act

__all__ = [
    "ACTIONS",
    "act",
    "bid",
    "create",
    "deposit_qr",
    "detail",
    "edit",
    "index",
    "live",
    "live_state",
    "log",
    "manager_or_404",
    "parse_dong",
    "public_detail",
    "public_notices",
    "public_results",
    "record",
    "register",
    "rules",
    "statement",
    "visible_or_404",
    "withdraw",
]
