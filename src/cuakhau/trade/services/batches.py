"""Web imports, in chunks: each chunk of lines is checked when the progress page polls (or the
background task runs), its rows staged in StagedRow; after the last chunk the staged rows are
committed in one transaction, or deleted and the batch refused with every bad line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import numbers, uploads
from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import User
from cuakhau.core.permissions import CHANGE
from cuakhau.core.service import service

from ..models import BatchStatus, ImportBatch, Series, StagedRow
from ..parsing import LineError, ParsedRow, parse_file, upload_limits
from .common import ROW_COLUMNS, _gate_codes
from .imports import _commit, _duplicates, _require_manager

WEB_CHUNK_LINES = 20_000


@service
def batch_create(*, actor: User | None, series: Series, upload: Any, lang: str | None = None) -> ImportBatch:
    """Store an uploaded file and open its import. The file is checked against the upload limits
    (core.uploads; parsing.upload_limits) before anything is written, outside any transaction.
    Checking and writing the rows happen in `batch_step`, which reads the file's numbers in `lang`
    (None: the active language, the uploader's)."""
    _require_manager(actor)
    from ..parsing import FileError, count_lines

    name = Path(getattr(upload, "name", "") or "upload.csv").name
    if Path(name).suffix.lower() not in (".csv", ".xlsx", ".xlsm", ".txt"):
        raise ServiceError(_("Chỉ nhận tệp CSV (.csv) hoặc Excel (.xlsx)."), field="file")
    limits = upload_limits()
    uploads.check_size(upload, limits)
    batch = ImportBatch(
        series=series, filename=name[:255], created_by=actor, number_language=numbers.reader_language(lang)
    )
    batch.upload.save(name, upload if isinstance(upload, File) else File(upload, name=name), save=False)
    try:
        batch.total_lines = count_lines(batch.upload.path, name, limits)
    except ServiceError:
        batch.upload.delete(save=False)
        raise
    except FileError as exc:
        batch.upload.delete(save=False)
        raise ServiceError(exc.message, field="file") from exc
    except Exception as exc:  # a corrupt workbook
        batch.upload.delete(save=False)
        raise ServiceError(_("Không đọc được tệp: %(e)s") % {"e": exc}, field="file") from exc
    with transaction.atomic():
        batch.save()
        audit_record(
            action="trade.import.open",
            obj=batch,
            after={"series": series.code, "file": name, "lines": batch.total_lines},
            actor=actor,
        )
    return batch


@service
def batch_step(*, actor: User | None, batch_id: int, lines: int = WEB_CHUNK_LINES) -> ImportBatch:
    """Check the next chunk of a web import; after the last chunk, commit or refuse it. Safe to call
    from several places at once (the poll and the worker): the batch row is locked for each step.
    The poll's user must be able to change the batch (its scope); None is the background worker."""
    if actor is not None and not ImportBatch.objects.for_user(actor, CHANGE).filter(pk=batch_id).exists():
        raise ServiceError(_("Bạn không có quyền chạy lần nhập này."), code="forbidden", status=403)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("series").get(pk=batch_id)
        if batch.status in (BatchStatus.DONE, BatchStatus.REFUSED):
            return batch
        batch.status = BatchStatus.RUNNING
        result = parse_file(
            batch.upload.path,
            series=batch.series,
            gate_codes=_gate_codes(),
            name=batch.filename,
            start=batch.processed_lines,
            limit=lines,
            lang=batch.number_language,
            limits=upload_limits(),
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
        repeated = _duplicates(rows)
        if repeated:
            batch.errors = [e.as_dict() for e in repeated][:1000]
            batch.error_count = len(repeated)
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


@service
def batch_run(*, actor: User | None, batch_id: int) -> ImportBatch:
    """Run a web import to its end (the background task; tests)."""
    while True:
        batch = batch_step(actor=actor, batch_id=batch_id)
        if batch.status in (BatchStatus.DONE, BatchStatus.REFUSED):
            return batch
