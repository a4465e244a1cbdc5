"""Many declarations at once from the Excel template (upload_sheet: its columns, the template and
reading its rows). Rows that share a trip number are one declaration. Every bad cell of every row is
reported by row and column on one upload; if any row is bad, nothing is imported."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.service import batch, service
from cuakhau.parties.models import Driver, Enterprise
from cuakhau.parties.services import normalise_tax_code

from .. import permissions, validation
from ..models import Direction, Flow
from ..upload_sheet import (  # noqa: F401  (column_letter, KEYS, read_rows, template: the sheet, for callers)
    COLUMNS,
    HEADER_KEYS,
    KEYS,
    LINE_KEYS,
    YES,
    CellError,
    ImportResult,
    Trip,
    arrival_of,
    cell_of,
    cell_value,
    choice_keys,
    column_letter,
    gate_list,
    in_every_language,
    key_of,
    read_rows,
    template,
    text_of,
)
from . import declarations, drafting


@service
def rows_import(*, actor, rows: list[tuple[int, dict[str, Any]]], submit: bool = False) -> ImportResult:
    """Import the declarations of a template's rows (`read_rows`). Every row is checked and every error
    of every row reported together: each trip's cells, goods lines and containers (the service's own
    checks), and, for each trip whose cells are right, what declaration_create (and declaration_submit,
    if asked) refuses. All in one transaction, rolled back if any row is refused."""
    result = ImportResult()
    failed: set[str] = set()

    def bad(trip: Trip, row: int, key: str, message: str) -> None:
        failed.add(trip.ref)
        header = str(COLUMNS[KEYS.index(key)].header)
        result.errors.append(CellError(row, column_letter(key), header, message))

    def refused(trip: Trip, exc: ServiceError) -> None:
        for name, messages in exc.message_dict.items():
            row, key = cell_of(trip, name)
            for message in messages:
                bad(trip, row, key, message)

    trips: dict[str, Trip] = {}
    for row, cells in rows:
        ref = text_of(cells.get("trip")) or f"#{row}"
        trip = trips.get(ref)
        if trip is None:
            trip = trips[ref] = Trip(ref, row, cells)
        else:
            for key in HEADER_KEYS:
                value = cells.get(key)
                if value not in (None, "") and text_of(value) != text_of(trip.header.get(key)):
                    bad(
                        trip,
                        row,
                        key,
                        _("Khác với dòng %(r)s của cùng chuyến %(t)s.") % {"r": trip.first_row, "t": ref},
                    )
        trip.lines.append((row, {k: cell_value(k, cells.get(k)) for k in LINE_KEYS}))
        if text_of(cells.get("container")) or text_of(cells.get("size")):
            trip.containers.append(
                (row, {"number": text_of(cells.get("container")), "size": text_of(cells.get("size"))})
            )

    from ..forms import driver_choices, enterprise_choices

    allowed = enterprise_choices(actor) if actor is not None else None
    usable_drivers = driver_choices(actor) if actor is not None else Driver.objects.all()
    gates = {}
    for gate in gate_list():
        gates[key_of(gate.code)] = gates[key_of(gate.name)] = gate
    flows, directions = choice_keys(Flow.choices), choice_keys(Direction.choices)
    yes = set(YES) | in_every_language(gettext_lazy("Có"))
    resolved: dict[str, dict[str, Any]] = {}
    for ref, trip in trips.items():
        for check, items in (
            (validation.clean_lines, trip.lines),
            (validation.clean_containers, trip.containers),
        ):
            try:
                check([item for _r, item in items])
            except ServiceError as exc:
                refused(trip, exc)
        h, row, values = trip.header, trip.first_row, {}
        try:
            code = normalise_tax_code(text_of(h["tax_code"]))
            enterprise = (
                (allowed if allowed is not None else Enterprise.objects.all()).filter(tax_code=code).first()
            )
            if enterprise is None:
                raise ServiceError(
                    _("Bạn không được khai cho doanh nghiệp mã số thuế %(c)s.") % {"c": code},
                    field="tax_code",
                )
            values["enterprise"] = enterprise
        except ServiceError as exc:
            bad(trip, row, "tax_code", exc.messages[0])
        values["gate"] = gates.get(key_of(h["gate"]))
        if values["gate"] is None:
            bad(
                trip,
                row,
                "gate",
                _("Không có cửa khẩu “%(c)s”: chọn trong danh sách (xem trang Hướng dẫn).")
                % {"c": text_of(h["gate"])},
            )
        for key, fn in (
            ("vehicle", lambda v: validation.vehicle_by_plate(v)),
            ("trailer", lambda v: validation.vehicle_by_plate(v, trailer=True) if v else None),
            ("driver", lambda v: validation.driver_by_document(v, drivers=usable_drivers)),
            ("planned_arrival", lambda v: validation.planned_arrival(arrival_of(v))),
        ):
            try:
                values[key] = fn(h[key] if key == "planned_arrival" else text_of(h[key]))
            except ServiceError as exc:
                bad(trip, row, key, exc.messages[0])
        flow = flows.get(key_of(h["flow"]))
        direction = directions.get(key_of(h["direction"]), "") if text_of(h["direction"]) else ""
        if flow is None:
            bad(
                trip,
                row,
                "flow",
                _("Loại hình “%(v)s” không có trong danh sách (xem trang Hướng dẫn).")
                % {"v": text_of(h["flow"])},
            )
        elif text_of(h["direction"]) and not direction:
            bad(
                trip,
                row,
                "direction",
                _("Hướng phải là một trong: %(v)s.") % {"v": ", ".join(Direction.labels)},
            )
        else:
            try:
                values["direction"] = validation.direction_for(flow, direction)
                values["flow"] = flow
            except ServiceError as exc:
                bad(trip, row, "flow" if exc.field == "flow" else "direction", exc.messages[0])
        values["two_way"] = key_of(h["two_way"]) in yes
        resolved[ref] = values

    # The service's own refusals, for every trip whose cells are right, even when other trips' are
    # not: all the rows' errors come back on one upload.
    for ref, trip in trips.items():
        if ref in failed:
            continue
        try:
            declaration = drafting.declaration_create(
                actor=actor,
                lines=[line for _r, line in trip.lines],
                containers=[box for _r, box in trip.containers],
                **resolved[ref],
            )
            if submit:
                declaration = declarations.declaration_submit(actor=actor, declaration=declaration)
            result.created.append(declaration)
        except ServiceError as exc:
            if not hasattr(exc, "error_dict"):
                exc = ServiceError.join([ServiceError(m, field="status") for m in exc.messages])
            refused(trip, exc)
    if result.errors:
        transaction.set_rollback(True)
        result.created = []
    result.errors.sort(key=lambda e: (e.row, len(e.column), e.column))
    return result


# --- large uploads, in the background ---------------------------------------------------------------
#
# A file of more than settings.UPLOAD_BACKGROUND_ROWS data rows is read and bounded here as any other
# (outside any transaction), then kept in an UploadJob and checked by the worker (tasks.run_upload).
# The worker first checks the trips chunk by chunk, each chunk in its own transaction rolled back,
# recording the rows checked after each (so the progress page moves); then imports every row in the
# one transaction of `rows_import`, whose result (drafts created, or every error) is the job's.

CHECK_CHUNK_ROWS = 100


@service
def upload_start(*, actor, file, rows: list[tuple[int, dict[str, Any]]], submit: bool = False):
    """Import a small upload now (an ImportResult), or keep a large one for the worker (an UploadJob,
    enqueued by the caller). The caller reads and bounds the file first (upload_sheet.read_rows),
    outside any transaction: a big or hostile file never holds the database's write lock."""
    from ..models import UploadJob

    if not permissions.may_declare(actor):
        raise ServiceError(_("Chỉ người dùng doanh nghiệp khai được tờ khai."), code="forbidden", status=403)
    if len(rows) <= settings.UPLOAD_BACKGROUND_ROWS:
        return rows_import(actor=actor, rows=rows, submit=submit)
    from cuakhau.parties.selectors import own_enterprise

    enterprise = own_enterprise(actor)
    if enterprise is None:
        raise ServiceError(_("Tài khoản của bạn chưa gắn với doanh nghiệp nào."), field="file")
    file.seek(0)
    name = (getattr(file, "name", "") or "upload.xlsx")[:255]
    job = UploadJob.objects.create(
        enterprise=enterprise,
        created_by=actor,
        filename=name,
        content=file.read(),
        submit=submit,
        total_rows=len(rows),
    )
    audit_record(
        action="traffic.upload.enqueue",
        obj=job,
        after={"file": name, "rows": len(rows), "submit": submit},
        actor=actor,
    )
    return job


def _trip_chunks(rows, size: int):
    """The rows in chunks of about `size`, a trip's rows never split between two chunks."""
    by_trip: dict[str, list] = {}
    for row, cells in rows:
        by_trip.setdefault(text_of(cells.get("trip")) or f"#{row}", []).append((row, cells))
    chunk: list = []
    for trip_rows in by_trip.values():
        chunk.extend(trip_rows)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def upload_run(*, actor, job_id: int, chunk: int | None = None):
    """Check and import a kept upload (the background task, as its uploader; tests). Not one service:
    progress is saved after each chunk in its own write, never inside the import's transaction, and
    the import itself is one (`rows_import`)."""
    from ..models import UploadJob, UploadStatus

    job = UploadJob.objects.select_related("created_by").get(pk=job_id)
    if actor is None or actor.pk != job.created_by_id:
        raise ServiceError(_("Chỉ người tải tệp lên mới nhập được tệp này."), code="forbidden", status=403)
    if job.finished:
        return job
    errors: list[CellError] = []
    try:
        source = io.BytesIO(bytes(job.content))
        source.name = job.filename
        rows = read_rows(source)
    except ServiceError as exc:
        errors = [CellError(0, "", "", m) for m in exc.messages]
        rows = []
    UploadJob.objects.filter(pk=job.pk).update(status=UploadStatus.CHECKING, checked_rows=0)
    checked = 0
    for part in _trip_chunks(rows, chunk or CHECK_CHUNK_ROWS):
        with batch():  # a dry run: everything it writes is rolled back
            errors += rows_import(actor=actor, rows=part, submit=job.submit).errors
            transaction.set_rollback(True)
        checked += len(part)
        UploadJob.objects.filter(pk=job.pk).update(checked_rows=checked)
    result = ImportResult(errors=errors)
    if not errors and rows:
        result = rows_import(actor=actor, rows=rows, submit=job.submit)
    return _job_finish(actor=actor, job=job, result=result)


@service
def _job_finish(*, actor, job, result: ImportResult):
    from ..models import UploadJob, UploadStatus

    errors = sorted(result.errors, key=lambda e: (e.row, len(e.column), e.column))
    job = UploadJob.objects.select_for_update().get(pk=job.pk)
    job.status = UploadStatus.REFUSED if errors else UploadStatus.DONE
    job.checked_rows = job.total_rows
    job.errors = [
        {"row": e.row, "column": e.column, "header": e.header, "message": e.message} for e in errors
    ]
    job.created_ids = [d.pk for d in result.created]
    job.finished_at = timezone.now()
    job.content = b""  # the file is not kept once read
    job.save()
    audit_record(
        action="traffic.upload.refuse" if errors else "traffic.upload.finish",
        obj=job,
        after={"errors": len(errors), "created": len(job.created_ids)},
        actor=actor,
    )
    return job
