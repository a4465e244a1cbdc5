"""Writes to the cooperation records. Each function is one service (`@service`: one transaction)
with one audit event; it takes the acting user (`actor`; None only for the system: the demo loader,
the CLI) and checks its own permission; bad input raises ServiceError naming the field, and nothing
is changed.

The Board carries out the province's cooperation with Guangxi under the Law on International
Agreements 2020 (agreements signed by provincial bodies with foreign local authorities, art. 2 and
Chapter III) and the Government's and province's plans on the cross-border economic cooperation
zone; each commitment becomes an action with an owner unit and a due date (the COMMITMENT workflow,
actions.py)."""

from __future__ import annotations

import datetime
import os
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cuakhau.core import policy, uploads
from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit, User
from cuakhau.core.permissions import CHANGE
from cuakhau.core.roles import UnitKind
from cuakhau.core.service import service

from .actions import COMMITMENT, snap
from .models import (
    ActionStatus,
    Agreement,
    AgreementKind,
    Commitment,
    Counterpart,
    CounterpartKind,
    Document,
    FileLanguage,
    Meeting,
    Milestone,
    MilestoneStatus,
)
from .rules import DOCUMENT_TYPES, MAX_DOCUMENT_BYTES


def _require_manager(actor: User | None) -> None:
    if actor is not None:
        policy.require(
            actor, "cooperation.manage", message=_("Vai trò của bạn không quản lý hợp tác với Quảng Tây.")
        )


def _in_scope(model, actor: User | None, action: str, pk) -> Any:
    """The row, locked, if `actor` may do `action` on it (its scope); 403 otherwise. The system
    (actor None) acts on every row."""
    rows = model._default_manager.all()
    if actor is not None and not rows.for_user(actor, action).filter(pk=pk).exists():
        raise ServiceError(_("Bạn không có quyền thực hiện thao tác này."), code="forbidden", status=403)
    return rows.select_for_update().get(pk=pk)


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


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


# --- counterparts ---------------------------------------------------------------------------------


@service
def counterpart_save(
    *,
    actor: User | None,
    counterpart: Counterpart | None = None,
    code: str = "",
    name_vi: str,
    name_zh: str,
    kind: str,
    region: str = "Quảng Tây (广西)",
    notes: str = "",
    is_active: bool = True,
) -> Counterpart:
    """Add a counterpart organisation, or change one. Names in Vietnamese and in Chinese are both
    required: letters and minutes name the partner in both languages."""
    creating = counterpart is None
    if creating:
        _require_manager(actor)
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
        counterpart = _in_scope(Counterpart, actor, CHANGE, counterpart.pk)
        before = snap(counterpart)
    counterpart.name_vi = _strip(name_vi)
    counterpart.name_zh = _strip(name_zh)
    counterpart.kind = kind
    counterpart.region = _strip(region)
    counterpart.notes = _strip(notes)
    counterpart.is_active = is_active
    _required(counterpart.name_vi, "name_vi", _("Tên tiếng Việt"))
    _required(counterpart.name_zh, "name_zh", _("Tên tiếng Trung"))
    _choice(counterpart.kind, CounterpartKind, "kind", _("Loại đối tác"))
    counterpart.save()
    after = snap(counterpart)
    if before != after:
        audit_record(
            action="cooperation.counterpart.add" if creating else "cooperation.counterpart.change",
            obj=counterpart,
            before=before,
            after=after,
            actor=actor,
        )
    return counterpart


# --- meetings -------------------------------------------------------------------------------------


def _validate_meeting(meeting: Meeting) -> None:
    _required(meeting.title, "title", _("Tiêu đề"))
    _required(meeting.held_on, "held_on", _("Ngày hội đàm"))
    _required(meeting.place, "place", _("Địa điểm"))
    _required(meeting.participants_vn, "participants_vn", _("Thành phần phía Việt Nam"))
    _required(meeting.participants_cn, "participants_cn", _("Thành phần phía Trung Quốc"))


@service
def meeting_record(
    *,
    actor: User | None,
    counterparts: Iterable[Counterpart],
    title: str,
    held_on: datetime.date,
    place: str,
    participants_vn: str,
    participants_cn: str,
    minutes_vi: str = "",
    minutes_zh: str = "",
) -> Meeting:
    """Record a meeting with the Chinese side: date, place, both sides' participants, minutes."""
    _require_manager(actor)
    meeting = Meeting(
        title=title,
        held_on=held_on,
        place=place,
        participants_vn=participants_vn,
        participants_cn=participants_cn,
        minutes_vi=minutes_vi,
        minutes_zh=minutes_zh,
    )
    _validate_meeting(meeting)
    counterparts = _counterparts(counterparts)
    meeting.save()
    meeting.counterparts.set(counterparts)
    audit_record(
        action="cooperation.meeting.record", obj=meeting, after=snap(meeting, "counterparts"), actor=actor
    )
    return meeting


@service
def meeting_update(
    *,
    actor: User | None,
    meeting: Meeting,
    counterparts: Iterable[Counterpart] | None = None,
    title: str,
    held_on: datetime.date,
    place: str,
    participants_vn: str,
    participants_cn: str,
    minutes_vi: str = "",
    minutes_zh: str = "",
) -> Meeting:
    """Change a meeting's record (and its counterparts, when given)."""
    meeting = _in_scope(Meeting, actor, CHANGE, meeting.pk)
    before = snap(meeting, "counterparts")
    meeting.title = title
    meeting.held_on = held_on
    meeting.place = place
    meeting.participants_vn = participants_vn
    meeting.participants_cn = participants_cn
    meeting.minutes_vi = minutes_vi
    meeting.minutes_zh = minutes_zh
    _validate_meeting(meeting)
    meeting.save()
    if counterparts is not None:
        meeting.counterparts.set(_counterparts(counterparts))
    after = snap(meeting, "counterparts")
    if before != after:
        audit_record(
            action="cooperation.meeting.update", obj=meeting, before=before, after=after, actor=actor
        )
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


@service
def document_attach(
    *,
    actor: User | None,
    meeting: Meeting | None = None,
    agreement: Agreement | None = None,
    title: str,
    language: str,
    upload,
) -> Document:
    """Attach a file (signed minutes, the agreement's text) in Vietnamese, Chinese or both, to a
    meeting or an agreement the actor may change."""
    if (meeting is None) == (agreement is None):
        raise ServiceError(_("Tài liệu phải gắn với một cuộc hội đàm hoặc một thỏa thuận."))
    if meeting is not None:
        meeting = _in_scope(Meeting, actor, CHANGE, meeting.pk)
    else:
        agreement = _in_scope(Agreement, actor, CHANGE, agreement.pk)
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
    audit_record(action="cooperation.document.attach", obj=document, after=snap(document), actor=actor)
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


@service
def agreement_record(
    *,
    actor: User | None,
    counterparts: Iterable[Counterpart],
    kind: str,
    title_vi: str,
    signed_on: datetime.date,
    parties_vn: str,
    number: str = "",
    title_zh: str = "",
    signed_place: str = "",
    meeting: Meeting | None = None,
    text_vi: str = "",
    text_zh: str = "",
    valid_until: datetime.date | None = None,
) -> Agreement:
    """Record an agreement or memorandum signed with the Chinese side."""
    _require_manager(actor)
    agreement = Agreement(
        kind=kind,
        number=number,
        title_vi=title_vi,
        title_zh=title_zh,
        signed_on=signed_on,
        signed_place=signed_place,
        parties_vn=parties_vn,
        meeting=meeting,
        text_vi=text_vi,
        text_zh=text_zh,
        valid_until=valid_until,
    )
    _validate_agreement(agreement)
    counterparts = _counterparts(counterparts)
    agreement.save()
    agreement.counterparts.set(counterparts)
    audit_record(
        action="cooperation.agreement.record",
        obj=agreement,
        after=snap(agreement, "counterparts"),
        actor=actor,
    )
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


@service
def commitment_add(
    *,
    actor: User | None,
    agreement: Agreement,
    text_vi: str,
    owner_unit: Unit | None,
    due_on: datetime.date | None,
    text_zh: str = "",
) -> Commitment:
    """One commitment of the agreement becomes a tracked action owned by a unit."""
    agreement = _in_scope(Agreement, actor, CHANGE, agreement.pk)
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
    audit_record(action="cooperation.commitment.add", obj=commitment, after=snap(commitment), actor=actor)
    return commitment


# The COMMITMENT step a report asking for each new status takes (the same status: a note, `report`).
_STEP_TO = {
    ActionStatus.IN_PROGRESS: "start",
    ActionStatus.DONE: "complete",
    ActionStatus.CANCELLED: "cancel",
}


@service
def commitment_report(*, actor: User | None, commitment: Commitment, status: str, note: str) -> Commitment:
    """The owner unit (or the Board) reports progress on an action, and its status with it. An action
    moves forward only (open -> in progress -> done); a done or dropped one takes no other status. A
    commitment is the province's word to the Guangxi side, so only the Board's leader and departments
    drop one (`cancelled`), with its reason in the note. A done action records the day."""
    current = Commitment.objects.get(pk=commitment.pk)
    _choice(status, ActionStatus, "status", _("Trạng thái"))
    note = _required(note, "note", _("Nội dung báo cáo"))
    name = "report" if status == current.status else _STEP_TO.get(status, "")
    if name != "report" and current.status not in COMMITMENT.get("complete").sources:
        raise ServiceError(
            _("Nhiệm vụ đã ở trạng thái “%(s)s”; không đổi trạng thái được nữa.")
            % {"s": current.get_status_display()},
            field="status",
            status=409,
        )
    if not name or not COMMITMENT.allows_from(current, name):
        raise ServiceError(
            _("Không chuyển được việc từ “%(now)s” sang “%(new)s”.")
            % {"now": current.get_status_display(), "new": ActionStatus(status).label},
            field="status",
            status=409,
        )
    if name == "cancel" and not COMMITMENT.permitted(actor, current, name):
        raise ServiceError(
            _("Chỉ lãnh đạo Ban và phòng chuyên môn được hủy việc."), field="status", status=403
        )
    with COMMITMENT.step(actor, current, name, note=note) as step:
        if status == ActionStatus.DONE and step.obj.done_on is None:
            step.obj.done_on = timezone.localdate()
    return step.obj


@service
def commitment_change(
    *, actor: User | None, commitment: Commitment, owner_unit: Unit | None, due_on: datetime.date | None
) -> Commitment:
    """The Board moves an action to another unit or to another due date."""
    _require_manager(actor)
    commitment = _in_scope(Commitment, actor, CHANGE, commitment.pk)
    before = snap(commitment)
    commitment.owner_unit = _owner(owner_unit)
    commitment.due_on = due_on
    commitment.save()
    after = snap(commitment)
    if before != after:
        audit_record(
            action="cooperation.commitment.change", obj=commitment, before=before, after=after, actor=actor
        )
    return commitment


# --- milestones -----------------------------------------------------------------------------------


@service
def milestone_save(
    *,
    actor: User | None,
    milestone: Milestone | None = None,
    on: datetime.date,
    title_vi: str,
    status: str,
    title_zh: str = "",
    description: str = "",
    source: str = "",
    agreement: Agreement | None = None,
) -> Milestone:
    """A milestone of the Đồng Đăng – Bằng Tường cross-border economic cooperation zone: achieved (with
    its date) or planned (with its expected date)."""
    creating = milestone is None
    if creating:
        _require_manager(actor)
        milestone = Milestone()
    else:
        milestone = _in_scope(Milestone, actor, CHANGE, milestone.pk)
    before = None if creating else snap(milestone)
    milestone.on = on
    milestone.title_vi = _strip(title_vi)
    milestone.title_zh = _strip(title_zh)
    milestone.description = _strip(description)
    milestone.status = status
    milestone.source = _strip(source)
    milestone.agreement = agreement
    _required(milestone.on, "on", _("Ngày"))
    _required(milestone.title_vi, "title_vi", _("Tên mốc (tiếng Việt)"))
    _choice(milestone.status, MilestoneStatus, "status", _("Trạng thái"))
    if milestone.status == MilestoneStatus.ACHIEVED and milestone.on > timezone.localdate():
        raise ServiceError(_("Mốc đã đạt không thể có ngày ở tương lai."), field="on")
    milestone.save()
    after = snap(milestone)
    if before != after:
        audit_record(
            action="cooperation.milestone.add" if creating else "cooperation.milestone.change",
            obj=milestone,
            before=before,
            after=after,
            actor=actor,
        )
    return milestone
