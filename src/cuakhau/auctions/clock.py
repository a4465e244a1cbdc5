"""Server time, the only time of an auction (online bidding: the server's clock is the official one).
Every service reads `now()` here; tests and the demo shift it with `shift()` to play a session that the
law schedules weeks ahead (posting at least 15 days before), never by trusting a client's clock."""

from __future__ import annotations

import datetime

from django.utils import timezone

_offset = datetime.timedelta(0)


def now() -> datetime.datetime:
    return timezone.now() + _offset


def today() -> datetime.date:
    return timezone.localtime(now()).date()


def shift(delta: datetime.timedelta) -> None:
    global _offset
    _offset += delta


def reset() -> None:
    global _offset
    _offset = datetime.timedelta(0)
