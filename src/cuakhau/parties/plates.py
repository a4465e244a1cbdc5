"""Number plates: one canonical key per vehicle, whatever way a person, a form or a camera wrote it.

Vietnamese plates (Circular 24/2023/TT-BCA on vehicle registration): a two-digit province code
(Lạng Sơn is 12), a series of one letter (two for special series such as LD for foreign-invested
enterprises, KT for defence-economic enterprises) and a number of five digits (``123.45``) or, on
older plates, four (``1234``). Trailers and semi-trailers carry the R series: ``12R-001.23``.

Guangxi plates (GA 36 on PRC motor-vehicle plates): 桂, the issuing city's letter (the table in
data/guangxi_plates.csv), a middle dot and five letters or digits (I and O are never used);
new-energy vehicles have six; trailers have four followed by 挂. Systems that cannot write Chinese
characters send ``GUI F12345`` or ``GX-F12345``; both are read as 桂F·12345.

`parse_plate` returns the matching key (``12C12345``, ``桂F12345``), the country, whether the plate
is a trailer's, and the display form (``12C-123.45``, ``桂F·12345``); anything else is refused with
a message that names the field.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent / "data"

VN = "VN"
CN = "CN"

# Series letters the registration circular uses for cars and trucks (no I, J, O, Q, W; R is trailers).
VN_SERIES_LETTERS = frozenset("ABCDEFGHKLMNPSTUVXYZ")
VN_TRAILER_SERIES = "R"
# Two-letter series seen on trucks at the border: foreign-invested (LD), defence-economic (KT),
# project boards (DA), domestically assembled test vehicles (TD), limited-range vehicles (HC).
VN_SPECIAL_SERIES = frozenset({"LD", "KT", "DA", "TD", "HC"})

_VN_RE = re.compile(
    r"^(?P<province>\d{2})\s*-?\s*(?P<series>[A-Z]{1,2})\s*[-\s]?\s*"
    r"(?P<number>\d{3}[.\s]?\d{2}|\d{4})$"
)
# The middle dot appears as U+00B7, U+2022, U+2027, U+30FB or U+FF65 depending on the keyboard.
_CN_SEPARATORS = "·•‧・･.-_ "
_CN_BODY = "[A-HJ-NP-Z0-9]"
_CN_RE = re.compile(
    r"^(?:桂|GUI|GX)(?P<letter>[A-Z])"
    rf"(?P<body>{_CN_BODY}{{5}}|[DF]\d{{5}}|\d{{5}}[DF]|{_CN_BODY}{{4}}挂)$"
)
_OTHER_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂甘晋蒙陕吉闽贵粤青藏川宁琼"


class PlateError(ValueError):
    """A plate that is not a Vietnamese or Guangxi plate; `message` is for the person who typed it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Plate:
    key: str  # canonical matching key: 12C12345, 12R00123, 桂F12345, 桂F1234挂
    country: str  # VN or CN
    is_trailer: bool
    display: str  # 12C-123.45, 12C-1234, 桂F·12345, 桂F·1234挂

    def __str__(self) -> str:
        return self.display


@functools.cache
def guangxi_letters() -> dict[str, str]:
    """Letter -> issuing city, from the table the app ships."""
    with (DATA / "guangxi_plates.csv").open(encoding="utf-8") as fh:
        return {row["letter"]: f"{row['city_zh']} ({row['city_en']})" for row in csv.DictReader(fh)}


def _clean(raw: str) -> str:
    # NFKC turns full-width letters and digits (Ｆ１２) into ASCII; Đ is read as D (TĐ, MĐ series).
    text = unicodedata.normalize("NFKC", raw or "").strip().upper()
    return text.replace("Đ", "D").replace("\u00a0", " ")


def _bad(raw: str, label: str) -> PlateError:
    return PlateError(
        _(
            "%(label)s “%(plate)s” không đúng định dạng biển số Việt Nam (ví dụ 12C-123.45, 12C-1234, "
            "rơ-moóc 12R-001.23) hoặc biển số Quảng Tây (ví dụ 桂F·12345)."
        )
        % {"label": label, "plate": raw.strip()[:30]}
    )


def parse_plate(raw: str, *, label: str | None = None) -> Plate:
    """The canonical plate for `raw`, or PlateError naming the field (`label`, default "Biển số")."""
    label = label or _("Biển số")
    text = _clean(raw)
    if not text:
        raise PlateError(_("%(label)s không được để trống.") % {"label": label})
    if text[0].isdigit():
        return _parse_vn(raw, text, label)
    return _parse_cn(raw, text, label)


def _parse_vn(raw: str, text: str, label: str) -> Plate:
    match = _VN_RE.match(text)
    if not match:
        raise _bad(raw, label)
    province, series, number = match["province"], match["series"], re.sub(r"\D", "", match["number"])
    if not 11 <= int(province) <= 99:
        raise PlateError(
            _("%(label)s “%(plate)s”: mã tỉnh %(code)s không tồn tại (mã tỉnh từ 11 đến 99, Lạng Sơn là 12).")
            % {"label": label, "plate": raw.strip(), "code": province}
        )
    if len(series) == 1 and series not in VN_SERIES_LETTERS and series != VN_TRAILER_SERIES:
        raise PlateError(
            _("%(label)s “%(plate)s”: sê-ri %(series)s không dùng cho ô tô (không có I, J, O, Q, W).")
            % {"label": label, "plate": raw.strip(), "series": series}
        )
    if len(series) == 2 and series not in VN_SPECIAL_SERIES:
        raise PlateError(
            _(
                "%(label)s “%(plate)s”: sê-ri %(series)s không phải sê-ri hai chữ cái được cấp cho ô tô (%(known)s)."
            )
            % {
                "label": label,
                "plate": raw.strip(),
                "series": series,
                "known": ", ".join(sorted(VN_SPECIAL_SERIES)),
            }
        )
    if int(number) == 0:
        raise PlateError(
            _("%(label)s “%(plate)s”: số thứ tự không thể là toàn số 0.")
            % {"label": label, "plate": raw.strip()}
        )
    display_number = f"{number[:3]}.{number[3:]}" if len(number) == 5 else number
    return Plate(
        key=f"{province}{series}{number}",
        country=VN,
        is_trailer=series == VN_TRAILER_SERIES,
        display=f"{province}{series}-{display_number}",
    )


def _parse_cn(raw: str, text: str, label: str) -> Plate:
    if text[0] in _OTHER_PROVINCES:
        raise PlateError(
            _("%(label)s “%(plate)s”: chỉ nhận biển số Trung Quốc của Quảng Tây (桂).")
            % {"label": label, "plate": raw.strip()}
        )
    compact = "".join(ch for ch in text if ch not in _CN_SEPARATORS)
    match = _CN_RE.match(compact)
    if not match:
        raise _bad(raw, label)
    letter, body = match["letter"], match["body"]
    if letter not in guangxi_letters():
        raise PlateError(
            _("%(label)s “%(plate)s”: chữ %(letter)s không phải mã thành phố của Quảng Tây (%(known)s).")
            % {"label": label, "plate": raw.strip(), "letter": letter, "known": ", ".join(guangxi_letters())}
        )
    return Plate(
        key=f"桂{letter}{body}", country=CN, is_trailer=body.endswith("挂"), display=f"桂{letter}·{body}"
    )


def plate_key(raw: str) -> str:
    """The matching key, or '' when `raw` is not a plate (for lookups that must not raise)."""
    try:
        return parse_plate(raw).key
    except PlateError:
        return ""


def search_key(raw: str) -> str:
    """A fragment of a plate as it appears inside matching keys, for 'contains' searches."""
    text = _clean(raw)
    for prefix in ("GUI", "GX"):
        if text.startswith(prefix) and len(text) > len(prefix) and not text[len(prefix)].isdigit():
            text = "桂" + text[len(prefix) :]
    return "".join(ch for ch in text if ch not in _CN_SEPARATORS)
