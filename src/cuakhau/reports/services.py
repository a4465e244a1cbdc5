"""Writes to reports: draft from data, edit, refresh the figures, issue. One transaction and one audit
event each; an issued report is frozen (Decree 30/2020/ND-CP art. 11-12: the issued text is the one
signed and numbered; a change needs a new document)."""

from __future__ import annotations

import datetime
from typing import TypedDict, Unpack

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import User
from cuakhau.core.service import service

from .drafting import DEFAULT_RECIPIENTS, DEFAULT_SHORTCOMINGS, check_period, generated_texts
from .models import Kind, Report, Status
from .permissions import issues, writes


class ReportText(TypedDict, total=False):
    """What staff edit on a draft (the keyword arguments of report_update)."""

    number: str
    results_text: str
    shortcomings_text: str
    next_text: str
    recipients: str
    signer_title: str
    signer_name: str


def _require(actor: User | None, allowed: bool) -> None:
    # None: the system (the demo loader); a person needs the reports policy's answer.
    if actor is not None and not allowed:
        raise ServiceError(
            _("Bạn không có quyền thực hiện thao tác này với báo cáo."), code="forbidden", status=403
        )


def _snap(report: Report) -> dict:
    data = snapshot(report)
    data.pop("updated_at", None)
    return data


@service
def report_draft(
    *, actor: User | None, year: int, kind: str = Kind.ANNUAL, period_kind: str = "", period_number: int = 0
) -> Report:
    """Draft a report from the data: the figures (turnover from each source, fee revenue with growth,
    key tasks, directives, incidents) and the generated paragraphs staff then edit. The Board reports
    to the province by month, quarter and year (periodic reports under Decree 09/2019/ND-CP on the
    reporting regime of state administrative bodies); the year-end report adds next year's tasks."""
    _require(actor, writes(actor))
    period_kind, period_number = check_period(
        kind=kind, year=year, period_kind=period_kind, period_number=period_number
    )
    if Report.objects.filter(
        kind=kind, year=year, period_kind=period_kind, period_number=period_number
    ).exists():
        raise ServiceError(_("Đã có báo cáo loại này cho kỳ này."), field="year")
    figures, results, nxt = generated_texts(year, period_kind, period_number)
    report = Report.objects.create(
        kind=kind,
        year=year,
        period_kind=period_kind,
        period_number=period_number,
        figures=figures,
        results_text=results,
        shortcomings_text=DEFAULT_SHORTCOMINGS if kind == Kind.ANNUAL else "",
        next_text=nxt,
        recipients=DEFAULT_RECIPIENTS,
        created_by=actor,
    )
    audit_record(action="reports.report.draft", obj=report, after=_snap(report), actor=actor)
    return report


def _locked_draft(report: Report) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Status.DRAFT:
        raise ServiceError(_("Báo cáo đã ban hành, không sửa được."), field="status", status=409)
    return report


@service
def report_update(*, actor: User | None, report: Report, **text: Unpack[ReportText]) -> Report:
    _require(actor, writes(actor))
    report = _locked_draft(report)
    before = _snap(report)
    for key, value in text.items():
        setattr(report, key, str(value or "").strip())
    report.save()
    after = _snap(report)
    if after != before:
        audit_record(action="reports.report.update", obj=report, before=before, after=after, actor=actor)
    return report


@service
def report_refresh(*, actor: User | None, report: Report) -> Report:
    """Recompute the figures and regenerate the paragraphs built from them (staff edits to those
    paragraphs are replaced; the shortcomings, recipients and signature are kept)."""
    _require(actor, writes(actor))
    report = _locked_draft(report)
    before = _snap(report)
    report.figures, report.results_text, report.next_text = generated_texts(
        report.year, report.period_kind, report.period_number
    )
    report.save()
    audit_record(action="reports.report.refresh", obj=report, before=before, after=_snap(report), actor=actor)
    return report


@service
def report_issue(
    *, actor: User | None, report: Report, number: str, issued_on: datetime.date | None, signer_name: str = ""
) -> Report:
    """Issue (sign) the report: it gets its number and date and is frozen from then on."""
    _require(actor, issues(actor))
    report = _locked_draft(report)
    number = (number or "").strip()
    if not number:
        raise ServiceError(_("Cần số ký hiệu văn bản, ví dụ 15/BC-BQL."), field="number")
    if issued_on is None:
        raise ServiceError(_("Cần ngày ban hành."), field="issued_on")
    before = _snap(report)
    report.number, report.issued_on = number, issued_on
    if signer_name:
        report.signer_name = signer_name.strip()
    report.status, report.issued_by, report.issued_at = Status.ISSUED, actor, timezone.now()
    report.save()
    audit_record(action="reports.report.issue", obj=report, before=before, after=_snap(report), actor=actor)
    return report
