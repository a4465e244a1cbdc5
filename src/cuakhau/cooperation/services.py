"""Writes to the cooperation records. Each function is one transaction with one audit event; bad
input raises ServiceError naming the field, and nothing is changed.

The Board carries out the province's cooperation with Guangxi under the Law on International
Agreements 2020 (agreements signed by provincial bodies with foreign local authorities, art. 2 and
Chapter III) and the Government's and province's plans on the cross-border economic cooperation
zone; each commitment becomes an action with an owner unit and a due date."""

from __future__ import annotations

import datetime
import os
import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cuakhau.core import uploads
from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit, User
from cuakhau.core.roles import UnitKind

from .models import (
    OPEN_ACTION,
    ActionStatus,
    Agreement,
    AgreementKind,
    Commitment,
    CommitmentUpdate,
    Counterpart,
    CounterpartKind,
    Document,
    FileLanguage,
    Meeting,
    Milestone,
    MilestoneStatus,
)
from .permissions import MANAGERS

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# Checked by their first bytes (core.uploads): the name alone is not trusted.
DOCUMENT_TYPES = uploads.file_types("pdf", "docx", "doc", "xlsx", "jpg", "jpeg", "png")
COUNTERPART_FIELDS = ["name_vi", "name_zh", "kind", "region", "notes", "is_active"]
MEETING_FIELDS = [
    "title",
    "held_on",
    "place",
    "participants_vn",
    "participants_cn",
    "minutes_vi",
    "minutes_zh",
]
AGREEMENT_FIELDS = [
    "kind",
    "number",
    "title_vi",
    "title_zh",
    "signed_on",
    "signed_place",
    "parties_vn",
    "meeting",
    "text_vi",
    "text_zh",
    "valid_until",
]
MILESTONE_FIELDS = ["on", "title_vi", "title_zh", "description", "status", "source", "agreement"]


def _snap(obj, m2m: str | None = None) -> dict[str, Any]:
    data = snapshot(obj)
    data.pop("updated_at", None)
    if m2m and obj.pk:
        data[m2m] = sorted(getattr(obj, m2m).values_list("code", flat=True))
    return data


def _required(value: Any, field: str, label: str) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ServiceError(_("%(label)s không được để trống.") % {"label": label}, field=field)
    return value.strip() if isinstance(value, str) else value


def _choice(value: str, choices, field: str, label: str) -> str:
    if value not in choices.values:
        raise ServiceError(_("%(label)s không hợp lệ.") % {"label": label}, field=field)
    return value


def _counterparts(items) -> list[Counterpart]:
    items = list(items or [])
    if not items:
        raise ServiceError(_("Cần chọn ít nhất một đối tác phía Trung Quốc."), field="counterparts")
    return items


# --- counterparts ---------------------------------------------------------------------------------


@transaction.atomic
def counterpart_save(*, counterpart: Counterpart | None = None, code: str = "", **data: Any) -> Counterpart:
    """Add a counterpart organisation, or change one. Names in Vietnamese and in Chinese are both
    required: letters and minutes name the partner in both languages."""
    creating = counterpart is None
    if creating:
        code = slugify(code or "")[:40]
        if not code:
            raise ServiceError(
                _("Mã đối tác không được để trống (chữ không dấu, số, gạch ngang)."), field="code"
            )
        if Counterpart.objects.filter(code=code).exists():
            raise ServiceError(_("Đã có đối tác mã %(code)s.") % {"code": code}, field="code")
        counterpart = Counterpart(code=code)
        before = None
    else:
        counterpart = Counterpart.objects.select_for_update().get(pk=counterpart.pk)
        before = _snap(counterpart)
    for key, value in data.items():
        if key in COUNTERPART_FIELDS:
            setattr(counterpart, key, value.strip() if isinstance(value, str) else value)
    _required(counterpart.name_vi, "name_vi", _("Tên tiếng Việt"))
    _required(counterpart.name_zh, "name_zh", _("Tên tiếng Trung"))
    _choice(counterpart.kind, CounterpartKind, "kind", _("Loại đối tác"))
    counterpart.save()
    after = _snap(counterpart)
    if before != after:
        audit_record(
            action="cooperation.counterpart_add" if creating else "cooperation.counterpart_change",
            obj=counterpart,
            before=before,
            after=after,
        )
    return counterpart


# --- meetings -------------------------------------------------------------------------------------


def _validate_meeting(meeting: Meeting) -> None:
    _required(meeting.title, "title", _("Tiêu đề"))
    _required(meeting.held_on, "held_on", _("Ngày hội đàm"))
    _required(meeting.place, "place", _("Địa điểm"))
    _required(meeting.participants_vn, "participants_vn", _("Thành phần phía Việt Nam"))
    _required(meeting.participants_cn, "participants_cn", _("Thành phần phía Trung Quốc"))


@transaction.atomic
def meeting_record(*, counterparts, **data: Any) -> Meeting:
    """Record a meeting with the Chinese side: date, place, both sides' participants, minutes."""
    meeting = Meeting(**{k: v for k, v in data.items() if k in MEETING_FIELDS})
    _validate_meeting(meeting)
    counterparts = _counterparts(counterparts)
    meeting.save()
    meeting.counterparts.set(counterparts)
    audit_record(action="cooperation.meeting_record", obj=meeting, after=_snap(meeting, "counterparts"))
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, counterparts=None, **data: Any) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    before = _snap(meeting, "counterparts")
    for key, value in data.items():
        if key in MEETING_FIELDS:
            setattr(meeting, key, value)
    _validate_meeting(meeting)
    meeting.save()
    if counterparts is not None:
        meeting.counterparts.set(_counterparts(counterparts))
    after = _snap(meeting, "counterparts")
    if before != after:
        audit_record(action="cooperation.meeting_update", obj=meeting, before=before, after=after)
    return meeting


def _clean_document(upload, field: str = "file") -> tuple[bytes, str, str, str]:
    if upload is None:
        raise ServiceError(_("Cần chọn tệp."), field=field)
    name = os.path.basename(upload.name or "")
    ext = os.path.splitext(name)[1].lower()
    if ext[1:] not in DOCUMENT_TYPES:
        raise ServiceError(
            _("Tệp: chỉ nhận PDF, Word (.docx, .doc), Excel (.xlsx) hoặc ảnh JPEG, PNG."), field=field
        )
    if upload.size and upload.size > MAX_DOCUMENT_BYTES:
        raise ServiceError(_("Tệp: quá lớn; tối đa 20 MB."), field=field)
    content = upload.read(MAX_DOCUMENT_BYTES + 1)
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ServiceError(_("Tệp: quá lớn; tối đa 20 MB."), field=field)
    content_type, signatures = DOCUMENT_TYPES[ext[1:]]
    if not uploads.has_signature(content, signatures):
        raise ServiceError(
            _("Tệp: nội dung không phải tệp %(ext)s như tên tệp cho biết.")
            % {"ext": ext.lstrip(".").upper()},
            field=field,
        )
    return content, name, ext, content_type


@transaction.atomic
def document_attach(
    *, meeting: Meeting | None = None, agreement: Agreement | None = None, title: str, language: str, upload
) -> Document:
    """Attach a file (signed minutes, the agreement's text) in Vietnamese, Chinese or both."""
    if (meeting is None) == (agreement is None):
        raise ServiceError(_("Tài liệu phải gắn với một cuộc hội đàm hoặc một thỏa thuận."))
    title = _required(title, "title", _("Tên tài liệu"))
    _choice(language, FileLanguage, "language", _("Ngôn ngữ"))
    content, name, ext, content_type = _clean_document(upload)
    document = Document(
        meeting=meeting,
        agreement=agreement,
        title=title[:255],
        language=language,
        original_name=name[:255],
        content_type=content_type,
        size=len(content),
    )
    document.file.save(f"{secrets.token_hex(12)}{ext}", ContentFile(content), save=False)
    document.save()
    audit_record(action="cooperation.document_attach", obj=document, after=_snap(document))
    return document


# --- agreements and commitments -------------------------------------------------------------------


def _validate_agreement(agreement: Agreement) -> None:
    _choice(agreement.kind, AgreementKind, "kind", _("Loại văn bản"))
    _required(agreement.title_vi, "title_vi", _("Tên văn bản (tiếng Việt)"))
    _required(agreement.signed_on, "signed_on", _("Ngày ký"))
    _required(agreement.parties_vn, "parties_vn", _("Bên Việt Nam"))
    if agreement.signed_on and agreement.signed_on > timezone.localdate():
        raise ServiceError(_("Ngày ký không thể ở tương lai."), field="signed_on")
    if agreement.valid_until and agreement.signed_on and agreement.valid_until < agreement.signed_on:
        raise ServiceError(_("Ngày hết hiệu lực phải từ ngày ký trở đi."), field="valid_until")


@transaction.atomic
def agreement_record(*, counterparts, **data: Any) -> Agreement:
    """Record an agreement or memorandum signed with the Chinese side."""
    agreement = Agreement(**{k: v for k, v in data.items() if k in AGREEMENT_FIELDS})
    _validate_agreement(agreement)
    counterparts = _counterparts(counterparts)
    agreement.save()
    agreement.counterparts.set(counterparts)
    audit_record(action="cooperation.agreement_record", obj=agreement, after=_snap(agreement, "counterparts"))
    return agreement


def _owner(unit: Unit | None) -> Unit:
    if unit is None:
        raise ServiceError(_("Cần chọn đơn vị chủ trì thực hiện."), field="owner_unit")
    if unit.kind == UnitKind.ENTERPRISE or not unit.is_active:
        raise ServiceError(
            _("%(unit)s không phải đơn vị của Ban hoặc lực lượng tại cửa khẩu.") % {"unit": unit.name},
            field="owner_unit",
        )
    return unit


@transaction.atomic
def commitment_add(
    *,
    agreement: Agreement,
    text_vi: str,
    owner_unit: Unit | None,
    due_on: datetime.date | None,
    text_zh: str = "",
) -> Commitment:
    """One commitment of the agreement becomes a tracked action owned by a unit."""
    text_vi = _required(text_vi, "text_vi", _("Nội dung cam kết"))
    if due_on is not None and due_on < agreement.signed_on:
        raise ServiceError(_("Hạn thực hiện phải từ ngày ký trở đi."), field="due_on")
    commitment = Commitment.objects.create(
        agreement=agreement,
        text_vi=text_vi,
        text_zh=(text_zh or "").strip(),
        owner_unit=_owner(owner_unit),
        due_on=due_on,
    )
    audit_record(action="cooperation.commitment_add", obj=commitment, after=_snap(commitment))
    return commitment


# Where an action may go from each open status (reporting the same status again is a progress note).
_NEXT_STATUS = {
    ActionStatus.OPEN: {
        ActionStatus.OPEN,
        ActionStatus.IN_PROGRESS,
        ActionStatus.DONE,
        ActionStatus.CANCELLED,
    },
    ActionStatus.IN_PROGRESS: {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED},
}


def commitment_next_statuses(commitment: Commitment, actor: User | None) -> list[str]:
    """The statuses `actor` may report on `commitment` now, in the order of ActionStatus."""
    allowed = _NEXT_STATUS.get(commitment.status, {commitment.status})
    return [
        value
        for value in ActionStatus.values
        if value in allowed
        and (value != ActionStatus.CANCELLED or value == commitment.status or _may_cancel(actor))
    ]


def _may_cancel(actor: User | None) -> bool:
    if actor is None or not actor.is_authenticated:  # the CLI or a task, acting for the Board
        return actor is None
    return actor.is_superuser or actor.role in MANAGERS


@transaction.atomic
def commitment_report(*, actor: User | None, commitment: Commitment, status: str, note: str) -> Commitment:
    """The owner unit (or the Board) reports progress on an action, and its status with it. An action
    moves forward only (open -> in progress -> done); a done or dropped one takes no other status. A
    commitment is the province's word to the Guangxi side, so only the Board's leader and departments
    drop one (`cancelled`), with its reason in the note. A done action records the day."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    _choice(status, ActionStatus, "status", _("Trạng thái"))
    note = _required(note, "note", _("Nội dung báo cáo"))
    if commitment.status not in OPEN_ACTION and status != commitment.status:
        raise ServiceError(
            _("Nhiệm vụ đã ở trạng thái “%(s)s”; không đổi trạng thái được nữa.")
            % {"s": commitment.get_status_display()},
            field="status",
            status=409,
        )
    if status not in _NEXT_STATUS.get(commitment.status, {commitment.status}):
        raise ServiceError(
            _("Không chuyển được việc từ “%(now)s” sang “%(new)s”.")
            % {"now": commitment.get_status_display(), "new": ActionStatus(status).label},
            field="status",
            status=409,
        )
    if status == ActionStatus.CANCELLED and status != commitment.status and not _may_cancel(actor):
        raise ServiceError(
            _("Chỉ lãnh đạo Ban và phòng chuyên môn được hủy việc."), field="status", status=403
        )
    before = _snap(commitment)
    commitment.status = status
    if status == ActionStatus.DONE and commitment.done_on is None:
        commitment.done_on = timezone.localdate()
    commitment.save()
    CommitmentUpdate.objects.create(
        commitment=commitment,
        status=status,
        note=note[:5000],
        actor=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_record(
        action="cooperation.commitment_report",
        obj=commitment,
        before=before,
        after=_snap(commitment) | {"note": note[:500]},
        actor=actor,
    )
    return commitment


@transaction.atomic
def commitment_change(
    *, commitment: Commitment, owner_unit: Unit | None, due_on: datetime.date | None
) -> Commitment:
    """The Board moves an action to another unit or to another due date."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    before = _snap(commitment)
    commitment.owner_unit = _owner(owner_unit)
    commitment.due_on = due_on
    commitment.save()
    after = _snap(commitment)
    if before != after:
        audit_record(action="cooperation.commitment_change", obj=commitment, before=before, after=after)
    return commitment


# --- milestones -----------------------------------------------------------------------------------


@transaction.atomic
def milestone_save(*, milestone: Milestone | None = None, **data: Any) -> Milestone:
    """A milestone of the Đồng Đăng – Bằng Tường cross-border economic cooperation zone: achieved (with
    its date) or planned (with its expected date)."""
    creating = milestone is None
    milestone = Milestone() if creating else Milestone.objects.select_for_update().get(pk=milestone.pk)
    before = None if creating else _snap(milestone)
    for key, value in data.items():
        if key in MILESTONE_FIELDS:
            setattr(milestone, key, value.strip() if isinstance(value, str) else value)
    _required(milestone.on, "on", _("Ngày"))
    _required(milestone.title_vi, "title_vi", _("Tên mốc (tiếng Việt)"))
    _choice(milestone.status, MilestoneStatus, "status", _("Trạng thái"))
    if milestone.status == MilestoneStatus.ACHIEVED and milestone.on > timezone.localdate():
        raise ServiceError(_("Mốc đã đạt không thể có ngày ở tương lai."), field="on")
    milestone.save()
    after = _snap(milestone)
    if before != after:
        audit_record(
            action="cooperation.milestone_add" if creating else "cooperation.milestone_change",
            obj=milestone,
            before=before,
            after=after,
        )
    return milestone
