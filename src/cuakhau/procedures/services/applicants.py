"""The applicant's personal data: the full ID or tax code is read only through here, each reading an
audit event."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import User
from cuakhau.core.service import service

from .. import permissions
from ..models import Dossier


@service
def dossier_reveal_applicant_id(*, actor: User, dossier: Dossier) -> str:
    """The applicant's full ID or tax code, for a user whose role needs it
    (permissions.may_reveal_applicant_id). Personal data (Decree 13/2023/ND-CP, art. 26-27): each
    reading is an audit event, which records who read whose number, never the number."""
    if not permissions.may_reveal_applicant_id(actor, dossier):
        raise ServiceError(
            _("Vai trò của bạn không được xem đầy đủ số giấy tờ của người nộp hồ sơ."),
            field="",
            code="forbidden",
            status=403,
        )
    audit_record(
        action="procedures.dossier.applicant_id_viewed",
        obj=dossier,
        actor=actor,
        after={"applicant_id_masked": dossier.masked_applicant_id},
    )
    return dossier.applicant_id
