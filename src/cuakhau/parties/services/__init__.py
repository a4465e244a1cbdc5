"""Writes to the parties register. Each function is one service (core.service): it takes the acting
user (`actor`, None for the system), checks its permission, runs in one transaction and writes one
audit event; bad input raises ServiceError naming the field, and nothing is changed.

A driver's identity document number never enters the audit log: events carry the masked form and
whether it changed.

One module a subject: enterprises (with customs-agency mandates), vehicles, drivers; parties.validation
holds the shared checks. Import from here: `from cuakhau.parties.services import enterprise_register`."""

from ..validation import MAX_TONNAGE, normalise_tax_code
from .drivers import DRIVER_FIELDS, driver_register, driver_reveal_id, driver_update
from .enterprises import (
    ENTERPRISE_FIELDS,
    enterprise_register,
    enterprise_update,
    mandate_grant,
    mandate_revoke,
)
from .vehicles import VEHICLE_FIELDS, vehicle_register, vehicle_update

__all__ = [
    "DRIVER_FIELDS",
    "ENTERPRISE_FIELDS",
    "MAX_TONNAGE",
    "VEHICLE_FIELDS",
    "driver_register",
    "driver_reveal_id",
    "driver_update",
    "enterprise_register",
    "enterprise_update",
    "mandate_grant",
    "mandate_revoke",
    "normalise_tax_code",  # other apps read tax codes with it (parties.validation)
    "vehicle_register",
    "vehicle_update",
]
