"""VietQR (NAPAS 247) payloads: the EMVCo merchant-presented QR that Vietnamese banking apps read to fill
in a transfer to an account (or card). Fields are ID + 2-digit length + value; the last field (63) is a
CRC-16/CCITT-FALSE over everything before it, including "6304".

Limits follow EMVCo QRCPS-MPM v1.1: every value at most 99 characters; purpose of transaction (62/08) at
most 25 characters; amount (54) at most 13 characters. VND has no minor unit, so the amount is whole đồng.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError

NAPAS_GUID = "A000000727"
SERVICE_ACCOUNT = "QRIBFTTA"
SERVICE_CARD = "QRIBFTTC"
CURRENCY_VND = "704"
COUNTRY = "VN"
BIN_RE = re.compile(r"^\d{6}$")
ACCOUNT_RE = re.compile(r"^[A-Za-z0-9]{1,19}$")
PURPOSE_MAX = 25
AMOUNT_MAX_DIGITS = 13


class VietQRError(ServiceError):
    """A payload that cannot be built or read; `field` names the input at fault."""


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise VietQRError(_("Trường %(tag)s dài quá 99 ký tự.") % {"tag": tag}, field="payload")
    return f"{tag}{len(value):02d}{value}"


def _validate(bank_bin: str, account: str, amount: int | None, purpose: str) -> None:
    if not BIN_RE.match(bank_bin or ""):
        raise VietQRError(_("Mã BIN ngân hàng phải gồm đúng 6 chữ số."), field="bin")
    if not ACCOUNT_RE.match(account or ""):
        raise VietQRError(_("Số tài khoản phải gồm 1–19 chữ cái không dấu hoặc chữ số."), field="account")
    if amount is not None:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise VietQRError(_("Số tiền phải là số đồng nguyên dương."), field="amount")
        if len(str(amount)) > AMOUNT_MAX_DIGITS:
            raise VietQRError(_("Số tiền tối đa 13 chữ số."), field="amount")
    if purpose:
        if not purpose.isascii() or not purpose.isprintable():
            raise VietQRError(
                _("Nội dung chuyển khoản chỉ dùng chữ không dấu (ASCII), không ký tự điều khiển."),
                field="purpose",
            )
        if len(purpose) > PURPOSE_MAX:
            raise VietQRError(
                _("Nội dung chuyển khoản tối đa %(n)s ký tự.") % {"n": PURPOSE_MAX}, field="purpose"
            )


def build_payload(
    *, bank_bin: str, account: str, amount: int | None = None, purpose: str = "", to_card: bool = False
) -> str:
    """The payload text. With an amount the QR is dynamic (01=12), without one static (01=11)."""
    _validate(bank_bin, account, amount, purpose)
    beneficiary = _tlv("00", bank_bin) + _tlv("01", account)
    merchant = (
        _tlv("00", NAPAS_GUID)
        + _tlv("01", beneficiary)
        + _tlv("02", SERVICE_CARD if to_card else SERVICE_ACCOUNT)
    )
    payload = _tlv("00", "01") + _tlv("01", "12" if amount is not None else "11") + _tlv("38", merchant)
    payload += _tlv("53", CURRENCY_VND)
    if amount is not None:
        payload += _tlv("54", str(amount))
    payload += _tlv("58", COUNTRY)
    if purpose:
        payload += _tlv("62", _tlv("08", purpose))
    payload += "6304"
    return payload + f"{crc16_ccitt_false(payload.encode('ascii')):04X}"


def _read_tlv(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    i = 0
    while i < len(text):
        if i + 4 > len(text) or not text[i + 2 : i + 4].isdigit():
            raise VietQRError(_("Chuỗi VietQR hỏng ở vị trí %(i)s.") % {"i": i}, field="payload")
        tag, length = text[i : i + 2], int(text[i + 2 : i + 4])
        value = text[i + 4 : i + 4 + length]
        if len(value) != length:
            raise VietQRError(_("Trường %(tag)s bị cắt cụt.") % {"tag": tag}, field="payload")
        fields[tag] = value
        i += 4 + length
    return fields


@dataclass(frozen=True)
class VietQR:
    bank_bin: str
    account: str
    amount: int | None
    purpose: str
    dynamic: bool
    to_card: bool


def parse_payload(payload: str) -> VietQR:
    """Read a payload back, checking its CRC and its NAPAS fields."""
    payload = (payload or "").strip()
    if not payload.isascii() or len(payload) < 8 or payload[-8:-4] != "6304":
        raise VietQRError(_("Không phải chuỗi VietQR: thiếu trường CRC (63)."), field="payload")
    expected = f"{crc16_ccitt_false(payload[:-4].encode('ascii')):04X}"
    if payload[-4:].upper() != expected:
        raise VietQRError(
            _("Sai mã kiểm tra CRC: chuỗi ghi %(got)s, tính được %(expected)s.")
            % {"got": payload[-4:], "expected": expected},
            field="payload",
        )
    top = _read_tlv(payload)
    if top.get("00") != "01" or top.get("53") != CURRENCY_VND or top.get("58") != COUNTRY:
        raise VietQRError(
            _("Chuỗi không theo định dạng VietQR (phiên bản, tiền tệ VND, quốc gia VN)."), field="payload"
        )
    merchant = _read_tlv(top.get("38", ""))
    if merchant.get("00") != NAPAS_GUID or merchant.get("02") not in (SERVICE_ACCOUNT, SERVICE_CARD):
        raise VietQRError(_("Chuỗi không có thông tin người nhận NAPAS 247."), field="payload")
    beneficiary = _read_tlv(merchant.get("01", ""))
    amount_text = top.get("54")
    if amount_text is not None and not amount_text.isdigit():
        raise VietQRError(_("Số tiền trong chuỗi không hợp lệ."), field="payload")
    purpose = _read_tlv(top["62"]).get("08", "") if "62" in top else ""
    data = VietQR(
        bank_bin=beneficiary.get("00", ""),
        account=beneficiary.get("01", ""),
        amount=int(amount_text) if amount_text else None,
        purpose=purpose,
        dynamic=top.get("01") == "12",
        to_card=merchant["02"] == SERVICE_CARD,
    )
    _validate(data.bank_bin, data.account, data.amount, data.purpose)
    return data


def qr_svg(payload: str, *, scale: int = 4, title: str = "VietQR") -> str:
    """The QR image as an inline SVG string (pages, receipts). It keeps its natural size and has a
    viewBox, so a stylesheet that sizes it (a notice printed at 50 mm) scales the code, not only the
    canvas around it."""
    import re

    import segno

    svg = segno.make(payload, error="m", micro=False).svg_inline(scale=scale, title=title, border=2)
    size = re.match(r'<svg width="(\d+)" height="(\d+)"', svg)
    if size and "viewBox" not in svg[: svg.index(">")]:
        svg = svg.replace("<svg ", f'<svg viewBox="0 0 {size.group(1)} {size.group(2)}" ', 1)
    return svg
