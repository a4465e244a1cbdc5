"""Dossier applicants' personal data in the export and the erasure (core.personal_data)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cuakhau.core import personal_data
from cuakhau.core.sealed import index_candidates

from .models import Dossier, Status

CLOSED = [Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED]


def _record(d: Dossier) -> dict:
    return {
        "code": d.code,
        "status": d.status,
        "applicant_name": d.applicant_name,
        "applicant_id": d.applicant_id,
        "applicant_email": d.applicant_email,
        "applicant_phone": d.applicant_phone,
        "address": d.address,
        "subject": d.subject,
        "submitted_at": d.submitted_at.isoformat(),
    }


def find(*, id_number: str, user) -> list[dict]:
    rows = Dossier.objects.none()
    if id_number:
        rows = Dossier.objects.filter(applicant_id_index__in=index_candidates(id_number))
    if user is not None:
        rows = rows | Dossier.objects.filter(submitted_by=user)
    return [_record(d) for d in rows.distinct().order_by("pk")]


def due(cutoff):
    # A closed dossier, its retention counted from its last change; the dossier, its code, its
    # procedure, dates and results stay (records of the administration), the applicant goes.
    return Dossier.objects.filter(status__in=CLOSED, updated_at__lt=cutoff).exclude(
        applicant_name=personal_data.PLACEHOLDER
    )


def anonymise(dossier: Dossier) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(
        applicant_name=personal_data.PLACEHOLDER,
        applicant_email="",
        applicant_phone="",
        address="",
    )
    dossier.refresh_from_db()
    dossier.applicant_id = ""
    dossier.save(update_fields=["applicant_id", "applicant_id_index"])


def register() -> None:
    personal_data.register(
        "procedures.dossier", label=_("Hồ sơ thủ tục hành chính"), find=find, due=due, anonymise=anonymise
    )
