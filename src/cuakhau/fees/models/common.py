"""What the fee records share: who sees them (the scope lives in fees.permissions)."""

from __future__ import annotations

from ..permissions import fee_scope

__all__ = ["fee_scope"]
