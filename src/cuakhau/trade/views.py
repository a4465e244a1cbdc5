"""Statistics pages: imported series (source (b)), computed turnover (source (a)), published figures,
exchange rates and imports. Every table has an Excel export (`?export=<table>`). Thin: selectors do
the figures, services the writes."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core.errors import ServiceError
from cuakhau.core.permissions import get_for_user_or_404

from . import excel, selectors, services
from .formatting import scaled
from .forms import ImportForm, RateForm
from .models import BatchStatus, GoodsFlow, ImportBatch, Series, StatRollup
from .periods import Period, PeriodError, from_params
from .permissions import manages, reads_series, reads_statistics

TABLES = {
    "gate": _("Theo cửa khẩu"),
    "flow": _("Theo loại hình"),
    "hs": _("Theo chương HS"),
    "month": _("Theo tháng"),
    "direction": _("Theo hướng"),
}
COMPUTED_TABLES = {**TABLES, "enterprise": _("Theo doanh nghiệp")}


def _period(request, default_year: int) -> tuple[Period, str]:
    try:
        return from_params(request.GET, default_year=default_year), ""
    except PeriodError as exc:
        return Period.year(default_year), exc.message


def _chart(table: selectors.Table) -> dict:
    return {
        "labels": [r.label for r in table.rows],
        "export": [float(scaled(r.export)) for r in table.rows],
        "import": [float(scaled(r.import_)) for r in table.rows],
    }


def _period_context(period: Period) -> dict:
    q = period.query()
    return {
        "period": period,
        "kind": period.kind,
        "year": int(q.get("year", period.start.year)),
        "month": int(q.get("month", 1)),
        "quarter": int(q.get("quarter", 1)),
        "from": q.get("from", f"{period.start:%Y-%m}"),
        "to": q.get("to", f"{period.end:%Y-%m}"),
    }


def _default_series(user) -> Series | None:
    visible = selectors.series_list(user=user)
    with_months = visible.filter(pk__in=StatRollup.objects.values("series_id")).exclude(
        code="synthetic_customs"
    )
    return with_months.first() or visible.first()


def _query_without(request, *names) -> str:
    q: QueryDict = request.GET.copy()
    for name in names:
        q.pop(name, None)
    return q.urlencode()


@login_required
def statistics(request):
    user = request.user
    if not reads_statistics(user):
        raise Http404
    if not reads_series(user):
        return redirect("trade:computed")
    code = request.GET.get("series", "")
    series = selectors.series_get(user=user, code=code) if code else _default_series(user)
    if series is None:
        raise Http404
    period, period_error = _period(request, selectors.latest_year(timezone.localdate().year))
    filters = selectors.Filters(
        gate=request.GET.get("gate", "").strip().upper(),
        flow=request.GET.get("flow", "").strip(),
        hs=request.GET.get("hs", "").strip(),
    )
    figures = selectors.statistics(series=series, period=period, filters=filters, bys=tuple(TABLES))
    tables, summary = figures.tables, figures.summary
    export = request.GET.get("export", "")
    caption = f"{series.name} · {period.label}"
    if export == "summary":
        header = [
            _("Chỉ tiêu"),
            period.label,
            summary["same_period_last_year"].label,
            _("Tăng so với cùng kỳ (%)"),
            summary["previous_period"].label,
            _("Tăng so với kỳ trước (%)"),
        ]
        rows = [
            [
                ln["label"],
                ln["current"],
                ln["same_period_last_year"],
                ln["growth_year"],
                ln["previous_period"],
                ln["growth_previous"],
            ]
            for ln in summary["lines"]
        ]
        return excel.response(
            f"thong-ke-{series.code}-tong-hop.xlsx", [(_("Tổng hợp"), caption + " (USD)", header, rows)]
        )
    if export in tables:
        return excel.response(
            f"thong-ke-{series.code}-{export}.xlsx",
            [excel.table_sheet(tables[export], title=str(TABLES[export]), caption=caption)],
        )
    if export == "all":
        return excel.response(
            f"thong-ke-{series.code}.xlsx",
            [excel.table_sheet(t, title=str(TABLES[by]), caption=caption) for by, t in tables.items()],
        )
    from cuakhau.gates.models import Gate

    published = selectors.published(user=user, series=series).filter(
        period_start__year__gte=period.start.year - 1, period_start__year__lte=period.end.year
    )
    return render(
        request,
        "trade/statistics.html",
        {
            "series": series,
            "series_list": selectors.series_list(user=user).filter(kind="turnover"),
            "summary": summary,
            "tables": [(by, TABLES[by], tables[by]) for by in TABLES],
            "chart_months": _chart(tables["month"]),
            "chart_gates": _chart(tables["gate"]),
            "period_error": period_error,
            "filters": filters,
            "gates": Gate.objects.for_user(user).order_by("sort_order"),
            "flows": GoodsFlow.choices,
            "published": published,
            "query": _query_without(request, "export"),
            "can_import": manages(user),
            **_period_context(period),
        },
        status=400 if period_error else 200,
    )


@login_required
def computed(request):
    user = request.user
    if not reads_statistics(user):
        raise Http404
    period, period_error = _period(request, timezone.localdate().year)
    cache: dict = {}  # one query per period for the six tables and the totals
    tables = {
        by: selectors.computed_table(user=user, period=period, by=by, cache=cache) for by in COMPUTED_TABLES
    }
    totals = selectors.computed_totals(user=user, period=period, cache=cache)
    last_year = selectors.computed_totals(user=user, period=period.same_last_year(), cache=cache)
    export = request.GET.get("export", "")
    caption = _("Kim ngạch tính từ tờ khai") + f" · {period.label}"
    if export in tables:
        return excel.response(
            f"kim-ngach-to-khai-{export}.xlsx",
            [excel.table_sheet(tables[export], title=str(COMPUTED_TABLES[export]), caption=caption)],
        )
    from django.apps import apps

    return render(
        request,
        "trade/computed.html",
        {
            "tables": [(by, COMPUTED_TABLES[by], tables[by]) for by in COMPUTED_TABLES],
            "totals": totals,
            "last_year": last_year,
            "growth": selectors.growth(totals.total, last_year.total) if last_year.months_with_data else None,
            "cards": [
                (
                    key.rstrip("_"),
                    label,
                    getattr(totals, key),
                    selectors.growth(getattr(totals, key), getattr(last_year, key))
                    if last_year.months_with_data
                    else None,
                )
                for key, label in (
                    ("total", _("Tổng kim ngạch")),
                    ("export", _("Xuất khẩu")),
                    ("import_", _("Nhập khẩu")),
                )
            ],
            "period_last_year": period.same_last_year(),
            "traffic_installed": apps.is_installed("cuakhau.traffic"),
            "chart_months": _chart(tables["month"]),
            "period_error": period_error,
            "query": _query_without(request, "export"),
            "series_reader": reads_series(user),
            **_period_context(period),
        },
        status=400 if period_error else 200,
    )


@login_required
def published(request):
    user = request.user
    if not reads_series(user):
        raise Http404
    rows = selectors.published(user=user)
    if request.GET.get("export") == "xlsx":
        header = [
            _("Chuỗi"),
            _("Chỉ tiêu"),
            _("Kỳ"),
            _("Từ ngày"),
            _("Đến ngày"),
            _("Giá trị"),
            _("Đơn vị"),
            _("Tăng (%) công bố"),
            _("Số suy ra"),
            _("Nguồn"),
        ]
        data = [
            [
                r.series.code,
                r.get_metric_display(),
                r.get_granularity_display(),
                r.period_start,
                r.period_end,
                r.value,
                r.unit,
                r.yoy_percent,
                _("có") if r.derived else _("không"),
                r.source,
            ]
            for r in rows
        ]
        return excel.response(
            "so-lieu-cong-bo.xlsx", [(_("Số liệu công bố"), _("Số liệu công bố và số suy ra"), header, data)]
        )
    return render(request, "trade/published.html", {"rows": rows})


@login_required
def rates(request):
    user = request.user
    items = selectors.rates(user=user, currency=request.GET.get("currency", ""))
    if not reads_statistics(user):
        raise Http404
    form = RateForm(request.POST or None) if manages(user) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                rate = services.rate_set(actor=user, **form.cleaned_data)
            except ServiceError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("Đã ghi tỷ giá %(r)s.") % {"r": rate})
                return redirect("trade:rates")
    return render(
        request,
        "trade/rates.html",
        {"rates": items[:500], "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def imports(request):
    user = request.user
    if not reads_series(user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None, user=user) if manages(user) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                batch = services.batch_create(
                    series=form.cleaned_data["series"], upload=form.cleaned_data["file"], actor=user
                )
            except ServiceError as exc:
                form.add_error("file", exc.messages[0])
            else:
                from .tasks import run_import

                # No task backend: the progress page's polls do the work.
                with contextlib.suppress(Exception):
                    run_import.enqueue(batch.pk)
                return redirect("trade:import_detail", pk=batch.pk)
    return render(
        request,
        "trade/imports.html",
        {"batches": selectors.imports(user=user)[:100], "form": form},
        status=400 if form is not None and form.errors else 200,
    )


def _batch(request, pk) -> ImportBatch:
    if not reads_series(request.user):
        raise Http404
    return get_for_user_or_404(ImportBatch.objects.select_related("series"), request.user, pk=pk)


@login_required
def import_detail(request, pk):
    return render(request, "trade/import_detail.html", {"batch": _batch(request, pk)})


@login_required
@require_POST
def import_progress(request, pk):
    """One step of the import (a chunk of lines), then its progress. The fragment asks for the next
    step until the import is done or refused: the browser drives the work, so no worker is needed."""
    batch = _batch(request, pk)
    if batch.status not in (BatchStatus.DONE, BatchStatus.REFUSED) and manages(request.user):
        batch = services.batch_step(actor=request.user, batch_id=batch.pk)
    return render(request, "trade/_import_progress.html", {"batch": batch})


@login_required
def index(request):
    return redirect(reverse("trade:statistics"))
