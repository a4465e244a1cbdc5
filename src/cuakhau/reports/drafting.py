"""What a report's draft starts from: the generated paragraphs, the default recipients and the
period's rules (reads, used by the services and the documents)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError

from . import figures as fig
from .models import Kind, PeriodKind

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
