"""Writes to reports: draft from data, edit, refresh the figures, issue. One transaction and one audit
event each; an issued report is frozen (Decree 30/2020/ND-CP art. 11-12: the issued text is the one
signed and numbered; a change needs a new document)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError

from . import figures as fig
from .models import Kind, PeriodKind, Report, Status

EDITABLE = [
    "number",
    "results_text",
    "shortcomings_text",
    "next_text",
    "recipients",
    "signer_title",
    "signer_name",
]
DEFAULT_RECIPIENTS = "- UBND tỉnh (b/c);\n- Các sở, ngành liên quan;\n- Lãnh đạo Ban;\n- Các phòng, đơn vị thuộc Ban;\n- Lưu: VT, KH."
DEFAULT_SHORTCOMINGS = "(Các phòng bổ sung: những tồn tại, hạn chế trong kỳ báo cáo và nguyên nhân, trước khi trình lãnh đạo Ban ký ban hành.)"


def generated_texts(
    year: int, period_kind: str = PeriodKind.YEAR, period_number: int = 0
) -> tuple[dict, str, str]:
    figures = fig.for_period(fig.make_period(year, period_kind, period_number))
    paragraphs = fig.sentences(figures)
    return figures.as_json(), "\n\n".join(paragraphs["results"]), "\n\n".join(paragraphs["next"])


def check_period(*, kind: str, year: int, period_kind: str, period_number: int) -> tuple[str, int]:
    """The report's period, checked: a year-end report covers a year; a periodic report a quarter or a
    month; a leader's summary any of the three."""
    if kind not in Kind.values:
        raise ServiceError(_("Loại báo cáo không hợp lệ."), field="kind")
    if not 2000 <= int(year) <= 2999:
        raise ServiceError(_("Năm phải từ 2000 đến 2999."), field="year")
    period_kind = period_kind or (PeriodKind.YEAR if kind != Kind.PERIODIC else "")
    if kind == Kind.ANNUAL and period_kind != PeriodKind.YEAR:
        raise ServiceError(_("Báo cáo tổng kết năm có kỳ là cả năm."), field="period_kind")
    if kind == Kind.PERIODIC and period_kind not in (PeriodKind.QUARTER, PeriodKind.MONTH):
        raise ServiceError(_("Báo cáo định kỳ là báo cáo quý hoặc tháng."), field="period_kind")
    if period_kind not in PeriodKind.values:
        raise ServiceError(_("Kỳ báo cáo phải là năm, quý hoặc tháng."), field="period_kind")
    number = int(period_number or 0)
    if period_kind == PeriodKind.YEAR:
        number = 0
    elif period_kind == PeriodKind.QUARTER and not 1 <= number <= 4:
        raise ServiceError(_("Quý phải từ 1 đến 4."), field="period_number")
    elif period_kind == PeriodKind.MONTH and not 1 <= number <= 12:
        raise ServiceError(_("Tháng phải từ 1 đến 12."), field="period_number")
    return period_kind, number


def _snap(report: Report) -> dict:
    data = snapshot(report)
    data.pop("updated_at", None)
    return data


@transaction.atomic
def report_draft(
    *, year: int, kind: str = Kind.ANNUAL, period_kind: str = "", period_number: int = 0, actor=None
) -> Report:
    """Draft a report from the data: the figures (turnover from each source, fee revenue with growth,
    key tasks, directives, incidents) and the generated paragraphs staff then edit. The Board reports
    to the province by month, quarter and year (periodic reports under Decree 09/2019/ND-CP on the
    reporting regime of state administrative bodies); the year-end report adds next year's tasks."""
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
    audit_record(action="report.draft", obj=report, after=_snap(report), actor=actor)
    return report


def _locked_draft(report: Report) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Status.DRAFT:
        raise ServiceError(_("Báo cáo đã ban hành, không sửa được."), field="status", status=409)
    return report


@transaction.atomic
def report_update(*, report: Report, data: dict, actor=None) -> Report:
    report = _locked_draft(report)
    before = _snap(report)
    for key, value in data.items():
        if key in EDITABLE:
            setattr(report, key, (value or "").strip() if isinstance(value, str) else value)
    report.save()
    after = _snap(report)
    if after != before:
        audit_record(action="report.update", obj=report, before=before, after=after, actor=actor)
    return report


@transaction.atomic
def report_refresh(*, report: Report, actor=None) -> Report:
    """Recompute the figures and regenerate the paragraphs built from them (staff edits to those
    paragraphs are replaced; the shortcomings, recipients and signature are kept)."""
    report = _locked_draft(report)
    before = _snap(report)
    report.figures, report.results_text, report.next_text = generated_texts(
        report.year, report.period_kind, report.period_number
    )
    report.save()
    audit_record(action="report.refresh", obj=report, before=before, after=_snap(report), actor=actor)
    return report


@transaction.atomic
def report_issue(*, report: Report, number: str, issued_on, signer_name: str = "", actor=None) -> Report:
    """Issue (sign) the report: it gets its number and date and is frozen from then on."""
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
    audit_record(action="report.issue", obj=report, before=before, after=_snap(report), actor=actor)
    return report
