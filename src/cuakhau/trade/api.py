"""/api/v1/trade: the same figures as the statistics pages and their Excel exports (amounts are exact
decimals in USD, đồng or counts, as strings). Imported series (source (b)) and computed turnover
(source (a)) have separate endpoints and are never added together."""

from __future__ import annotations

import datetime
import tempfile
from decimal import Decimal
from pathlib import Path

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from cuakhau.core import uploads
from cuakhau.core.api_params import Year
from cuakhau.core.api_types import ReadDecimal
from cuakhau.core.errors import ServiceError

from . import selectors, services
from .parsing import upload_limits
from .periods import Period, PeriodError, from_params
from .permissions import manages, reads_series, reads_statistics

router = Router(tags=["trade"])


class TradeErrorOut(Schema):
    """A refusal; an import's errors carry their line number (an integer), hence its own name."""

    detail: str
    errors: list[dict] = []


class PeriodIn(Schema):
    kind: str = "year"
    year: Year | None = None
    month: int | None = None
    quarter: int | None = None
    to: str | None = None  # with from=YYYY-MM for kind=custom
    gate: str = ""
    flow: str = ""
    hs: str = ""


class SeriesOut(Schema):
    code: str
    name: str
    kind: str
    description: str


class PeriodOut(Schema):
    kind: str
    label: str
    start: datetime.date
    end: datetime.date


class SummaryLine(Schema):
    key: str
    label: str
    current: Decimal
    same_period_last_year: Decimal | None
    previous_period: Decimal | None
    growth_year: Decimal | None
    growth_previous: Decimal | None


class SummaryOut(Schema):
    series: str
    source: str
    unit: str = "usd"
    period: PeriodOut
    same_period_last_year: PeriodOut
    previous_period: PeriodOut
    months_with_data: int
    lines: list[SummaryLine]


class RowOut(Schema):
    key: str
    label: str
    export: Decimal
    import_: Decimal
    total: Decimal
    share: Decimal | None
    previous_total: Decimal | None
    growth: Decimal | None


class TableOut(Schema):
    source: str
    series: str | None = None
    by: str
    unit: str = "usd"
    period: PeriodOut
    export: Decimal
    import_: Decimal
    total: Decimal
    rows: list[RowOut]


class PublishedOut(Schema):
    series: str
    metric: str
    granularity: str
    period_start: datetime.date
    period_end: datetime.date
    value: Decimal
    unit: str
    amount: Decimal
    yoy_percent: Decimal | None
    derived: bool
    source: str


class RateOut(Schema):
    day: datetime.date
    currency: str
    vnd_per_unit: Decimal
    source: str


class RateIn(Schema):
    day: datetime.date
    currency: str
    vnd_per_unit: ReadDecimal
    source: str = ""


def _period(request) -> Period:
    params = {k: v for k, v in request.GET.items()}
    try:
        return from_params(params, default_year=timezone.localdate().year)
    except PeriodError as exc:
        raise ServiceError(exc.message, field=exc.field) from exc


def _period_out(p: Period) -> dict:
    return {"kind": p.kind, "label": p.label, "start": p.start, "end": p.end}


def _filters(request) -> selectors.Filters:
    return selectors.Filters(
        gate=request.GET.get("gate", "").strip().upper(),
        flow=request.GET.get("flow", "").strip(),
        hs=request.GET.get("hs", "").strip(),
    )


def _table_out(table: selectors.Table, *, source: str, series: str | None, period: Period) -> dict:
    return {
        "source": source,
        "series": series,
        "by": table.by,
        "period": _period_out(period),
        "export": table.export,
        "import_": table.import_,
        "total": table.total,
        "rows": [
            {
                "key": r.key,
                "label": r.label,
                "export": r.export,
                "import_": r.import_,
                "total": r.total,
                "share": r.share,
                "previous_total": r.previous_total,
                "growth": r.growth,
            }
            for r in table.rows
        ],
    }


def _series(request, code: str):
    if not reads_series(request.user):
        raise Http404
    return selectors.series_get(user=request.user, code=code)


@router.get("/series", response=list[SeriesOut], summary="Các chuỗi số liệu (nguồn b)")
def list_series(request):
    return selectors.series_list(user=request.user)


@router.get("/series/{code}/summary", response=SummaryOut, summary="Tổng hợp một kỳ, tăng trưởng")
def series_summary(request, code: str, filters: Query[PeriodIn]):
    series = _series(request, code)
    period = _period(request)
    s = selectors.summary(series=series, period=period, filters=_filters(request))
    return {
        "series": series.code,
        "source": "imported",
        "period": _period_out(period),
        "same_period_last_year": _period_out(s["same_period_last_year"]),
        "previous_period": _period_out(s["previous_period"]),
        "months_with_data": s["months_with_data"],
        "lines": s["lines"],
    }


@router.get(
    "/series/{code}/table",
    response=TableOut,
    summary="Bảng theo cửa khẩu, loại hình, chương HS, tháng, hướng",
)
def series_table(request, code: str, by: str, filters: Query[PeriodIn]):
    series = _series(request, code)
    if by not in selectors.DIMENSIONS:
        raise ServiceError(
            _("by phải là một trong: %(d)s.") % {"d": ", ".join(selectors.DIMENSIONS)}, field="by"
        )
    period = _period(request)
    table = selectors.table(series=series, period=period, by=by, filters=_filters(request))
    return _table_out(table, source="imported", series=series.code, period=period)


@router.get(
    "/published", response=list[PublishedOut], summary="Số liệu công bố (năm, lũy kế), kèm số suy ra và nguồn"
)
def list_published(request, series: str = ""):
    if not reads_series(request.user):
        raise Http404
    rows = selectors.published(user=request.user, series=_series(request, series) if series else None)
    return [
        {
            "series": r.series.code,
            **{
                f: getattr(r, f)
                for f in (
                    "metric",
                    "granularity",
                    "period_start",
                    "period_end",
                    "value",
                    "unit",
                    "amount",
                    "yoy_percent",
                    "derived",
                    "source",
                )
            },
        }
        for r in rows
    ]


@router.get("/computed/table", response=TableOut, summary="Kim ngạch tính từ tờ khai (nguồn a)")
def computed_table(request, by: str, filters: Query[PeriodIn]):
    if not reads_statistics(request.user):
        raise Http404
    if by not in selectors.COMPUTED_DIMENSIONS:
        raise ServiceError(
            _("by phải là một trong: %(d)s.") % {"d": ", ".join(selectors.COMPUTED_DIMENSIONS)}, field="by"
        )
    period = _period(request)
    table = selectors.computed_table(user=request.user, period=period, by=by)
    return _table_out(table, source="computed", series=None, period=period)


@router.get("/rates", response=list[RateOut], summary="Tỷ giá trung tâm")
def list_rates(request, currency: str = ""):
    if not reads_statistics(request.user):
        raise Http404
    return selectors.rates(user=request.user, currency=currency)[:1000]


@router.post(
    "/rates",
    response={201: RateOut, 403: TradeErrorOut, 422: TradeErrorOut},
    summary="Ghi tỷ giá của một ngày",
)
def create_rate(request, payload: RateIn):
    if not manages(request.user):
        return Status(403, {"detail": _("Vai trò của bạn không được ghi tỷ giá."), "errors": []})
    return Status(201, services.rate_set(actor=request.user, **payload.dict()))


@router.post(
    "/series/{code}/import",
    response={201: dict, 403: TradeErrorOut, 422: TradeErrorOut},
    summary="Nhập tệp số liệu (tất cả hoặc không)",
)
def import_file(request, code: str, file: File[UploadedFile]):
    series = _series(request, code)
    if not manages(request.user):
        return Status(403, {"detail": _("Vai trò của bạn không được nhập số liệu."), "errors": []})
    suffix = Path(file.name or "upload.csv").suffix.lower() or ".csv"
    limits = upload_limits()
    uploads.check_size(file, limits)  # before a byte is copied; the rows and columns as it is read
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in file.chunks():
            tmp.write(chunk)
        tmp.flush()
        try:
            summary = services.stats_import(
                series=series, path=tmp.name, name=file.name or tmp.name, actor=request.user, limits=limits
            )
        except services.ImportRefused as exc:
            return Status(
                422,
                {"detail": exc.messages[0], "errors": [e.as_dict() for e in exc.line_errors]},
            )
    return Status(201, summary)


@router.get("/figures/annual", response=dict, summary="Số liệu một năm cho báo cáo")
def annual(request, series: str, metric: str, year: Year):
    _series(request, series)
    fig = selectors.annual_figure(series, metric, year)
    if fig is None:
        raise Http404
    before = selectors.annual_figure(series, metric, year - 1)
    return {
        "series": fig.series,
        "metric": fig.metric,
        "year": fig.year,
        "amount": str(fig.amount),
        "origin": fig.origin,
        "source": fig.source,
        "previous_year_amount": str(before.amount) if before else None,
        "growth": str(selectors.growth(fig.amount, before.amount)) if before else None,
    }
