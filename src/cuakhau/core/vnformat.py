"""Vietnamese number, money and date forms as plain functions, for places that are not Django templates
(PDF receipts, Word reports, Excel, the CLI) and for the `vn` template filters.

    format_number(5250) == "5.250"        format_number(27.1) == "27,1"
    format_number(5250.5) == "5.250,5"    format_number(2.345, decimals=2) == "2,35"
    format_vnd(1200000) == "1.200.000 đ"  format_vnd(1200000, long=True) == "1.200.000 đồng"
    format_percent(27.1) == "27,1%"       format_date(date(2025, 6, 5)) == "05/06/2025"
    parse_number("5.250,5") == Decimal("5250.5")
    parse_date("05/06/2025") == date(2025, 6, 5)
    amount_in_words(1200000) == "Một triệu hai trăm nghìn đồng"

These do not depend on the active language: a receipt is Vietnamese whoever prints it. Pages that follow
the reader's language use the `vn` filters (cuakhau/core/templatetags/vn.py) or Django's `localize`.

Input (parse_number) is the reader of cuakhau.core.numbers in Vietnamese: "." groups thousands in full
groups of three, "," is the decimal mark, and a text with two readings ("1,200": 1,2 or 1.200) is refused.
Machine forms ("5250.5", what code, CSV and the CLI use) go through `to_decimal`, never through
parse_number.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

__all__ = [
    "VN_TZ",
    "NumberFormatError",
    "amount_in_words",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "format_vnd",
    "parse_date",
    "parse_number",
    "round_half_up",
    "to_decimal",
]

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
THOUSAND_SEPARATOR = "."
DECIMAL_SEPARATOR = ","
MAX_INPUT_LENGTH = 64

_MACHINE_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?", re.ASCII)
_VN_NUMBER = re.compile(r"(?P<sign>-?)(?P<int>[1-9]\d{0,2}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d+))?", re.ASCII)


class NumberFormatError(ValueError):
    """Input that does not follow the stated form. `message` is for people (in the active language);
    `code` is stable for programs and forms."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


# --- numbers ------------------------------------------------------------------------------------


def to_decimal(value) -> Decimal:
    """A finite Decimal from an int, Decimal, float or machine-form string ("5250.5", "-12").

    Floats go through their shortest repr, so 27.1 is 27.1 and not 27.10000000000000142...
    """
    if isinstance(value, bool):
        raise NumberFormatError(_("Giá trị đúng/sai không phải là số."), "not_a_number")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value)) if value == value and abs(value) != float("inf") else Decimal("NaN")
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_INPUT_LENGTH or not _MACHINE_NUMBER.fullmatch(text):
            raise NumberFormatError(
                _(
                    "“%(value)s” không phải số dạng máy: chỉ gồm chữ số, có thể có dấu trừ ở đầu và "
                    "một dấu chấm thập phân (ví dụ 5250.5)."
                )
                % {"value": value[:MAX_INPUT_LENGTH]},
                "machine_form",
            )
        result = Decimal(text)
    else:
        raise NumberFormatError(_("Giá trị này không phải là số."), "not_a_number")
    if not result.is_finite():
        raise NumberFormatError(_("Số phải là một giá trị hữu hạn."), "not_finite")
    return result


def _group(digits: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return THOUSAND_SEPARATOR.join(parts)


def exponent(value: Decimal) -> int:
    """The exponent of a finite Decimal (Decimal("1E+3") -> 3, Decimal("1.50") -> -2)."""
    found = value.as_tuple().exponent
    if not isinstance(found, int):
        raise ValueError(f"not a finite number: {value}")
    return found


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """`value` to exactly `decimals` places, halves away from zero (2.345 -> 2.35, -2.5 -> -3)."""
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + decimals + 3)
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value, decimals: int | None = None) -> str:
    """5250 -> "5.250"; 27.1 -> "27,1"; 645.262 -> "645,262"; -5250.5 -> "-5.250,5".

    With `decimals`, exactly that many places, rounded half up (2.345 -> "2,35", 2.5 -> "3" with 0).
    Without it, the places the value has (a Decimal keeps its trailing zeros: Decimal("1.50") -> "1,50").
    """
    number = to_decimal(value)
    if decimals is not None:
        if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
            raise ValueError("decimals must be a non-negative int")
        number = round_half_up(number, decimals)
    elif exponent(number) > 0:  # Decimal("1E+3")
        number = round_half_up(number, 0)
    text = format(number.copy_abs(), "f")  # abs() would round to the context precision
    whole, _dot, fraction = text.partition(".")
    result = _group(whole)
    if fraction:
        result += DECIMAL_SEPARATOR + fraction
    if number < 0 and number != 0:
        result = "-" + result
    return result


def format_percent(value, decimals: int | None = None) -> str:
    """The value is already a percentage: 27.1 -> "27,1%" (not 0.271)."""
    return format_number(value, decimals) + "%"


def _whole_dong(amount) -> int:
    number = to_decimal(amount)
    if number != number.to_integral_value():
        raise NumberFormatError(
            _("Số tiền đồng phải là số nguyên (không có phần lẻ dưới 1 đồng): %(value)s.")
            % {"value": format_number(number)},
            "not_whole_dong",
        )
    return int(number)


def format_vnd(amount, *, long: bool = False) -> str:
    """1200000 -> "1.200.000 đ" (long=True: "1.200.000 đồng"). VND amounts are whole đồng."""
    return f"{format_number(_whole_dong(amount))} {'đồng' if long else 'đ'}"


def parse_number(text: str) -> Decimal:
    """A number typed the Vietnamese way ("5.250,5", "5250,5", "-1.200.000") as a Decimal: the reader of
    cuakhau.core.numbers in Vietnamese, whatever the active language (receipts, the CLI's default).

    Strict (see that module); anything else raises NumberFormatError with a message naming the rule.
    """
    from cuakhau.core.numbers import read_number

    return read_number(text, lang="vi")


# --- dates --------------------------------------------------------------------------------------


def _local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(VN_TZ) if value.tzinfo is not None else value


def format_date(value: dt.date | dt.datetime) -> str:
    """date(2025, 6, 5) -> "05/06/2025". An aware datetime is first put in Vietnam's time zone."""
    if isinstance(value, dt.datetime):
        value = _local(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_datetime(value: dt.datetime) -> str:
    """An aware datetime in Vietnam's time: "05/06/2025 14:30"."""
    value = _local(value)
    return f"{format_date(value)} {value.hour:02d}:{value.minute:02d}"


_DAY_FIRST = re.compile(r"(?P<d>\d{1,2})(?P<sep>[/-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d+)", re.ASCII)
_ISO_DATE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})", re.ASCII)


def parse_date(text: str) -> dt.date:
    """Day first: "05/06/2025", "5/6/2025" and "05-06-2025" are 5 June 2025; ISO "2025-06-05" too."""
    raw = text.strip() if isinstance(text, str) else ""
    match = _ISO_DATE.fullmatch(raw) or _DAY_FIRST.fullmatch(raw)
    if not match:
        raise NumberFormatError(
            _("“%(value)s” không phải ngày dạng ngày/tháng/năm (ví dụ 05/06/2025).") % {"value": raw},
            "date_form",
        )
    if len(match["y"]) != 4:
        raise NumberFormatError(
            _("“%(value)s”: năm phải viết đủ 4 chữ số (ví dụ 05/06/2025).") % {"value": raw}, "year_digits"
        )
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        raise NumberFormatError(
            _("Ngày %(value)s không có trong lịch.") % {"value": raw}, "no_such_date"
        ) from None


# --- amounts in words ---------------------------------------------------------------------------

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 10**9


def _triple(n: int, full: bool, zero_tens: str) -> list[str]:
    """0 < n < 1000. `full`: a higher group was read before this one, so "không trăm" and "lẻ" are said."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append(zero_tens)  # 105: một trăm lẻ năm
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")  # 10-19: mười, never "một mươi"
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])  # 15 mười lăm; 11 mười một; 14 mười bốn
    else:
        words += [_DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, _DIGITS[units]))  # 21 mốt, 24 tư, 25 lăm
    return words


def _below_billion(n: int, *, leading: bool, zero_tens: str) -> list[str]:
    words: list[str] = []
    for group, unit in ((n // 1_000_000, "triệu"), (n // 1000 % 1000, "nghìn"), (n % 1000, "")):
        if group:
            words += _triple(group, bool(words) or not leading, zero_tens)
            if unit:
                words.append(unit)
    return words


def _read(n: int, zero_tens: str) -> list[str]:
    """n > 0. Above 999 999 999 the count of tỷ is itself read as a number: 10**12 "một nghìn tỷ",
    10**18 "một tỷ tỷ"."""
    if n < _BILLION:
        return _below_billion(n, leading=True, zero_tens=zero_tens)
    high, low = divmod(n, _BILLION)
    words = _read(high, zero_tens) + ["tỷ"]
    if low:
        words += _below_billion(low, leading=False, zero_tens=zero_tens)
    return words


def amount_in_words(n: int, *, currency: bool = True, zero_tens: str = "lẻ") -> str:
    """The amount as written on receipts and invoices: 1200000 -> "Một triệu hai trăm nghìn đồng".

    Rules: mười for 10-19 and mươi from 20; mốt for 1 after mươi (21 hai mươi mốt, but 11 mười một);
    tư for 4 after mươi (24 hai mươi tư, but 4, 14, 104 bốn); lăm for 5 after mười/mươi (15, 25) and năm
    elsewhere (5, 105 một trăm lẻ năm); "lẻ" when the tens digit is zero (pass zero_tens="linh" for the
    northern form); a group after a higher one is read in full ("không trăm": 1 000 005 "một triệu không
    trăm lẻ năm"); nghìn, triệu, tỷ, and tỷ repeated above it. Negative amounts start with "Âm".
    First letter capitalised; "đồng" at the end unless currency=False.
    """
    if zero_tens not in ("lẻ", "linh"):
        raise ValueError("zero_tens must be 'lẻ' or 'linh'")
    if isinstance(n, bool):
        raise NumberFormatError(_("Giá trị đúng/sai không phải là số."), "not_a_number")
    number = _whole_dong(n)
    if number == 0:
        words = ["không"]
    else:
        words = _read(abs(number), zero_tens)
        if number < 0:
            words.insert(0, "âm")
    if currency:
        words.append("đồng")
    text = " ".join(words)
    return text[0].upper() + text[1:]
