"""Incident reporters' contact details in the export and the erasure (core.personal_data)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cuakhau.core import personal_data

from .models import Incident


def find(*, id_number: str, user) -> list[dict]:
    # Reporters give no ID number: only a staff account's own reports are found.
    if user is None:
        return []
    return [
        {
            "tracking_code": i.tracking_code,
            "reported_at": i.reported_at.isoformat(),
            "reporter_name": i.reporter_name,
            "reporter_phone": i.reporter_phone,
            "status": i.status,
        }
        for i in Incident.objects.filter(reported_by=user).order_by("pk")
    ]


def due(cutoff):
    return (
        Incident.objects.filter(reported_at__lt=cutoff)
        .exclude(reporter_name="", reporter_phone="")
        .exclude(reporter_name=personal_data.PLACEHOLDER, reporter_phone="")
    )


def anonymise(incident: Incident) -> None:
    Incident.objects.filter(pk=incident.pk).update(
        reporter_name=personal_data.PLACEHOLDER if incident.reporter_name else "", reporter_phone=""
    )


def register() -> None:
    personal_data.register(
        "incidents.incident", label=_("Người phản ánh sự việc"), find=find, due=due, anonymise=anonymise
    )
