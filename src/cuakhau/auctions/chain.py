"""The per-auction bid chain. Each entry's hash is SHA-256 over a canonical JSON of the entry (auction
code, sequence, kind, bidder label, amount, round, the sequence it withdraws, the server time in UTC
with microseconds) and the previous entry's hash; the first links to the auction's genesis hash. The
auction row is locked while an entry is appended, so the chain is one line per auction, and no other
auction waits for it. The head is published with the result: a bid changed, removed or inserted later
breaks `verify` or no longer ends at the published head."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.utils import timezone


def genesis(code: str) -> str:
    return hashlib.sha256(f"cuakhau-auction:{code}".encode()).hexdigest()


def _utc(value: datetime.datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    *,
    code: str,
    seq: int,
    kind: str,
    label: str,
    amount: int,
    round: int,
    withdraws_seq: int | None,
    placed_at: datetime.datetime,
    prev_hash: str,
) -> str:
    data = {
        "v": 1,
        "auction": code,
        "seq": seq,
        "kind": kind,
        "label": label,
        "amount": amount,
        "round": round,
        "withdraws": withdraws_seq,
        "at": _utc(placed_at),
        "prev": prev_hash,
    }
    raw = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()


def hash_of(bid, code: str) -> str:
    return entry_hash(
        code=code,
        seq=bid.seq,
        kind=bid.kind,
        label=bid.registration.label,
        amount=bid.amount,
        round=bid.round,
        withdraws_seq=bid.withdraws_seq,
        placed_at=bid.placed_at,
        prev_hash=bid.prev_hash,
    )


@dataclass
class Verdict:
    ok: bool
    count: int
    head: str
    broken_at: int | None = None
    problem: str = ""


def verify(auction) -> Verdict:
    """Walk the auction's chain; report the first entry whose link or hash is wrong, and whether the
    chain ends at the head recorded on the auction (and published with the result)."""
    prev = genesis(auction.code)
    count = 0
    expected_seq = 1
    for bid in auction.bids.select_related("registration").order_by("seq"):
        if bid.seq != expected_seq:
            return Verdict(False, count, prev, bid.seq, "missing entry before this one")
        if bid.prev_hash != prev:
            return Verdict(False, count, prev, bid.seq, "link to the previous entry is broken")
        if hash_of(bid, auction.code) != bid.hash:
            return Verdict(False, count, prev, bid.seq, "entry altered: hash does not match")
        prev, count, expected_seq = bid.hash, count + 1, expected_seq + 1
    if auction.chain_head and auction.chain_head != prev:
        return Verdict(False, count, prev, None, "chain does not end at the recorded head")
    return Verdict(True, count, prev)
