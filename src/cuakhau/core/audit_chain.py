"""Sealing audit events into a hash chain, and verifying it. (Filled in by the audit work.)"""


def seal_pending() -> int:
    return 0
