"""Agency checks on one declaration: each agency's officer records passed or held, with a note."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError
from cuakhau.core.service import service

from ..actions import AGENCY_CHECK
from ..models import AgencyCheck, CheckStatus, Status

OPEN_FOR_CHECKS = (Status.APPROVED, Status.CALLED, Status.IN_YARD)
_STEP = {CheckStatus.PASSED: "pass", CheckStatus.HELD: "hold"}


@service
def check_record(*, actor, check: AgencyCheck, status: str, note: str = "") -> AgencyCheck:
    """Record an agency's result on a trip: passed, or held with the reason, which the enterprise and
    the driver see and which stops the vehicle from crossing until the agency passes it. Only an
    officer of that agency (its unit's agency kind) at the declaration's gate records it; the result
    may be changed (a re-inspection) until the vehicle crosses."""
    if status not in _STEP:
        raise ServiceError(_("Kết quả phải là đạt hoặc tạm giữ."), field="status")
    with AGENCY_CHECK.step(actor, check, _STEP[status]) as step:
        check = step.obj
        declaration = check.declaration
        if declaration.status not in OPEN_FOR_CHECKS:
            raise ServiceError(
                _(
                    "Tờ khai %(n)s đang ở trạng thái “%(s)s”: chỉ ghi kết quả kiểm tra khi xe đã được duyệt và "
                    "chưa qua cửa khẩu."
                )
                % {"n": declaration.number, "s": declaration.get_status_display()},
                field="status",
                code="illegal_transition",
                status=409,
            )
        note = " ".join((note or "").split())
        if status == CheckStatus.HELD and not note:
            raise ServiceError(
                _("Tạm giữ phải ghi lý do: doanh nghiệp và lái xe sẽ thấy lý do này."), field="note"
            )
        check.note = note[:500]
        check.decided_by = actor
        check.decided_unit = getattr(actor, "unit", None) if actor is not None else None
        check.decided_at = timezone.now()
        step.facts["declaration_number"] = declaration.number
    return check
