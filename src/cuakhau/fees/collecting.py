"""Who collects and who pays, as a receipt and a payment notice print them: the collecting point (a
gate's Border Gate Management Centre), its details and its bank account, the payer's details, and the
symbols a receipt series may take. Reads only: the writes are in fees.services."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError
from cuakhau.core.roles import UnitKind

from .models import FORM_SYMBOL_RE, RECEIPT_SYMBOL_RE, CollectionAccount

SYMBOL_LETTERS = "ABCDEGHKLMNPQRSTUVXY"
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
FEE_NAME = (
    "Phí sử dụng công trình kết cấu hạ tầng, công trình dịch vụ, tiện ích công cộng trong khu vực cửa khẩu"
)
RECEIPT_NAME = "Biên lai thu phí, lệ phí"
# The Board's tax code until settings name the real one. 4900100004 is a made-up (check-digit valid) value.
DEMO_COLLECTOR_TAX_CODE = "4900100004"
REFERENCE_RE = re.compile(r"PHI[2-9A-HJ-NP-Z]{8}")
DEPOSIT_RE = re.compile(r"KQ(\d{10})")


# --- collector ------------------------------------------------------------------------------------


def collector_info(unit) -> dict:
    """Name, tax code and address printed as the collecting organisation. The gate centre's own tax code
    when it has one, else the Board's (settings FEES_COLLECTOR_TAX_CODE; a demo value until set)."""
    tax_code = unit.tax_code or getattr(settings, "FEES_COLLECTOR_TAX_CODE", "") or DEMO_COLLECTOR_TAX_CODE
    return {
        "name": unit.name,
        "tax_code": tax_code,
        "address": getattr(settings, "FEES_COLLECTOR_ADDRESS", "Thành phố Lạng Sơn, tỉnh Lạng Sơn"),
        "is_demo": tax_code == DEMO_COLLECTOR_TAX_CODE,
    }


def collecting_point(gate):
    """The gate centre that collects at `gate` (its series numbers the receipts)."""
    unit = gate.units.filter(kind=UnitKind.GATE_CENTRE).order_by("pk").first()
    if unit is None:
        raise ServiceError(
            _("Cửa khẩu %(gate)s chưa có Trung tâm quản lý cửa khẩu làm điểm thu.") % {"gate": gate.code},
            field="gate",
        )
    return unit


BANK_BIN_RE = re.compile(r"^\d{6}$")
BANK_NAME_MAX = 120  # CollectionAccount.bank_name
ACCOUNT_NUMBER_RE = re.compile(r"^[0-9A-Za-z]{6,19}$")
# What banks print as an account holder's name: capitals without accents, digits, and a little punctuation.
ACCOUNT_NAME_RE = re.compile(r"^[A-Z0-9 .,&()/'-]{1,255}$")


def bank_account_name(text: str) -> str:
    """`text` written as banks write an account holder's name: accents dropped (đ as D), upper case, one
    space between words. It is the name a payer's banking app shows after looking the account up (NAPAS
    247) and the one on the bank's statements, so the notice prints what the payer will see when checking
    whom they are paying."""
    import unicodedata

    text = (text or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(
        "-" if unicodedata.category(c) == "Pd" else c  # en and em dashes as the hyphen banks print
        for c in unicodedata.normalize("NFD", text)
        if not unicodedata.combining(c)
    )
    return " ".join(text.upper().split())


def collection_account(unit) -> dict:
    """The account a collecting point takes transfers into: its own (CollectionAccount) or, without one,
    the Board's from settings (documents.bank_account). The same dict either way: bin, bank_name ("" when
    not known), account, name, is_demo, and own (False for the fallback)."""
    from .documents import bank_account

    own = CollectionAccount.objects.filter(collector_unit=unit).first() if unit is not None else None
    if own is None:
        return bank_account() | {"own": False}
    return {
        "bin": own.bank_bin,
        "bank_name": own.bank_name,
        "account": own.account_number,
        "name": own.account_name,
        "is_demo": own.is_demo,
        "own": True,
    }


def assessment_account(assessment) -> dict:
    """The account that collects `assessment`: its gate's centre's (the Board's when the gate has none)."""
    try:
        unit = collecting_point(assessment.gate)
    except ServiceError:
        unit = None
    return collection_account(unit)


def validate_symbols(*, form_symbol: str, symbol: str, year: int) -> None:
    if not re.match(FORM_SYMBOL_RE, form_symbol or ""):
        raise ServiceError(_("Ký hiệu mẫu phải là EBL01 hoặc EBL02."), field="form_symbol")
    if not re.match(RECEIPT_SYMBOL_RE, symbol or ""):
        raise ServiceError(
            _("Ký hiệu biên lai gồm 2 số cuối của năm, chữ T và 2 chữ cái in hoa (ví dụ 26TAB)."),
            field="symbol",
        )
    if symbol[:2] != f"{year % 100:02d}":
        raise ServiceError(
            _("Ký hiệu %(symbol)s không khớp năm %(year)s.") % {"symbol": symbol, "year": year},
            field="symbol",
        )


def payer_info(unit) -> dict:
    if unit is None:
        return {"name": _("Người nộp phí vãng lai"), "tax_code": "", "address": ""}
    enterprise = getattr(unit, "enterprise", None)
    if enterprise is not None:
        return {"name": enterprise.name, "tax_code": enterprise.tax_code, "address": enterprise.address}
    return {"name": unit.name, "tax_code": unit.tax_code, "address": ""}
