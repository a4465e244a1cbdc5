"""The catalogue: new versions of a procedure, in force from a moment on."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import User
from cuakhau.core.roles import Role
from cuakhau.core.vnformat import format_datetime

from ..models import (
    Procedure,
    ProcedureVersion,
)


@transaction.atomic
def procedure_version_publish(
    *, procedure: Procedure, valid_from: dt.datetime, actor: User | None = None, **fields
) -> ProcedureVersion:
    """Publish a new version of a procedure from a moment on; dossiers received before keep theirs."""
    if actor is not None and not (actor.is_superuser or actor.role in (Role.ADMIN, Role.DEPARTMENT_STAFF)):
        raise ServiceError(_("Chỉ phòng chuyên môn của Ban cập nhật danh mục thủ tục."), field="", status=403)
    last = procedure.versions.order_by("-number").first()
    if last is not None and valid_from <= last.valid_from:
        raise ServiceError(
            _("Phiên bản mới phải áp dụng sau phiên bản %(n)s (%(day)s).")
            % {"n": last.number, "day": format_datetime(last.valid_from)},
            field="valid_from",
        )
    base = {}
    if last is not None:
        base = {
            f.name: getattr(last, f.name)
            for f in ProcedureVersion._meta.concrete_fields
            if f.name not in ("id", "procedure", "number", "valid_from", "created_at")
        }
    base.update(fields)
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=(last.number + 1 if last else 1), valid_from=valid_from, **base
    )
    audit_record(
        action="procedures.version.publish",
        obj=version,
        after={
            "number": version.number,
            "deadline": version.deadline,
            "deadline_unit": version.deadline_unit,
        },
    )
    return version
