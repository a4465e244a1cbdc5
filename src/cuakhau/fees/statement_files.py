"""Bank statement files: a CSV or Excel statement read into its credit lines, and the payment
references a transfer note carries. Reads only, before any transaction opens; the import and the
reconciliation are fees.services.statements. The auctions' deposits read the same bank formats."""

from __future__ import annotations

import csv
import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cuakhau.core import l10n, numbers, uploads
from cuakhau.core.errors import ServiceError

from .collecting import REFERENCE_RE

HEADERS = {
    "date": ("ngay", "ngay giao dich", "ngay gd", "date", "booking date", "transaction date"),
    "amount": ("so tien", "so tien ghi co", "ghi co", "credit", "amount", "so tien co"),
    "note": ("noi dung", "dien giai", "noi dung chuyen khoan", "description", "note", "remark"),
    "bank_ref": ("ma giao dich", "so tham chieu", "so but toan", "reference", "ref", "transaction id"),
    "counterparty": ("nguoi chuyen", "ten nguoi chuyen", "doi tac", "counterparty", "payer"),
}
MAX_LINES = 20_000


@dataclass
class ParsedLine:
    row: int
    booked_on: datetime.date
    amount: int
    note: str
    bank_ref: str
    counterparty: str


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Mn").lower().split())


def _date(value, row: int) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%d/%m/%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ServiceError(
        _("Dòng %(row)s: ngày %(v)s không đọc được (dd/mm/yyyy).") % {"row": row, "v": text}, field="file"
    )


CURRENCY_MARK_RE = re.compile(r"\s|đ|vnđ|vnd", re.IGNORECASE)


def _amount(value, row: int) -> int:
    """A line's amount in whole đồng: a number cell as it is; text ("1.200.000 đ", "+1.200.000,00")
    read by core.numbers in the language of the person importing (the active one), never guessed:
    "1,200" on a Vietnamese page is refused with its two readings, not taken as 1200 or 1,2."""
    if isinstance(value, str) or value is None:
        value = CURRENCY_MARK_RE.sub("", value or "").removeprefix("+")
    try:
        number = numbers.to_number(value, label=_("Số tiền"))
    except numbers.NumberReadError as exc:
        raise ServiceError(
            _("Dòng %(row)s: %(message)s") % {"row": row, "message": exc.message}, field="file"
        ) from None
    if number != number.to_integral_value():
        raise ServiceError(
            _("Dòng %(row)s: số tiền %(v)s có phần lẻ dưới một đồng.")
            % {"row": row, "v": l10n.format_number(number)},
            field="file",
        )
    return int(number)


def _columns(header: list) -> dict[str, int]:
    folded = [_fold(h) for h in header]
    found = {}
    for key, names in HEADERS.items():
        for i, name in enumerate(folded):
            if name in names:
                found[key] = i
                break
    missing = [k for k in ("date", "amount", "note", "bank_ref") if k not in found]
    if missing:
        raise ServiceError(
            _("Tệp sao kê thiếu cột: %(cols)s (cần ngày, số tiền, nội dung, mã giao dịch).")
            % {"cols": ", ".join(missing)},
            field="file",
        )
    return found


def parse_statement(*, file_name: str, content: bytes) -> list[ParsedLine]:
    """CSV (UTF-8, comma or semicolon) or Excel (.xlsx) with a header row; credit lines only. Read by
    core.uploads within the upload limits (size, uncompressed size, STATEMENT_MAX_ROWS rows, columns):
    it writes nothing, so it runs before the import's transaction opens."""
    from django.conf import settings

    limits = uploads.limits(max_rows=settings.STATEMENT_MAX_ROWS)
    name = file_name.lower()
    if name.endswith(".xlsx"):
        try:
            rows = [list(r) for _n, r in uploads.read_table(content, "statement.xlsx", limits)]
        except ServiceError as exc:
            if exc.status == 400:  # not a workbook: the statement's own words
                raise ServiceError(_("Không đọc được tệp Excel."), field="file") from exc
            raise
    elif name.endswith(".csv"):
        uploads.check_size(content, limits)
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ServiceError(_("Tệp CSV phải mã hóa UTF-8."), field="file") from exc
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
        except csv.Error:
            dialect = csv.excel
        rows = [list(r) for _n, r in uploads.csv_rows(text, limits, delimiter=dialect.delimiter)]
    else:
        raise ServiceError(_("Chỉ nhận tệp .csv hoặc .xlsx."), field="file")
    rows = [r for r in rows if any(str(c or "").strip() for c in r)]
    if not rows:
        raise ServiceError(_("Tệp sao kê trống."), field="file")
    if len(rows) > MAX_LINES:
        raise ServiceError(
            _("Tệp quá lớn (tối đa %(n)s dòng).") % {"n": l10n.format_number(MAX_LINES)}, field="file"
        )
    cols = _columns(rows[0])
    lines = []
    for i, r in enumerate(rows[1:], start=2):

        def cell(k, r=r):
            return r[cols[k]] if k in cols and cols[k] < len(r) else ""

        amount = _amount(cell("amount"), i)
        if amount <= 0:
            continue  # debits and zero lines are not fee receipts
        bank_ref = str(cell("bank_ref") or "").strip()
        if not bank_ref:
            raise ServiceError(_("Dòng %(row)s: thiếu mã giao dịch.") % {"row": i}, field="file")
        lines.append(
            ParsedLine(
                row=i,
                booked_on=_date(cell("date"), i),
                amount=amount,
                note=str(cell("note") or "").strip()[:500],
                bank_ref=bank_ref[:64],
                counterparty=str(cell("counterparty") or "").strip()[:255],
            )
        )
    return lines


REFERENCE_WORD_RE = re.compile(r"(?<![A-Z0-9])(" + REFERENCE_RE.pattern + r")(?![A-Z0-9])")
REFERENCE_ANYWHERE_RE = re.compile(r"(?=(" + REFERENCE_RE.pattern + r"))")


def references_in(note: str) -> list[str]:
    """Payment references a transfer note may carry, most likely first: those standing as a word, then any
    found with the spaces taken out (banking apps break long notes). "PHI" is also the unaccented "phí"
    (fee) that payers write before the reference ("CK PHI HA TANG PHI…"), so every candidate is tried,
    not only the first."""
    upper = (note or "").upper()
    found = REFERENCE_WORD_RE.findall(upper)
    found += REFERENCE_ANYWHERE_RE.findall("".join(upper.split()))
    return list(dict.fromkeys(found))
