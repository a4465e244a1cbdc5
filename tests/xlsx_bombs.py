"""Hostile spreadsheets for the upload-limit tests and bench/upload_limits.py (security finding M3):
small xlsx files whose sheet XML claims millions of rows, written directly (openpyxl would take minutes
to write them cell by cell)."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook


def empty_rows_xlsx(
    rows: int = 2_000_000, *, numbered: bool = True, dimension: int | None = None, header=("a",)
) -> bytes:
    """An xlsx whose first sheet has a header row then `rows` - 1 empty rows: `<row r="n"/>` each when
    `numbered` (about 4.9 MB packed for 2,000,000 rows, a ratio of 7), or bare `<row/>` (a few hundred
    KB packed, a ratio in the hundreds). With `dimension`, the sheet states
    A1:A<dimension> (a dimension that may lie)."""
    wb = Workbook()
    wb.active.append(list(header))
    plain = io.BytesIO()
    wb.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as package:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                head = data.split(b"<sheetData>")[0]
                head = re.sub(rb"<dimension [^>]*/>", b"", head)
                if dimension:
                    head = head.replace(b"<sheetViews>", b'<dimension ref="A1:A%d"/><sheetViews>' % dimension)
                first = (
                    b'<row r="1">'
                    + b"".join(
                        b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>'
                        % (chr(65 + i).encode(), str(h).encode())
                        for i, h in enumerate(header)
                    )
                    + b"</row>"
                )
                body = (
                    b"".join(b'<row r="%d"/>' % n for n in range(2, rows + 1))
                    if numbered
                    else b"<row/>" * (rows - 1)
                )
                data = head + b"<sheetData>" + first + body + b"</sheetData></worksheet>"
            package.writestr(item.filename, data)
    return out.getvalue()
