"""The one table of the office files and photos the Board accepts as uploads, and the one check that a
file is what its name says: by its first bytes (its signature), never by its name or the browser's
content type. Each app picks the kinds it takes and keeps its own size limits and messages:

    EVIDENCE_TYPES = uploads.file_types("pdf", "docx", "jpg")
    content_type, signatures = EVIDENCE_TYPES[uploads.extension(name)]
    if not uploads.has_signature(head, signatures): ...

Photos that must lose their metadata (incidents) are decoded and re-encoded instead (incidents.photos):
a signature says what a file is, not that it is safe to publish.

Spreadsheets and CSV files are read by `read_table` (or `open_workbook` + `sheet_rows` for a reader
that streams), within the limits of settings UPLOAD_MAX_* (see below).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
ZIP = b"PK\x03\x04"  # docx and xlsx are zip packages (Office Open XML)
OLE = b"\xd0\xcf\x11\xe0"  # doc and xls are OLE compound files

# extension (lower case, no dot) -> (content type, the signatures the file may start with)
FILE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (PDF,)),
    "png": ("image/png", (PNG,)),
    "jpg": ("image/jpeg", (JPEG,)),
    "jpeg": ("image/jpeg", (JPEG,)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    "doc": ("application/msword", (OLE,)),
    "xls": ("application/vnd.ms-excel", (OLE,)),
}


def file_types(*extensions: str) -> dict[str, tuple[str, tuple[bytes, ...]]]:
    """The entries of FILE_TYPES for these extensions, in the order given (an unknown one is a bug)."""
    return {ext: FILE_TYPES[ext] for ext in extensions}


def extension(name: str) -> str:
    """The file name's extension, lower case and without the dot; '' when it has none."""
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def has_signature(head: bytes, signatures: tuple[bytes, ...]) -> bool:
    """Whether the file's first bytes are one of the signatures of its kind."""
    return head.startswith(signatures)


def head(upload, size: int = 16) -> bytes:
    """The first bytes of an uploaded file, leaving it at the start for whoever saves it."""
    if hasattr(upload, "seek"):
        upload.seek(0)
    first = upload.read(size) or b""
    if hasattr(upload, "seek"):
        upload.seek(0)
    return first


# --- spreadsheets and CSV: one bounded reader ------------------------------------------------------
#
# Every xlsx/csv the product takes from a person (the declarations' Excel upload, trade series imports,
# bank statements) is read here, within limits that are settings (README, docs/security.md "Uploads
# and imports"): the file's size; for an xlsx (a zip package), the sum of its members' uncompressed
# sizes and their compression ratio, read from the zip directory before openpyxl opens anything; and
# the rows and columns scanned. A sheet whose dimension claims more rows than the limit is refused at
# once, and iter_rows never reads past the limit, so a small file claiming 2,000,000 empty rows costs
# nothing. Readers run before any transaction opens (SQLite's write lock is not held while reading).

SPREADSHEET_EXTENSIONS = ("xlsx", "xlsm")
CSV_EXTENSIONS = ("csv", "txt")


@dataclass(frozen=True)
class Limits:
    """What one upload may weigh: bytes on the wire, bytes unpacked, the packing ratio, rows, columns."""

    max_bytes: int
    max_uncompressed: int
    max_ratio: int
    max_rows: int
    max_columns: int


def limits(**overrides) -> Limits:
    """The limits from settings (UPLOAD_MAX_*), with a caller's own row limit and the like."""
    from django.conf import settings

    base = Limits(
        max_bytes=settings.UPLOAD_MAX_BYTES,
        max_uncompressed=settings.UPLOAD_MAX_UNCOMPRESSED_BYTES,
        max_ratio=settings.UPLOAD_MAX_ZIP_RATIO,
        max_rows=settings.UPLOAD_MAX_ROWS,
        max_columns=settings.UPLOAD_MAX_COLUMNS,
    )
    return replace(base, **{k: v for k, v in overrides.items() if v is not None})


def _refuse(message: str, status: int = 413):
    from cuakhau.core.errors import ServiceError

    return ServiceError(message, field="file", code="upload_limit", status=status)


def _megabytes(n: int) -> str:
    from cuakhau.core import l10n

    return l10n.format_number(round(n / 1_000_000, 1)) + " MB"


def _count(n: int) -> str:
    from cuakhau.core import l10n

    return l10n.format_number(n)


def size_of(upload) -> int:
    """An upload's size in bytes (Django's UploadedFile, bytes, a path or an open file)."""
    import os

    if isinstance(upload, bytes | bytearray):
        return len(upload)
    if isinstance(upload, str | os.PathLike):
        return os.path.getsize(upload)
    size = getattr(upload, "size", None)
    if size is not None:
        return int(size)
    position = upload.tell()
    upload.seek(0, os.SEEK_END)
    size = upload.tell()
    upload.seek(position)
    return size


def check_size(upload, lim: Limits) -> None:
    from django.utils.translation import gettext as _

    if size_of(upload) > lim.max_bytes:
        raise _refuse(
            _("Tệp lớn quá giới hạn %(limit)s (UPLOAD_MAX_BYTES): hãy chia nhỏ tệp.")
            % {"limit": _megabytes(lim.max_bytes)}
        )


ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
STRING_TAG = re.compile(rb"<(?:\w+:)?si[\s>/]")


def _count_tags(package: zipfile.ZipFile, member: zipfile.ZipInfo, pattern: re.Pattern, most: int) -> int:
    """How many times `pattern` occurs in a member, read in chunks and stopped past `most`: openpyxl
    scans a whole sheet for its dimension when the sheet does not state one first, so the count is
    taken here, at the cost of inflating the member once (bounded by the uncompressed limit)."""
    found, tail = 0, b""
    with package.open(member) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            cut = max(0, len(data) - 8)  # a tag split over two chunks is counted in the next
            found += len(pattern.findall(data, 0, cut))
            tail = data[cut:]
            if found > most:
                return found
    return found + len(pattern.findall(tail))


def check_package(source, lim: Limits) -> None:
    """An xlsx's zip directory against the limits, before openpyxl opens it: the members' summed
    uncompressed size and each member's compression ratio (a zip bomb packs gigabytes in kilobytes);
    then the rows and cells each worksheet holds and the shared strings, counted without parsing."""
    from django.utils.translation import gettext as _

    try:
        package = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(_("Tệp không đọc được: hãy dùng tệp Excel .xlsx."), status=400) from exc
    try:
        members = package.infolist()
        total = sum(m.file_size for m in members)
        if total > lim.max_uncompressed:
            raise _refuse(
                _("Tệp Excel giải nén ra %(size)s, quá giới hạn %(limit)s (UPLOAD_MAX_UNCOMPRESSED_BYTES).")
                % {"size": _megabytes(total), "limit": _megabytes(lim.max_uncompressed)}
            )
        for m in members:
            if m.file_size > 1_000_000 and m.file_size > lim.max_ratio * max(m.compress_size, 1):
                raise _refuse(
                    _(
                        "Tệp Excel nén bất thường (một phần giải nén gấp hơn %(ratio)s lần, "
                        "UPLOAD_MAX_ZIP_RATIO): thường do hàng triệu dòng trống; hãy xóa các dòng trống rồi lưu lại."
                    )
                    % {"ratio": _count(lim.max_ratio)}
                )
        rows = lim.max_rows + 1  # the header
        cells = (rows + 1) * (lim.max_columns + 1)
        for m in members:
            name = m.filename.lower()
            try:
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    if _count_tags(package, m, ROW_TAG, rows + 1) > rows + 1:
                        raise too_many_rows(lim)
                    if _count_tags(package, m, CELL_TAG, cells) > cells:
                        raise too_many_columns(lim)
                elif name == "xl/sharedstrings.xml" and _count_tags(package, m, STRING_TAG, cells) > cells:
                    raise too_many_columns(lim)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
                raise _refuse(_("Tệp không đọc được: hãy dùng tệp Excel .xlsx."), status=400) from exc
    finally:
        package.close()
        if hasattr(source, "seek"):
            source.seek(0)


def too_many_rows(lim: Limits):
    from django.utils.translation import gettext as _

    return _refuse(
        _(
            "Tệp có hơn %(n)s dòng (giới hạn UPLOAD_MAX_ROWS): hãy chia tệp, hoặc xóa các dòng trống thừa ở cuối trang."
        )
        % {"n": _count(lim.max_rows)},
        status=422,
    )


def too_many_columns(lim: Limits):
    from django.utils.translation import gettext as _

    return _refuse(
        _("Tệp có hơn %(n)s cột (giới hạn UPLOAD_MAX_COLUMNS).") % {"n": _count(lim.max_columns)},
        status=422,
    )


def _bounded(rows: Iterable[Sequence[Any]], lim: Limits, header: bool) -> Iterator[tuple[int, tuple]]:
    """(row number from 1, cells) for at most max_rows data rows (+ the header row); a row beyond them
    with anything in it, or a cell beyond max_columns, is refused."""
    allowed = lim.max_rows + (1 if header else 0)
    for number, cells in enumerate(rows, start=1):
        cells = tuple(cells)
        if len(cells) > lim.max_columns:
            if any(c not in (None, "") for c in cells[lim.max_columns :]):
                raise too_many_columns(lim)
            cells = cells[: lim.max_columns]
        if number > allowed:
            if any(c not in (None, "") for c in cells):
                raise too_many_rows(lim)
            continue
        yield number, cells


def open_workbook(source, lim: Limits):
    """A read-only openpyxl workbook, once the file passed the size and package checks."""
    from django.utils.translation import gettext as _
    from openpyxl import load_workbook

    check_size(source, lim)
    check_package(source, lim)
    try:
        return load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise _refuse(_("Tệp không đọc được: hãy dùng tệp Excel .xlsx."), status=400) from exc


def sheet_rows(ws, lim: Limits, *, header: bool = True, start: int = 0) -> Iterator[tuple[int, tuple]]:
    """(row number, cell values) of a read-only worksheet, never reading past max_rows (+ header) + 1
    rows or max_columns + 1 columns. A sheet whose stated dimension goes past the limit is refused
    before a row is read. `start` skips that many rows (a chunked import resuming)."""
    allowed = lim.max_rows + (1 if header else 0)
    if (ws.max_row or 0) > allowed:
        raise too_many_rows(lim)
    rows = ws.iter_rows(min_row=1, max_row=allowed + 1, max_col=lim.max_columns + 1, values_only=True)
    for number, cells in _bounded(rows, lim, header):
        if number > start:
            yield number, cells


def csv_rows(text: str, lim: Limits, *, header: bool = True, delimiter: str | None = None):
    """(line number, cells) of CSV text within the limits; the delimiter (, ; or tab) guessed from the
    first lines unless given. The text is already bounded by the file's size."""
    if delimiter is None:
        sample = text[:4096]
        delimiter = max((",", ";", "\t"), key=sample.count) if sample.strip() else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return _bounded(reader, lim, header)


def decode_csv(content: bytes) -> str:
    from django.utils.translation import gettext as _

    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(_("Tệp CSV phải mã hóa UTF-8."), status=400) from exc


def read_table(
    upload, name: str, lim: Limits | None = None, *, sheet: str | None = None
) -> list[tuple[int, tuple]]:
    """Every row (number, cells) of an uploaded xlsx (its sheet `sheet`, or the first) or CSV, within
    the limits; a ServiceError on field "file" naming the limit otherwise. Nothing is written: call
    it before any transaction opens."""
    from django.utils.translation import gettext as _

    lim = lim or limits()
    ext = extension(name)
    content = upload if isinstance(upload, bytes | bytearray) else None
    if content is None:
        check_size(upload, lim)
        if hasattr(upload, "seek"):
            upload.seek(0)
        content = upload.read()
    check_size(content, lim)
    if ext in SPREADSHEET_EXTENSIONS:
        wb = open_workbook(io.BytesIO(content), lim)
        try:
            ws = wb[sheet] if sheet and sheet in wb.sheetnames else wb.worksheets[0]
            return list(sheet_rows(ws, lim))
        finally:
            wb.close()
    if ext in CSV_EXTENSIONS:
        try:
            return list(csv_rows(decode_csv(content), lim))
        except csv.Error as exc:
            raise _refuse(_("Tệp CSV hỏng: %(e)s") % {"e": exc}, status=400) from exc
    raise _refuse(_("Chỉ nhận tệp .csv hoặc .xlsx."), status=400)


def stored_file_response(
    stored,
    *,
    content_type: str,
    filename: str | None = None,
    as_attachment: bool = True,
    private_cache: bool = False,
):
    """The one way a stored upload is sent back: the caller has checked the reader's scope. A file the
    storage has lost (a restore without its media, a disk fault) answers 404 and is logged for the
    operators, never a 500; nosniff always, since the content type is the one checked at upload."""
    import logging

    from django.http import FileResponse, Http404

    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError) as exc:  # ValueError: the field holds no file
        logging.getLogger(__name__).error("stored file missing: %s", getattr(stored, "name", "?"))
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=as_attachment, filename=filename or "", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    if private_cache:
        response["Cache-Control"] = "private, max-age=3600"
    return response
