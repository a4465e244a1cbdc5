"""Tracking codes: what a reporter is given to follow a report without an account (VV-XXXX-XXXX)."""

from __future__ import annotations

import re
import secrets

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud over the phone


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"VV-{raw[:4]}-{raw[4:]}"


def normalise_tracking_code(raw: str) -> str:
    """The code as stored, from what a person typed (any case, spaces, O for 0); '' if not a code."""
    compact = re.sub(r"[^0-9A-Z]", "", (raw or "").upper())
    if compact.startswith("VV"):
        compact = compact[2:]
    compact = compact.replace("O", "0").replace("I", "1")
    if len(compact) != 8:
        return ""
    return f"VV-{compact[:4]}-{compact[4:]}"
