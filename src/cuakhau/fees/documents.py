"""The receipt as documents: signed XML (business data + XML digital signature, enveloped, RSA-SHA256),
PDF (WeasyPrint, A5) and the daily summary 01/TH-BLĐT (Excel).

Keys: production names the collector's certificate and key by path (env or settings CUAKHAU_RECEIPT_CERT,
CUAKHAU_RECEIPT_KEY); a development install makes a self-signed pair under var/ (`cuakhau fees devcert`)."""

from __future__ import annotations

import datetime
import io
import os
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from cuakhau.core.feedback import feedback_link

from .models import Receipt, ReceiptStatus
from .vietqr import build_payload, qr_svg

XML_NS = "urn:cuakhau:bien-lai-dien-tu:1"
# What every document of a demo installation says of itself (core.selectors.is_demo_installation): in
# Vietnamese whatever the page's language, like the receipt it is printed on.
SAMPLE_TEXT = "MẪU – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"
DEV_SUBJECT = "Ban Quan ly Khu kinh te cua khau Dong Dang - Lang Son (DEV, khong co gia tri phap ly)"


def is_sample() -> bool:
    """Whether the documents produced now are samples: this installation is a demo."""
    from cuakhau.core.selectors import is_demo_installation

    return is_demo_installation()


def _setting(name: str) -> str:
    return os.environ.get(name) or getattr(settings, name, "") or ""


def var_dir() -> Path:
    return Path(getattr(settings, "VAR_DIR", Path.cwd() / "var"))


def key_paths() -> tuple[Path, Path]:
    cert = _setting("CUAKHAU_RECEIPT_CERT") or var_dir() / "receipt-signing-dev.crt"
    key = _setting("CUAKHAU_RECEIPT_KEY") or var_dir() / "receipt-signing-dev.key"
    return Path(cert), Path(key)


def devcert_create(*, force: bool = False, days: int = 825) -> tuple[Path, Path, bool]:
    """A self-signed RSA-2048 certificate and key for signing receipts in development. Kept if present."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    cert_path, key_path = key_paths()
    if cert_path.exists() and key_path.exists() and not force:
        return cert_path, key_path, False
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Lang Son"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEV_SUBJECT),
            x509.NameAttribute(NameOID.COMMON_NAME, "cuakhau receipt signing (development)"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    os.chmod(key_path, 0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path, True


def _signing_pair() -> tuple[bytes, bytes]:
    cert_path, key_path = key_paths()
    if not cert_path.exists() or not key_path.exists():
        if _setting("CUAKHAU_RECEIPT_CERT"):
            raise FileNotFoundError(f"receipt signing certificate not found: {cert_path}")
        devcert_create()
    return cert_path.read_bytes(), key_path.read_bytes()


# --- XML --------------------------------------------------------------------------------------------


def receipt_data_xml(receipt: Receipt):
    """The business-data part (DLBLai) as an lxml element."""
    from lxml import etree

    def sub(parent, tag, text=None):
        el = etree.SubElement(parent, f"{{{XML_NS}}}{tag}")
        if text is not None:
            el.text = str(text)
        return el

    root = etree.Element(f"{{{XML_NS}}}BLai", nsmap={None: XML_NS})
    data = sub(root, "DLBLai", None)
    data.set("Id", "data")
    general = sub(data, "TTChung")
    sub(general, "PBan", "1.0")
    sub(general, "THBLai", receipt.name)
    sub(general, "KHMSBLai", receipt.form_symbol)
    sub(general, "KHBLai", receipt.symbol)
    sub(general, "SBLai", receipt.number_text)
    sub(general, "NLap", receipt.issued_on.isoformat())
    sub(general, "MTCuu", receipt.check_code)
    sub(general, "DVTTe", "VND")
    if is_sample():
        # Inside the signed data: the mark cannot be stripped without breaking the signature.
        sub(general, "BLMau", SAMPLE_TEXT)
    if receipt.replaces_id:
        rel = sub(general, "TTBLLQuan")
        sub(rel, "TCHDon", "1")  # 1 = thay thế
        sub(rel, "KHMSBLGoc", receipt.replaces.form_symbol)
        sub(rel, "KHBLGoc", receipt.replaces.symbol)
        sub(rel, "SBLGoc", receipt.replaces.number_text)
        sub(rel, "LDo", receipt.replace_reason)
    content = sub(data, "NDBLai")
    collector = sub(content, "NThu")
    sub(collector, "Ten", receipt.collector_name)
    sub(collector, "MST", receipt.collector_tax_code)
    sub(collector, "DChi", receipt.collector_address)
    payer = sub(content, "NNop")
    sub(payer, "Ten", receipt.payer_name)
    sub(payer, "MST", receipt.payer_tax_code)
    sub(payer, "DChi", receipt.payer_address)
    items = sub(content, "DSKhoan")
    for i, line in enumerate(receipt.lines, start=1):
        item = sub(items, "Khoan")
        sub(item, "STT", i)
        sub(item, "Ten", line["name"])
        sub(item, "DGiai", line.get("detail", ""))
        sub(item, "STien", line["amount"])
        sub(item, "STBChu", line["amount_words"])
    sub(content, "TgTien", receipt.amount)
    sub(content, "TgTienBChu", receipt.amount_words)
    sub(content, "HTTToan", receipt.get_method_display())
    return root


def receipt_signed_xml(receipt: Receipt) -> bytes:
    """The receipt's XML signed by the collector (enveloped XMLDSig, RSA-SHA256, certificate in KeyInfo).
    Signed when the receipt is issued (receipts._issue, in its transaction) and kept, so a download
    serves the stored bytes and the document handed to the payer never changes; only a receipt written
    before that, or in bulk by `cuakhau demo generate`, is signed on its first download. A receipt signed before
    its installation became a demo keeps its XML as it was (on a demo installation, one signed after
    carries BLMau, the sample mark)."""
    if receipt.signed_xml:
        return receipt.signed_xml.encode("utf-8")
    from lxml import etree
    from signxml import DigestAlgorithm, SignatureMethod, XMLSigner

    cert, key = _signing_pair()
    root = receipt_data_xml(receipt)
    signer = XMLSigner(
        signature_algorithm=SignatureMethod.RSA_SHA256, digest_algorithm=DigestAlgorithm.SHA256
    )
    signed = signer.sign(root, key=key, cert=cert)
    text = etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
    if receipt.pk is not None:
        Receipt.objects.filter(pk=receipt.pk, signed_xml="").update(signed_xml=text.decode("utf-8"))
    return text


_XML_FIELDS = {"SBLai": "number", "KHBLai": "symbol", "KHMSBLai": "form_symbol", "TgTien": "amount"}


def signed_xml_problems(values: dict) -> list[str]:
    """The signed XML's number, symbols and amount against the receipt's row (audit verify): a row
    edited after signing no longer matches the document the payer holds."""
    import re

    xml = values.get("signed_xml") or ""
    if not xml:
        return []
    problems = []
    for tag, name in _XML_FIELDS.items():
        match = re.search(rf"<(?:\w+:)?{tag}>([^<]*)</(?:\w+:)?{tag}>", xml)
        row = values.get(name)
        expected = f"{row:08d}" if name == "number" and isinstance(row, int) else str(row)
        if match is None or match.group(1) != expected:
            shown = match.group(1) if match else "—"
            problems.append(f"signed XML {tag} {shown} ≠ row {name} {expected}")
    return problems


def verify_signed_xml(xml: bytes, cert_pem: bytes | None = None):
    """Check the signature (with the configured certificate unless one is given); returns the signed data."""
    from signxml import XMLVerifier

    cert = cert_pem or _signing_pair()[0]
    return XMLVerifier().verify(xml, x509_cert=cert.decode() if isinstance(cert, bytes) else cert)


# --- PDF --------------------------------------------------------------------------------------------


DEMO_BANK_BIN = "970436"
DEMO_BANK_NAME = "Ngân hàng TMCP Ngoại thương Việt Nam (Vietcombank)"


def bank_account() -> dict:
    """The Board's collection account for VietQR transfers (settings; the demo account is marked): what a
    collecting centre without its own account (receipts.collection_account) uses. FEES_BANK_NAME is the
    account holder's name; the bank's own name is FEES_BANK_INSTITUTION, entered like the rest (a BIN names
    no bank here), and "" (left off the notice) when a configured BIN comes without it."""
    bin_ = getattr(settings, "FEES_BANK_BIN", "") or DEMO_BANK_BIN
    account = getattr(settings, "FEES_BANK_ACCOUNT", "") or "1017595600"
    bank_name = getattr(settings, "FEES_BANK_INSTITUTION", "")
    if not bank_name and not getattr(settings, "FEES_BANK_BIN", ""):
        bank_name = DEMO_BANK_NAME
    return {
        "bin": bin_,
        "bank_name": bank_name,
        "account": account,
        "name": getattr(settings, "FEES_BANK_NAME", "") or "Vietcombank — tài khoản minh họa (demo)",
        "is_demo": not getattr(settings, "FEES_BANK_ACCOUNT", ""),
    }


def payment_qr(assessment) -> dict:
    """The VietQR for an assessment: into its collecting centre's account (the Board's from settings when
    the centre has none), for exactly its amount, with its payment reference as the transfer note."""
    from .collecting import assessment_account

    bank = assessment_account(assessment)
    payload = build_payload(
        bank_bin=bank["bin"],
        account=bank["account"],
        amount=assessment.amount,
        purpose=assessment.payment_reference,
    )
    return bank | {
        "payload": payload,
        "svg": qr_svg(payload, scale=3, title="VietQR"),
        "reference": assessment.payment_reference,
    }


def payment_notice(assessment) -> dict:
    """What the payment notice (Thông báo nộp phí) of an unpaid assessment says: who collects, who pays,
    how much, and how to transfer it — the VietQR of the collection account for exactly this amount with
    the assessment's payment reference as the transfer note, which is what the bank-statement matcher
    reads (statements.REFERENCE_RE). No write: the notice is the assessment, shown.

    A provisional assessment (fees.confirmations) gets a notice that says so, names the rules awaiting
    confirmation and carries no VietQR (`vietqr` None): no money is asked that could not be receipted.
    On a demo installation `sample` is set and the notice is marked as a sample."""
    from cuakhau.core.errors import ServiceError
    from cuakhau.core.vnformat import amount_in_words

    from .collecting import FEE_NAME, collecting_point, collector_info, payer_info
    from .confirmations import provisional_reason, unconfirmed_rules

    pending = unconfirmed_rules(assessment) if assessment.amount else []
    try:
        collector = collector_info(collecting_point(assessment.gate))
    except ServiceError:  # a gate without a centre: the Board collects
        collector = {"name": body_short_name(), "tax_code": "", "address": "", "is_demo": False}
    return {
        "a": assessment,
        "fee_name": FEE_NAME,
        "collector": collector,
        "payer": payer_info(assessment.payer_unit),
        "amount_words": amount_in_words(assessment.amount),
        "detail": assessment.source_label or f"{assessment.source} {assessment.source_id}",
        # A provisional fee cannot be receipted yet: the notice says why and asks for no payment.
        "provisional": provisional_reason(assessment, pending),
        "provisional_rules": pending,
        "vietqr": None if pending else payment_qr(assessment),
        "sample": is_sample(),
    }


def body_short_name() -> str:
    from cuakhau.core.documents import body_short

    return body_short()


def payment_notice_html(assessment, *, request=None) -> str:
    """The notice as the HTML WeasyPrint prints: A4 in the administrative layout of Decree 30/2020
    (issuing body and national motto at the head, title, content, signature block), with the VietQR code
    to scan from paper."""
    from django.utils import timezone, translation

    from cuakhau.core.documents import MARGINS_MM, body_short

    today = timezone.localdate()
    context = payment_notice(assessment) | {
        "sample_text": SAMPLE_TEXT,
        "parent_body": body_short(),
        "margins": MARGINS_MM,
        "today": today,
        "place": getattr(settings, "PROVINCE_NAME", "Lạng Sơn"),
        "detail_url": _absolute(request, reverse("fees:assessment_detail", args=[assessment.pk])),
    }
    with translation.override("vi"):
        return render_to_string("fees/notice_pdf.html", context)


def payment_notice_pdf(assessment, *, request=None) -> bytes:
    from weasyprint import HTML

    return HTML(string=payment_notice_html(assessment, request=request)).write_pdf()


def public_url(request, receipt: Receipt) -> str:
    path = (
        reverse("fees:receipt_lookup")
        + f"?symbol={receipt.symbol}&number={receipt.number}&code={receipt.check_code}"
    )
    base = getattr(settings, "PUBLIC_BASE_URL", "")
    if base:
        return base.rstrip("/") + path
    return request.build_absolute_uri(path) if request is not None else path


def _absolute(request, url: str) -> str:
    if url.startswith("http") or request is None:
        return url
    return request.build_absolute_uri(url)


def receipt_pdf(receipt: Receipt, *, request=None) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=receipt_html(receipt, request=request),
        base_url=str(Path(settings.BASE_DIR) if hasattr(settings, "BASE_DIR") else "."),
    ).write_pdf()


def receipt_html(receipt: Receipt, *, request=None) -> str:
    """The receipt as the HTML WeasyPrint prints (A5 landscape); on a demo installation, with the
    sample banner and watermark."""
    import segno

    lookup = public_url(request, receipt)
    context = {
        "r": receipt,
        "lookup_url": lookup,
        "lookup_svg": segno.make(lookup, error="m").svg_inline(
            scale=2, border=1, title=_("Tra cứu biên lai")
        ),
        "replaced": receipt.status == ReceiptStatus.REPLACED,
        "collector_demo": receipt.collector_tax_code == "4900100004",
        "sample": is_sample(),
        "sample_text": SAMPLE_TEXT,
        "assessment": receipt.assessment,
        "vietqr": payment_qr(receipt.assessment) if receipt.assessment.status == "due" else None,
        "feedback_url": _absolute(
            request,
            feedback_link(
                "receipt", receipt.pk, unit=receipt.series.collector_unit_id, staff=receipt.issued_by_id
            ),
        ),
    }
    return render_to_string("fees/receipt_pdf.html", context)


# --- daily summary 01/TH-BLĐT ------------------------------------------------------------------------


def daily_summary_xlsx(receipts, *, day: datetime.date, collector: str = "") -> bytes:
    """Bảng tổng hợp dữ liệu biên lai điện tử (mẫu 01/TH-BLĐT): the day's receipts sent to the tax
    authority — form symbol, symbol, number, date, fee, amount, status, related receipt."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "01-TH-BLDT"
    ws.append(["Mẫu số 01/TH-BLĐT"])
    ws.append(["BẢNG TỔNG HỢP DỮ LIỆU BIÊN LAI ĐIỆN TỬ GỬI CƠ QUAN THUẾ"])
    ws.append([f"Ngày {day:%d} tháng {day:%m} năm {day:%Y}"])
    ws.append([f"Tổ chức thu: {collector}"] if collector else [])
    ws.append([])
    header = [
        "STT",
        "Ký hiệu mẫu",
        "Ký hiệu biên lai",
        "Số biên lai",
        "Ngày lập",
        "Tên loại phí",
        "Số tiền (đồng)",
        "Trạng thái",
        "Biên lai liên quan",
        "Ghi chú",
    ]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws["A2"].font = Font(bold=True, size=13)
    total = 0
    for i, r in enumerate(receipts, start=1):
        related = (
            f"{r.replaces.form_symbol} {r.replaces.symbol} {r.replaces.number_text}" if r.replaces_id else ""
        )
        status = (
            "Thay thế" if r.replaces_id else ("Bị thay thế" if r.status == ReceiptStatus.REPLACED else "Mới")
        )
        ws.append(
            [
                i,
                r.form_symbol,
                r.symbol,
                r.number_text,
                r.issued_on.strftime("%d/%m/%Y"),
                r.lines[0]["name"] if r.lines else "",
                r.amount,
                status,
                related,
                r.replace_reason,
            ]
        )
        ws.cell(ws.max_row, 7).number_format = "#,##0"
        if r.status == ReceiptStatus.ISSUED:
            total += r.amount
    ws.append(["", "", "", "", "", "Tổng cộng (biên lai còn hiệu lực)", total])
    ws.cell(ws.max_row, 7).number_format = "#,##0"
    ws.cell(ws.max_row, 6).font = Font(bold=True)
    for col, width in zip("ABCDEFGHIJ", (6, 12, 14, 12, 12, 50, 16, 14, 22, 30), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
