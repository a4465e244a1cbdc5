"""Writes to trade statistics. Each function is one transaction with one audit event; bad input raises
ServiceError (or ImportRefused with every bad line) and changes nothing.

Imports are all or nothing. The CLI checks the whole file, then writes it in one transaction (COPY on
PostgreSQL). The web import checks the file in chunks of lines, each chunk driven by the progress
page's poll (or by the background task when a worker runs), staging checked rows in StagedRow; when the
last chunk is checked, the staged rows replace the series' rows for the periods in the file in one
transaction, or, if any line was bad, are deleted and the batch is refused with its errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.files.base import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.loaders import analyze

from .models import (
    ALL,
    BatchStatus,
    ComputedTurnover,
    ExchangeRate,
    Granularity,
    ImportBatch,
    Series,
    SeriesKind,
    StagedRow,
    StatRollup,
    StatRow,
)
from .parsing import LineError, ParsedRow, ParseResult, RowChecker, parse_file, read_records

ROW_COLUMNS = [
    "metric",
    "granularity",
    "period_start",
    "period_end",
    "gate_code",
    "flow",
    "hs_chapter",
    "value",
    "unit",
    "amount",
    "yoy_percent",
    "derived",
    "source",
]
WEB_CHUNK_LINES = 20_000
ANALYZE_AFTER_ROWS = 10_000


class ImportRefused(ServiceError):
    """A file refused as a whole; `line_errors` names every bad line and column."""

    def __init__(self, errors: list[LineError], error_count: int | None = None):
        count = error_count if error_count is not None else len(errors)
        super().__init__(
            _("Tệp bị từ chối: %(n)d lỗi; không dòng nào được nhập.") % {"n": count}, field="file"
        )
        self.line_errors = errors
        self.error_count = count


def gate_codes() -> set[str]:
    from cuakhau.gates.models import Gate

    return set(Gate.objects.values_list("code", flat=True))


# --- series and rates --------------------------------------------------------------------------------


@transaction.atomic
def series_ensure(*, code: str, name: str, kind: str, description: str = "", sort_order: int = 100) -> Series:
    """The series with this code, created if missing (reference data; staff edits are kept)."""
    series = Series.objects.filter(code=code).first()
    if series is not None:
        return series
    series = Series.objects.create(
        code=code, name=name, kind=kind, description=description, sort_order=sort_order
    )
    audit_record(action="trade.series.create", obj=series, after=snapshot(series))
    return series


def _rate_value(raw) -> Decimal:
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise ServiceError(_("Tỷ giá phải là số (ví dụ 25450 hoặc 3520.75)."), field="vnd_per_unit") from exc
    if not value.is_finite() or value <= 0 or value >= Decimal("1e13"):
        raise ServiceError(_("Tỷ giá phải lớn hơn 0."), field="vnd_per_unit")
    return value.quantize(Decimal("0.0001"))


def _currency(raw: str) -> str:
    code = (raw or "").strip().upper()
    if len(code) != 3 or not code.isalpha() or code == "VND":
        raise ServiceError(
            _("Mã tiền tệ gồm 3 chữ cái theo ISO 4217 (USD, CNY, …), khác VND."), field="currency"
        )
    return code


@transaction.atomic
def rate_set(*, day: dt.date, currency: str, vnd_per_unit, source: str = "", actor=None) -> ExchangeRate:
    """Enter the State Bank's central rate of a currency for a day (Law on the State Bank 2010, art. 10:
    the SBV announces the exchange rate; declared values are converted at the rate of the day,
    Circular 38/2015/TT-BTC art. 21 as amended). Entering it again for the same day replaces it."""
    currency = _currency(currency)
    value = _rate_value(vnd_per_unit)
    if not isinstance(day, dt.date):
        raise ServiceError(_("Ngày không hợp lệ."), field="day")
    rate = ExchangeRate.objects.select_for_update().filter(day=day, currency=currency).first()
    before = snapshot(rate) if rate else None
    if rate is None:
        rate = ExchangeRate.objects.create(
            day=day, currency=currency, vnd_per_unit=value, source=source[:255], created_by=actor
        )
    else:
        rate.vnd_per_unit, rate.source = value, source[:255]
        rate.save(update_fields=["vnd_per_unit", "source"])
    audit_record(action="trade.rate.set", obj=rate, before=before, after=snapshot(rate), actor=actor)
    return rate


@transaction.atomic
def rates_import(*, rows: Iterable[dict], actor=None) -> int:
    """Import rates (columns day as YYYY-MM-DD, currency, vnd_per_unit, source): all or nothing, every
    bad line named."""
    errors: list[LineError] = []
    clean = []
    for line, rec in enumerate(rows, start=2):
        try:
            day = dt.date.fromisoformat((rec.get("day") or "").strip())
        except ValueError:
            errors.append(LineError(line, "day", _("Ngày phải có dạng YYYY-MM-DD.")))
            continue
        try:
            clean.append(
                (day, _currency(rec.get("currency", "")), _rate_value(rec.get("vnd_per_unit", "")), rec)
            )
        except ServiceError as exc:
            errors.append(LineError(line, exc.field, exc.messages[0]))
    if errors:
        raise ImportRefused(errors)
    for day, currency, value, rec in clean:
        rate_set(
            day=day, currency=currency, vnd_per_unit=value, source=rec.get("source", "") or "", actor=actor
        )
    return len(clean)


# --- writing rows -------------------------------------------------------------------------------------


def _row_tuple(series_id: int, batch_id: int | None, r: ParsedRow) -> tuple:
    return (
        series_id,
        batch_id,
        r.metric,
        r.granularity,
        r.period_start,
        r.period_end,
        r.gate_code,
        r.flow,
        r.hs_chapter,
        r.value,
        r.unit,
        r.amount,
        r.yoy_percent,
        r.derived,
        r.source,
    )


def _insert_rows(series: Series, batch: ImportBatch | None, rows: list[ParsedRow]) -> None:
    batch_id = batch.pk if batch else None
    if connection.vendor == "postgresql":
        columns = ", ".join(["series_id", "batch_id", *ROW_COLUMNS])
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY trade_statrow ({columns}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(_row_tuple(series.pk, batch_id, r))
        return
    objects = (StatRow(series=series, batch=batch, **{c: getattr(r, c) for c in ROW_COLUMNS}) for r in rows)
    size = 2000
    chunk: list[StatRow] = []
    for obj in objects:
        chunk.append(obj)
        if len(chunk) >= size:
            StatRow.objects.bulk_create(chunk)
            chunk = []
    if chunk:
        StatRow.objects.bulk_create(chunk)


def _duplicates(rows: Iterable[ParsedRow]) -> list[LineError]:
    """Headline rows (anything but month detail) may appear once per period and breakdown."""
    seen: dict[tuple, int] = {}
    errors = []
    for r in rows:
        if r.granularity == Granularity.MONTH:
            continue
        key = (r.metric, r.granularity, r.period_start, r.period_end, r.gate_code, r.flow, r.hs_chapter)
        if key in seen:
            errors.append(
                LineError(
                    r.line, "period", _("Trùng với dòng %(n)d (cùng chỉ tiêu, cùng kỳ).") % {"n": seen[key]}
                )
            )
        else:
            seen[key] = r.line
    return errors


def _replace_existing(
    series: Series, months: set[dt.date], month_metrics: set[str], headlines: list[tuple]
) -> int:
    """Delete the rows the new file replaces: month rows of the same metrics in the same months, and
    headline rows with the same metric, period and breakdown."""
    replaced = 0
    if months and month_metrics:
        qs = StatRow.objects.filter(
            series=series,
            granularity=Granularity.MONTH,
            metric__in=month_metrics,
            period_start__in=sorted(months),
        )
        replaced += qs._raw_delete(qs.db)
    for metric, granularity, start, end in headlines:
        qs = StatRow.objects.filter(
            series=series, metric=metric, granularity=granularity, period_start=start, period_end=end
        ).exclude(granularity=Granularity.MONTH)
        replaced += qs._raw_delete(qs.db)
    return replaced


def rollup_refresh(*, series: Series, first: dt.date, last: dt.date) -> None:
    """Rebuild the month rollups of a series from `first` to `last` (first days of months). Called
    inside the transaction that changed the rows."""
    from .rollups import rebuild

    rebuild(series_id=series.pk, first=first, last=last)


def _commit(
    series: Series, batch: ImportBatch | None, rows: list[ParsedRow], *, filename: str, actor=None
) -> dict:
    months = {r.period_start for r in rows if r.granularity == Granularity.MONTH}
    month_metrics = {r.metric for r in rows if r.granularity == Granularity.MONTH}
    headlines = sorted(
        {
            (r.metric, r.granularity, r.period_start, r.period_end)
            for r in rows
            if r.granularity != Granularity.MONTH
        }
    )
    old_months = (
        set(
            StatRow.objects.filter(
                series=series,
                granularity=Granularity.MONTH,
                metric__in=month_metrics,
                period_start__in=sorted(months),
            )
            .values_list("period_start", flat=True)
            .distinct()
        )
        if months and len(months) < 2000
        else set()
    )
    replaced = _replace_existing(series, months, month_metrics, headlines)
    _insert_rows(series, batch, rows)
    touched = months | old_months
    if touched:
        rollup_refresh(series=series, first=min(touched), last=max(touched))
    if len(rows) + replaced >= ANALYZE_AFTER_ROWS:
        # The planner's statistics after a large import: on estimates made before it, PostgreSQL read
        # the whole rollup table through the index for a statistics page (100 ms instead of 25 ms).
        transaction.on_commit(lambda: analyze(StatRow, StatRollup))
    summary = {
        "series": series.code,
        "file": filename,
        "rows": len(rows),
        "replaced": replaced,
        "months": len(months),
        "first_month": min(months).isoformat() if months else None,
        "last_month": max(months).isoformat() if months else None,
        "headline_figures": len(headlines),
    }
    audit_record(
        action="trade.import",
        obj=batch,
        object_type="" if batch else "trade.series",
        object_id="" if batch else series.code,
        object_repr="" if batch else str(series),
        after=summary,
        actor=actor,
    )
    return summary


def stats_import(
    *,
    series: Series,
    path: Path | str,
    name: str = "",
    actor=None,
    progress: Callable[[int], None] | None = None,
) -> dict:
    """Import a statistics file into one series, all or nothing. The rows replace the series' rows for
    the same metrics and periods. Raises ImportRefused naming every bad line and column."""
    result = parse_file(
        path, series=series, gate_codes=gate_codes(), name=name or str(path), progress=progress
    )
    return _commit_parsed(series, result, name=name or Path(str(path)).name, actor=actor)


def rows_import(*, series: Series, records: Iterable[tuple[int, dict]], name: str, actor=None) -> dict:
    """Import records already read ((line, {column: text}) pairs), all or nothing."""
    result = ParseResult()
    checker = RowChecker(series=series, gate_codes=gate_codes())
    for line, rec in records:
        result.lines += 1
        if rec:
            row = checker.check(line, rec, result)
            if row is not None:
                result.rows.append(row)
    return _commit_parsed(series, result, name=name, actor=actor)


def _commit_parsed(series: Series, result: ParseResult, *, name: str, actor) -> dict:
    for error in _duplicates(result.rows):
        result.add_error(error)
    if result.error_count:
        raise ImportRefused(sorted(result.errors, key=lambda e: e.line), result.error_count)
    if not result.rows:
        raise ImportRefused([LineError(2, "", _("Tệp không có dòng số liệu nào."))])
    with transaction.atomic():
        return _commit(series, None, result.rows, filename=name, actor=actor)


# --- web imports, in chunks ------------------------------------------------------------------------


@transaction.atomic
def batch_create(*, series: Series, upload, actor=None) -> ImportBatch:
    """Store an uploaded file and open its import. Checking and writing happen in `batch_step`."""
    name = Path(getattr(upload, "name", "") or "upload.csv").name
    if Path(name).suffix.lower() not in (".csv", ".xlsx", ".xlsm", ".txt"):
        raise ServiceError(_("Chỉ nhận tệp CSV (.csv) hoặc Excel (.xlsx)."), field="file")
    batch = ImportBatch(series=series, filename=name[:255], created_by=actor)
    batch.upload.save(name, upload if isinstance(upload, File) else File(upload, name=name), save=False)
    from .parsing import FileError, count_lines

    try:
        batch.total_lines = count_lines(batch.upload.path, name)
    except FileError as exc:
        raise ServiceError(exc.message, field="file") from exc
    except Exception as exc:  # a corrupt workbook
        raise ServiceError(_("Không đọc được tệp: %(e)s") % {"e": exc}, field="file") from exc
    batch.save()
    audit_record(
        action="trade.import.open",
        obj=batch,
        after={"series": series.code, "file": name, "lines": batch.total_lines},
        actor=actor,
    )
    return batch


def batch_step(*, batch_id: int, lines: int = WEB_CHUNK_LINES) -> ImportBatch:
    """Check the next chunk of a web import; after the last chunk, commit or refuse it. Safe to call
    from several places at once (the poll and the worker): the batch row is locked for each step."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("series").get(pk=batch_id)
        if batch.status in (BatchStatus.DONE, BatchStatus.REFUSED):
            return batch
        batch.status = BatchStatus.RUNNING
        result = parse_file(
            batch.upload.path,
            series=batch.series,
            gate_codes=gate_codes(),
            name=batch.filename,
            start=batch.processed_lines,
            limit=lines,
        )
        if result.rows:
            StagedRow.objects.bulk_create(
                [
                    StagedRow(batch=batch, line=r.line, **{c: getattr(r, c) for c in ROW_COLUMNS})
                    for r in result.rows
                ],
                batch_size=2000,
            )
        if result.error_count:
            kept = batch.errors + [e.as_dict() for e in result.errors]
            batch.errors = kept[:1000]
            batch.error_count += result.error_count
        batch.processed_lines += result.lines
        finished = result.lines < lines or (result.error_count and result.lines == 0)
        batch.save(update_fields=["status", "processed_lines", "errors", "error_count"])
    if finished:
        _batch_finish(batch.pk)
        batch.refresh_from_db()
    return batch


def _staged_rows(batch: ImportBatch) -> list[ParsedRow]:
    return [
        ParsedRow(line=s.line, **{c: getattr(s, c) for c in ROW_COLUMNS})
        for s in StagedRow.objects.filter(batch=batch).order_by("line").iterator(chunk_size=5000)
    ]


@transaction.atomic
def _batch_finish(batch_id: int) -> None:
    batch = ImportBatch.objects.select_for_update().select_related("series").get(pk=batch_id)
    if batch.status in (BatchStatus.DONE, BatchStatus.REFUSED):
        return
    rows = _staged_rows(batch) if not batch.error_count else []
    if not batch.error_count:
        duplicates = _duplicates(rows)
        if duplicates:
            batch.errors = [e.as_dict() for e in duplicates][:1000]
            batch.error_count = len(duplicates)
        elif not rows:
            batch.errors = [LineError(2, "", _("Tệp không có dòng số liệu nào.")).as_dict()]
            batch.error_count = 1
    StagedRow.objects.filter(batch=batch).delete()
    batch.finished_at = timezone.now()
    if batch.error_count:
        batch.status = BatchStatus.REFUSED
        batch.errors = sorted(batch.errors, key=lambda e: e["line"])
        batch.save(update_fields=["status", "errors", "error_count", "finished_at"])
        audit_record(
            action="trade.import.refuse",
            obj=batch,
            after={"errors": batch.error_count},
            actor=batch.created_by,
        )
        return
    summary = _commit(batch.series, batch, rows, filename=batch.filename, actor=batch.created_by)
    batch.status = BatchStatus.DONE
    batch.row_count = summary["rows"]
    batch.replaced_count = summary["replaced"]
    batch.save(update_fields=["status", "row_count", "replaced_count", "finished_at"])


def batch_run(*, batch_id: int) -> ImportBatch:
    """Run a web import to its end (the background task; tests)."""
    while True:
        batch = batch_step(batch_id=batch_id)
        if batch.status in (BatchStatus.DONE, BatchStatus.REFUSED):
            return batch


# --- reference data: the published series -----------------------------------------------------------

SERIES = [
    # code, name, kind, description
    (
        "all_through_gates",
        "Kim ngạch XNK qua các cửa khẩu trên địa bàn tỉnh",
        SeriesKind.TURNOVER,
        "Toàn bộ hàng hóa xuất nhập khẩu qua các cửa khẩu của tỉnh, kể cả hàng khai báo ở nơi khác.",
    ),
    (
        "declared_at_langson_customs",
        "Kim ngạch XNK làm thủ tục tại Cục Hải quan Lạng Sơn",
        SeriesKind.TURNOVER,
        "Chỉ hàng hóa mở tờ khai tại Hải quan Lạng Sơn: một phần của chuỗi trên, không cộng với nó.",
    ),
    ("fees", "Thu phí sử dụng công trình hạ tầng tại cửa khẩu", SeriesKind.METRIC, ""),
    ("tasks", "Nhiệm vụ trọng tâm và kết quả đánh giá", SeriesKind.METRIC, ""),
]


def load_reference_series(path: Path | None = None) -> str:
    """The four series and the yearly figures of turnover_series.csv (kept with `derived` and `source`).
    Idempotent: figures already there are replaced by the same ones."""
    for order, (code, name, kind, description) in enumerate(SERIES):
        series_ensure(code=code, name=name, kind=kind, description=description, sort_order=(order + 1) * 10)
    path = path or Path(__file__).resolve().parent / "data" / "turnover_series.csv"
    by_series: dict[str, list[tuple[int, dict]]] = {}
    for line, rec in read_records(path):
        if rec:
            by_series.setdefault(rec.get("series", ""), []).append((line, rec))
    written = 0
    for code, records in by_series.items():
        series = Series.objects.get(code=code)
        written += rows_import(series=series, records=records, name=path.name)["rows"]
    return f"{len(SERIES)} series, {written} published figures"


# --- source (a): computed from declarations -------------------------------------------------------

DIRECTIONS = {"exit": "export", "entry": "import"}


def _declared_values(start: dt.date, end: dt.date):
    """The traffic app's declared values (traffic is upstream of trade), or nothing when it is not
    installed."""
    from django.apps import apps

    if not apps.is_installed("cuakhau.traffic"):
        return []
    from cuakhau.traffic.selectors import declared_value_sums

    return declared_value_sums(start=start, end=end)


@transaction.atomic
def computed_refresh(*, start: dt.date, end: dt.date) -> dict:
    """Rebuild the computed turnover (source (a)) for the months from `start` to `end`: the declared
    values of the goods lines of trips that crossed, each converted to USD at the central rate of its
    crossing day (Circular 38/2015/TT-BTC art. 21: the rate of the day applies), summed per month at
    three grains: gate x direction x flow x HS chapter (what the Board's pages and reports read), the
    same by enterprise (enterprise users' pages), and each enterprise's month total (the table by
    enterprise)."""
    from .periods import Period
    from .rates import RateMissing, RateTable

    period = Period.covering(start, end)
    start, end = period.start, period.end
    table = RateTable(until=end)
    sums: dict[tuple, list] = {}
    for item in _declared_values(start, end):
        direction = DIRECTIONS.get(item["direction"], item["direction"])
        month = item["day"].replace(day=1)
        try:
            usd, missing = table.to_usd(Decimal(item["value"]), item["currency"], item["day"]), 0
        except RateMissing:
            usd, missing = Decimal(0), item["lines"]
        base = (month, item["gate_code"], direction, item["flow"], item["hs_chapter"])
        enterprise = (item["enterprise_id"], item["enterprise_name"])
        keys = (base + (None, ""), base + enterprise, (month, ALL, direction, ALL, ALL) + enterprise)
        for key in keys:
            acc = sums.setdefault(key, [Decimal(0), 0, 0])
            acc[0] += usd
            acc[1] += missing
            acc[2] += item["lines"]
    deleted = ComputedTurnover.objects.filter(month__gte=start, month__lte=end)
    deleted._raw_delete(deleted.db)
    ComputedTurnover.objects.bulk_create(
        (
            ComputedTurnover(
                month=k[0],
                gate_code=k[1],
                direction=k[2],
                flow=k[3],
                hs_chapter=k[4],
                by_enterprise=k[5] is not None,
                enterprise_id=k[5],
                enterprise_name=(k[6] or "")[:255],
                usd=v[0].quantize(Decimal("0.0001")),
                unconverted=v[1],
                line_count=v[2],
            )
            for k, v in sums.items()
        ),
        batch_size=5000,
    )
    totals = [v for k, v in sums.items() if k[5] is None]
    # Three grains: the Board's (no enterprise), the detail by enterprise, and each enterprise's month
    # totals (gate, flow, chapter '*'), which the table by enterprise reads.
    summary = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "groups": len(totals),
        "enterprise_groups": len(sums) - len(totals),
        "lines": sum(v[2] for v in totals),
        "unconverted": sum(v[1] for v in totals),
    }
    audit_record(
        action="trade.computed.refresh",
        object_type="trade.computedturnover",
        object_id=start.isoformat(),
        after=summary,
    )
    return summary
