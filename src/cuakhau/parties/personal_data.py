"""Drivers' personal data in the export and the erasure (core.personal_data; docs/personal-data.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cuakhau.core import personal_data

from .models import Driver
from .selectors import drivers_with_id_number


def _record(d: Driver) -> dict:
    return {
        "id": d.pk,
        "full_name": d.full_name,
        "id_kind": d.id_kind,
        "id_number": d.id_number,
        "nationality": d.nationality,
        "phone": d.phone,
        "employer": d.employer.name if d.employer_id else None,
        "is_active": d.is_active,
        "created_at": d.created_at.isoformat(),
    }


def find(*, id_number: str, user) -> list[dict]:
    rows = Driver.objects.none()
    if id_number:
        rows = drivers_with_id_number(Driver.objects.all(), id_number)
    if user is not None:
        rows = rows | Driver.objects.filter(user=user)
    return [_record(d) for d in rows.select_related("employer").distinct()]


def due(cutoff):
    # A driver no longer working (inactive) and untouched for the whole period; already anonymised
    # rows are left alone.
    return Driver.objects.filter(is_active=False, updated_at__lt=cutoff).exclude(
        full_name=personal_data.PLACEHOLDER
    )


def anonymise(driver: Driver) -> None:
    # The declarations that name the driver stay (legal records); only who the driver was goes.
    driver.full_name = personal_data.PLACEHOLDER
    driver.id_number = f"ANON{driver.pk}"
    driver.phone = ""
    driver.user = None
    driver.save()


def register() -> None:
    personal_data.register("parties.driver", label=_("Lái xe"), find=find, due=due, anonymise=anonymise)
