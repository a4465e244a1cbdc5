"""Dossier codes: <agency code>-<YYMMDD>-<daily number>, allocated without gaps from a counter row
locked in the dossier's own transaction."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from cuakhau.core import sequences

from .models import DossierCounter

# Placeholder in the official shape (agency code of the national list, date, daily number); the Board
# sets PROCEDURES_AGENCY_CODE to its own code.
DEFAULT_AGENCY_CODE = "000.00.00.H39"


def agency_code() -> str:
    return getattr(settings, "PROCEDURES_AGENCY_CODE", "") or DEFAULT_AGENCY_CODE


def allocate_code(day: dt.date) -> str:
    """The next dossier code of the day: <agency code>-<YYMMDD>-<4-digit daily number>. Must run inside
    the transaction that writes the dossier: the counter row stays locked until it ends, so a rollback
    gives the number back and two desks never share one."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_code must run inside the dossier's transaction")
    agency = agency_code()
    number = sequences.take_next(DossierCounter, key={"agency_code": agency, "day": day}, create=True)[
        "last_number"
    ]
    return f"{agency}-{day:%y%m%d}-{number:04d}"
