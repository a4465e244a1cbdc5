"""Reads in core that are more than a `.get`."""

from __future__ import annotations


def is_demo_installation() -> bool:
    """Whether this installation is a demo (`cuakhau demo load` marked it): its documents are samples
    with no legal value and say so. One indexed read; documents ask it as they are produced."""
    from .models import Installation

    return Installation.objects.filter(pk=1, demo=True).exists()
