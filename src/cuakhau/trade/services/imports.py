"""Imports of statistics files into a series, all or nothing: the CLI and API check the whole file,
then write it in one transaction (COPY on PostgreSQL), replacing the series' rows for the same
metrics and periods, and rebuild the month rollups the file touched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.loaders import analyze
from cuakhau.core.models import User
from cuakhau.core.service import service

from ..models import Granularity, ImportBatch, Series, StatRollup, StatRow
from ..parsing import LineError, ParsedRow, ParseResult, RowChecker, parse_file
from ..permissions import manages
from .common import ROW_COLUMNS, ImportRefused, _gate_codes

ANALYZE_AFTER_ROWS = 10_000


def _require_manager(actor: User | None) -> None:
    """The departments import statistics (trade's policy); None is the system (loaders, tasks)."""
    if actor is not None and not manages(actor):
        raise ServiceError(_("Bạn không có quyền nhập số liệu thống kê."), code="forbidden", status=403)


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
        copy_sql = f"COPY trade_statrow ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
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


def _rollup_refresh(*, series: Series, first: dt.date, last: dt.date) -> None:
    """Rebuild the month rollups of a series from `first` to `last` (first days of months). Called
    inside the transaction that changed the rows."""
    from ..rollups import rebuild

    rebuild(series_id=series.pk, first=first, last=last)


def _commit(
    series: Series, batch: ImportBatch | None, rows: list[ParsedRow], *, filename: str, actor: User | None
) -> dict:
    """Write checked rows (inside the caller's service transaction)."""
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
        _rollup_refresh(series=series, first=min(touched), last=max(touched))
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
        action="trade.import.commit",
        obj=batch,
        object_type="" if batch else "trade.series",
        object_id="" if batch else series.code,
        object_repr="" if batch else str(series),
        after=summary,
        actor=actor,
    )
    return summary


@service
def stats_import(
    *,
    actor: User | None,
    series: Series,
    path: Path | str,
    name: str = "",
    progress: Callable[[int], None] | None = None,
    lang: str | None = None,
    limits=None,
) -> dict:
    """Import a statistics file into one series, all or nothing (read within `limits`, core.uploads,
    when a person uploaded it; the file is read and checked before the transaction opens). The rows replace the series' rows for
    the same metrics and periods. Its numbers are read in `lang` (None: the active language, that of
    the person uploading; parsing.MACHINE for a file that code wrote). Raises ImportRefused naming
    every bad line and column."""
    _require_manager(actor)
    result = parse_file(
        path,
        series=series,
        gate_codes=_gate_codes(),
        name=name or str(path),
        progress=progress,
        lang=lang,
        limits=limits,
    )
    return commit_parsed(actor=actor, series=series, result=result, name=name or Path(str(path)).name)


@service
def rows_import(
    *,
    actor: User | None,
    series: Series,
    records: Iterable[tuple[int, dict]],
    name: str,
    lang: str | None = None,
) -> dict:
    """Import records already read ((line, {column: text}) pairs), all or nothing; numbers in `lang`
    as for `stats_import`."""
    _require_manager(actor)
    result = ParseResult()
    checker = RowChecker(series=series, gate_codes=_gate_codes(), lang=lang)
    for line, rec in records:
        result.lines += 1
        if rec:
            row = checker.check(line, rec, result)
            if row is not None:
                result.rows.append(row)
    return commit_parsed(actor=actor, series=series, result=result, name=name)


@service
def commit_parsed(*, actor: User | None, series: Series, result: ParseResult, name: str) -> dict:
    """Write a checked file's rows, or refuse it with every bad line."""
    _require_manager(actor)
    for error in _duplicates(result.rows):
        result.add_error(error)
    if result.error_count:
        raise ImportRefused(sorted(result.errors, key=lambda e: e.line), result.error_count)
    if not result.rows:
        raise ImportRefused([LineError(2, "", _("Tệp không có dòng số liệu nào."))])
    return _commit(series, None, result.rows, filename=name, actor=actor)
