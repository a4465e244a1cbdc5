"""A report as an administrative document: the report's sections and wording, rendered by
core.documents in the Decree 30/2020/NĐ-CP layout as Word, PDF and Markdown."""

from __future__ import annotations

from django.conf import settings

from cuakhau.core.documents import (  # noqa: F401  (re-exported for the reports views and tests)
    BODY_PT,
    FONT,
    MARGINS_MM,
    PAGE_MM,
    RENDERERS,
    Document,
    Section,
    body_short,
    render_docx,
    render_html,
    render_markdown,
    render_pdf,
)

from .figures import period_words
from .models import Kind, Report


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n") if p.strip()]


def build(report: Report) -> Document:
    province = getattr(settings, "PROVINCE_NAME", "Lạng Sơn")
    body = getattr(settings, "BOARD_NAME", "") or body_short()
    body = body.replace("–", "-").upper()
    if report.issued_on:
        d = report.issued_on
        place_date = f"{province}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"
    else:
        # Drafted after the period ends: the year of the period that follows.
        written = report.period.shifted(report.period.months).start.year
        place_date = f"{province}, ngày      tháng      năm {written}"
    number = f"Số: {report.number}" if report.number else "Số:        /BC-BQL"
    y = report.year
    period = report.period
    when = period_words(period)
    if report.kind == Kind.SUMMARY:
        kind_title, summary = "BÁO CÁO TÓM TẮT", f"Số liệu chủ yếu {when}"
        sections = [Section(f"Kết quả chủ yếu {when}", _paragraphs(report.results_text))]
        if report.next_text.strip():
            sections.append(Section(f"Nhiệm vụ năm {y + 1}", _paragraphs(report.next_text)))
    elif report.kind == Kind.PERIODIC:
        following = period_words(period.shifted(period.months))
        kind_title = "BÁO CÁO"
        summary = f"Kết quả công tác {when}, nhiệm vụ trọng tâm {following}"
        sections = [
            Section(f"I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ {when.upper()}", _paragraphs(report.results_text)),
            Section("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", _paragraphs(report.shortcomings_text)),
            Section(f"III. NHIỆM VỤ TRỌNG TÂM {following.upper()}", _paragraphs(report.next_text)),
        ]
    else:
        kind_title = "BÁO CÁO"
        summary = f"Tổng kết công tác năm {y}, phương hướng nhiệm vụ năm {y + 1}"
        sections = [
            Section(f"I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM {y}", _paragraphs(report.results_text)),
            Section("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", _paragraphs(report.shortcomings_text)),
            Section(f"III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {y + 1}", _paragraphs(report.next_text)),
        ]
    return Document(
        parent_body=f"UBND TỈNH {province.upper()}",
        body=body,
        number=number,
        place_date=place_date,
        kind_title=kind_title,
        summary=summary,
        draft=not report.is_issued,
        sections=sections,
        recipients=_paragraphs(report.recipients),
        signer_title=report.signer_title or "TRƯỞNG BAN",
        signer_name=report.signer_name,
    )


def unsaved(year: int, kind: str = Kind.ANNUAL, period_kind: str = "", period_number: int = 0) -> Report:
    """A report generated from the data without saving it (the CLI, previews)."""
    from .drafting import DEFAULT_RECIPIENTS, DEFAULT_SHORTCOMINGS, check_period, generated_texts

    period_kind, period_number = check_period(
        kind=kind, year=year, period_kind=period_kind, period_number=period_number
    )
    figures, results, nxt = generated_texts(year, period_kind, period_number)
    return Report(
        kind=kind,
        year=year,
        period_kind=period_kind,
        period_number=period_number,
        figures=figures,
        results_text=results,
        shortcomings_text=DEFAULT_SHORTCOMINGS if kind != Kind.SUMMARY else "",
        next_text=nxt,
        recipients=DEFAULT_RECIPIENTS,
    )


# --- Markdown ---------------------------------------------------------------------------------------


def render(report: Report, fmt: str) -> tuple[bytes, str]:
    fn, content_type = RENDERERS[fmt]
    return fn(build(report)), content_type


def filename(report: Report, fmt: str) -> str:
    kinds: dict[str, str] = {Kind.ANNUAL: "tong-ket", Kind.PERIODIC: "dinh-ky"}
    kind = kinds.get(report.kind, "tom-tat")
    period = {"quarter": f"-q{report.period_number}", "month": f"-{report.period_number:02d}"}.get(
        report.period_kind, ""
    )
    return f"bao-cao-{kind}-{report.year}{period}.{fmt}"
