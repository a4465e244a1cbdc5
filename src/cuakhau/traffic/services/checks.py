"""Agency checks on one declaration: each agency's officer records passed or held, with a note."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import NotFound, ServiceError

from ..models import AgencyCheck, CheckStatus, Status
from ..permissions import RECORD

OPEN_FOR_CHECKS = (Status.APPROVED, Status.CALLED, Status.IN_YARD)


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def check_record(*, actor, check: AgencyCheck, status: str, note: str = "") -> AgencyCheck:
    """Record an agency's result on a trip: passed, or held with the reason, which the enterprise and
    the driver see and which stops the vehicle from crossing until the agency passes it. Only an
    officer of that agency (its unit's agency kind) at the declaration's gate records it; the result
    may be changed (a re-inspection) until the vehicle crosses."""
    queryset = AgencyCheck.objects.all()
    if actor is not None:
        queryset = queryset.for_user(actor, RECORD)
    found = queryset.select_for_update(of=("self",)).filter(pk=check.pk).first()
    if found is None:
        raise NotFound(_("Không tìm thấy yêu cầu kiểm tra hoặc bạn không có quyền ghi kết quả."))
    check = found
    declaration = check.declaration
    if declaration.status not in OPEN_FOR_CHECKS:
        raise ServiceError(
            _(
                "Tờ khai %(n)s đang ở trạng thái “%(s)s”: chỉ ghi kết quả kiểm tra khi xe đã được duyệt và chưa qua "
                "cửa khẩu."
            )
            % {"n": declaration.number, "s": declaration.get_status_display()},
            field="status",
            code="illegal_transition",
            status=409,
        )
    if status not in (CheckStatus.PASSED, CheckStatus.HELD):
        raise ServiceError(_("Kết quả phải là đạt hoặc tạm giữ."), field="status")
    note = " ".join((note or "").split())
    if status == CheckStatus.HELD and not note:
        raise ServiceError(
            _("Tạm giữ phải ghi lý do: doanh nghiệp và lái xe sẽ thấy lý do này."), field="note"
        )
    before = snapshot(check, ["status", "note", "decided_by", "decided_at"])
    check.status = status
    check.note = note[:500]
    check.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    check.decided_unit = getattr(actor, "unit", None) if check.decided_by else None
    check.decided_at = timezone.now()
    check.save()
    audit_record(
        actor=_actor(actor),
        action=f"check.{'pass' if status == CheckStatus.PASSED else 'hold'}",
        obj=check,
        object_repr=f"{declaration.number} {check}",
        before=before,
        after=snapshot(check, ["declaration", "agency_kind", "status", "note", "decided_by", "decided_at"])
        | {"declaration_number": declaration.number},
    )
    return check
