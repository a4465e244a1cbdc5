"""The one reader for numbers that people type and files bring, in the reader's language.

    read_number("1.200")                  == Decimal("1200")     (Vietnamese, the default)
    read_number("1.200,5")                == Decimal("1200.5")
    read_number("1,200.5", lang="en")     == Decimal("1200.5")   (English and Chinese)
    read_number("1,200")                  -> NumberReadError: two readings, 1,2 or 1.200
    read_number("12.34")                  -> NumberReadError: malformed here; in English it would be 12,34
    show_number(Decimal("1.234"))         == "1,2340"  (a form shows back what reads back the same)

Each language has a group separator and a decimal mark: Vietnamese "." and ",", English and Chinese ","
and ".". A text is read by the reader's language only, strictly (groups of exactly three digits after
the first, at most one decimal mark, after the groups, digits on both sides, an optional leading minus).
It is never guessed:

* Text that the reader's language reads but that also reads as a *different* number the other way, and
  uses the decimal mark, is refused with both readings: "1,200" in Vietnamese is 1,2 or 1.200 (an
  English-style grouping), "1.200" in English is 1.2 or 1,200 (a Vietnamese-style grouping). A text that
  uses only the reader's group separator ("1.200" in Vietnamese) is read as grouped, as its reader means.
* Text the reader's language does not read is refused with the reading it would have the other way, if
  any ("12.34" in Vietnamese: did you mean 12,34?), or with the rule it breaks.

Numbers that are already numbers (int, Decimal, a numeric Excel cell) are not read at all; see `to_number`.
Machine forms ("5250.5", what code and the CLI's other commands use) go through `vnformat.to_decimal`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from cuakhau.core.vnformat import MAX_INPUT_LENGTH, NumberFormatError, to_decimal

__all__ = [
    "NumberReadError",
    "plain",
    "reader_language",
    "read_integer",
    "read_number",
    "show_number",
    "to_number",
    "write_number",
]


@dataclass(frozen=True)
class Convention:
    group: str
    decimal: str

    def pattern(self) -> re.Pattern:
        g, d = re.escape(self.group), re.escape(self.decimal)
        return re.compile(
            rf"(?P<sign>-?)(?P<int>[1-9]\d{{0,2}}(?:{g}\d{{3}})+|\d+)(?:{d}(?P<frac>\d+))?", re.ASCII
        )


VIETNAMESE = Convention(group=".", decimal=",")
ENGLISH = Convention(group=",", decimal=".")
CONVENTIONS = {"vi": VIETNAMESE, "en": ENGLISH, "zh": ENGLISH}
_PATTERNS = {id(c): c.pattern() for c in (VIETNAMESE, ENGLISH)}


class NumberReadError(NumberFormatError):
    """A text the reader cannot read for sure. `readings` are the numbers it could have meant (none, one
    read the other way, or two when it is ambiguous); `message` names the rule and shows them."""

    def __init__(self, message: str, code: str = "invalid", readings: tuple[Decimal, ...] = ()):
        super().__init__(message, code)
        self.readings = readings


def reader_language(lang: str | None = None) -> str:
    """ "vi", "en" or "zh" for a language code ("zh-hans", "en-us", None for the active language)."""
    code = (lang or translation.get_language() or settings.LANGUAGE_CODE).lower()
    base = code.replace("_", "-").split("-")[0]
    return base if base in CONVENTIONS else "vi"


def _other(convention: Convention) -> Convention:
    return ENGLISH if convention is VIETNAMESE else VIETNAMESE


def _strict(raw: str, convention: Convention) -> Decimal | None:
    match = _PATTERNS[id(convention)].fullmatch(raw)
    if not match:
        return None
    digits = match["int"].replace(convention.group, "")
    frac = match["frac"]
    return Decimal(f"{match['sign']}{digits}.{frac}" if frac else f"{match['sign']}{digits}")


def write_number(value, lang: str | None = None, decimals: int | None = None) -> str:
    """A number in the reader's form, grouped: 1200.5 -> "1.200,5" (vi) or "1,200.5" (en, zh). The
    writing is core.l10n's, the one formatter of numbers for pages; this only picks the language."""
    from cuakhau.core import l10n

    with translation.override({"vi": "vi", "en": "en", "zh": "zh-hans"}[reader_language(lang)]):
        return l10n.format_number(value, decimals)


def plain(number: Decimal) -> Decimal:
    """The same number without zeros after its last significant decimal (Decimal("1.2000") -> 1.2,
    Decimal("1200.000") -> 1200), exactly: normalize() would round past the context's 28 digits and
    write 1200 as 1.2E+3."""
    sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int):
        return number
    kept = list(digits)
    while exponent < 0 and len(kept) > 1 and kept[-1] == 0:
        kept.pop()
        exponent += 1
    if exponent < 0 and kept == [0]:
        exponent = 0
    return Decimal((sign, tuple(kept), exponent))


def show_number(value, lang: str | None = None) -> str:
    """What a form shows for a stored number: the reader's form with the digits that matter, written so
    that the reader reads it back as the same number. 1200 -> "1.200"; Decimal("1.200") -> "1,2";
    Decimal("1.234") -> "1,2340" in Vietnamese, since "1,234" would be refused as ambiguous."""
    number = plain(to_decimal(value))
    text = write_number(number, lang)
    if _two_readings(text, CONVENTIONS[reader_language(lang)]):
        text += "0"
    return text


def _two_readings(raw: str, convention: Convention) -> tuple[Decimal, Decimal] | None:
    """(this way, the other way) when `raw` uses the decimal mark and reads as two different numbers."""
    own, other = _strict(raw, convention), _strict(raw, _other(convention))
    if own is None or other is None or own == other or convention.decimal not in raw:
        return None
    return own, other


def _diagnose(raw: str, convention: Convention) -> tuple[str, str]:
    """Why `raw` is not a number in `convention`: (message with %(value)s and separators, code)."""
    group, decimal = convention.group, convention.decimal
    body = raw.lstrip("-+")
    if raw.startswith("+") or raw.count("-") > 1 or "-" in body:
        return _("“%(value)s”: dấu trừ chỉ đặt ở đầu số, không dùng dấu cộng."), "sign"
    if re.search(r"[^0-9.,]", body) or not re.search(r"[0-9]", body):
        return (
            _(
                "“%(value)s”: số chỉ gồm chữ số, dấu “%(group)s” tách hàng nghìn và dấu “%(decimal)s” thập phân."
            ),
            "characters",
        )
    if body.count(decimal) > 1:
        return (
            _("“%(value)s”: chỉ có một dấu “%(decimal)s”, là dấu thập phân (ví dụ %(example)s)."),
            "decimal_separator",
        )
    if group in body.partition(decimal)[2]:
        return (
            _(
                "“%(value)s”: dấu “%(group)s” tách hàng nghìn phải đứng trước dấu “%(decimal)s” thập phân (ví dụ %(example)s)."
            ),
            "thousands_separator",
        )
    if body.startswith((",", ".")) or body.endswith((",", ".")):
        return (
            _(
                "“%(value)s”: phải có chữ số ở cả hai bên dấu “%(group)s” và dấu “%(decimal)s” (ví dụ %(small)s)."
            ),
            "separator_position",
        )
    return (
        _(
            "“%(value)s”: dấu “%(group)s” chỉ dùng để tách hàng nghìn, mỗi nhóm đủ 3 chữ số; phần thập phân "
            "dùng dấu “%(decimal)s” (ví dụ %(example)s)."
        ),
        "thousands_separator",
    )


def read_number(text, *, lang: str | None = None, label: str = "") -> Decimal:
    """The number `text` means in the reader's language (the active one unless `lang` is given).

    Raises NumberReadError, whose message starts with `label` (the field's name) when one is given.
    """
    language = reader_language(lang)
    convention = CONVENTIONS[language]

    def refuse(message: str, code: str, readings: tuple[Decimal, ...] = (), **params) -> NumberReadError:
        params = {
            "value": str(text).strip()[:MAX_INPUT_LENGTH],
            "group": convention.group,
            "decimal": convention.decimal,
            "example": write_number(Decimal("5250.5"), language),
            "small": write_number(Decimal("0.5"), language),
            **params,
        }
        message = message % params
        if label:
            message = _("%(label)s: %(message)s") % {"label": label, "message": message}
        return NumberReadError(message, code, readings)

    if not isinstance(text, str):
        raise refuse(_("Giá trị này không phải là số."), "not_a_number")
    raw = text.strip().replace("\u2212", "-")
    if not raw:
        raise refuse(_("Chưa nhập số."), "empty")
    if len(raw) > MAX_INPUT_LENGTH:
        raise refuse(_("Số quá dài."), "too_long")
    own = _strict(raw, convention)
    other = _strict(raw, _other(convention))
    if own is not None:
        readings = _two_readings(raw, convention)
        if readings is None:
            return own
        own, other = readings
        whole, fraction = (other, own) if abs(other) > abs(own) else (own, other)
        fraction_read = write_number(plain(fraction), language)
        fraction_written = show_number(fraction, language)
        raise refuse(
            _(
                "“%(value)s” có hai cách đọc: %(whole)s (hàng nghìn) hoặc %(fraction)s (số thập phân). "
                "Hãy viết %(whole)s hoặc %(fraction_written)s cho rõ."
            ),
            "ambiguous",
            (own, other),
            whole=write_number(whole, language),
            fraction=fraction_read,
            fraction_written=fraction_written,
        )
    if other is not None:
        raise refuse(
            _(
                "“%(value)s” không đúng cách viết số: dấu “%(group)s” tách hàng nghìn (nhóm đủ 3 chữ số), "
                "dấu “%(decimal)s” tách phần thập phân. Có thể ý là %(reading)s."
            ),
            "other_convention",
            (other,),
            reading=write_number(other, language),
        )
    message, code = _diagnose(raw, convention)
    raise refuse(message, code)


def read_integer(text, *, lang: str | None = None, label: str = "") -> int:
    """A whole number read as `read_number` reads it; a fraction is refused, naming the field."""
    number = read_number(text, lang=lang, label=label)
    if number != number.to_integral_value():
        message = _("“%(value)s” phải là số nguyên, không có phần thập phân.") % {"value": str(text).strip()}
        if label:
            message = _("%(label)s: %(message)s") % {"label": label, "message": message}
        raise NumberReadError(message, "not_whole", (number,))
    return int(number)


def to_number(value, *, lang: str | None = None, label: str = "") -> Decimal:
    """A value from a form, a file cell or an API field: numbers (int, Decimal, float through its
    shortest repr) are taken as they are; text goes through `read_number`."""
    if isinstance(value, bool):
        raise NumberReadError(
            (_("%(label)s: %(message)s") % {"label": label, "message": _("Giá trị này không phải là số.")})
            if label
            else _("Giá trị này không phải là số."),
            "not_a_number",
        )
    if isinstance(value, int | float | Decimal):
        try:
            return to_decimal(value)
        except NumberFormatError as exc:
            raise NumberReadError(
                (_("%(label)s: %(message)s") % {"label": label, "message": exc.message})
                if label
                else exc.message,
                exc.code,
            ) from None
    return read_number(value if isinstance(value, str) else str(value), lang=lang, label=label)
