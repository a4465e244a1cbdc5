"""The payment notice of an unpaid assessment: amount, payer, the transfer reference the statement matcher
reads, and the VietQR of the collection account for that amount and reference; on screen and as PDF.
The enterprise sees only its own notices."""

import html as htmllib
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from cuakhau.core.context import acting_as
from cuakhau.core.roles import Role
from cuakhau.fees import documents, services
from cuakhau.fees.models import AssessmentStatus, CollectionAccount
from cuakhau.fees.services import collection_account_set, payment_collect_cash
from cuakhau.fees.vietqr import parse_payload, qr_svg
from tests.factories import EnterpriseFactory, UserFactory, fee_assessment, fee_gate, user_at_gate

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice_world(tmp_path, monkeypatch):
    monkeypatch.setenv("CUAKHAU_RECEIPT_CERT", str(tmp_path / "c.pem"))
    monkeypatch.setenv("CUAKHAU_RECEIPT_KEY", str(tmp_path / "k.pem"))
    documents.devcert_create()  # receipts are signed when issued
    gate, centre = fee_gate("GATE_N")
    mine, theirs = EnterpriseFactory(name="Công ty TNHH Hàng Nông Sản Việt"), EnterpriseFactory()
    due = fee_assessment(
        gate, payer_unit=mine.unit, amount=1_234_000, source_label="Tờ khai TK-1, xe 12C-111.11"
    )
    other = fee_assessment(gate, payer_unit=theirs.unit, amount=700_000)
    return {
        "gate": gate,
        "centre": centre,
        "mine": mine,
        "theirs": theirs,
        "due": due,
        "other": other,
        "me": UserFactory(role=Role.ENTERPRISE_USER, unit=mine.unit),
    }


def _payload(html: str) -> str:
    found = re.search(r'data-testid="vietqr-payload">([^<]+)<', html)
    assert found, "the notice shows its VietQR payload"
    return htmllib.unescape(found.group(1))


def test_the_enterprise_sees_its_notice_with_a_vietqr_for_the_amount_and_reference(client, notice_world):
    w = notice_world
    client.force_login(w["me"])
    page = client.get(reverse("fees:assessment_detail", args=[w["due"].pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Thông báo nộp phí" in html and "1.234.000 đ" in html
    assert "Công ty TNHH Hàng Nông Sản Việt" in html and "Một triệu hai trăm ba mươi tư nghìn đồng" in html
    payload = _payload(html)
    qr = parse_payload(payload)
    bank = documents.bank_account()
    assert (qr.amount, qr.purpose, qr.dynamic) == (1_234_000, w["due"].payment_reference, True)
    assert (qr.bank_bin, qr.account) == (bank["bin"], bank["account"])
    # the picture on the page is the QR of exactly that payload
    assert qr_svg(payload, scale=3, title="VietQR") in html
    assert f'data-testid="notice-reference">{w["due"].payment_reference}<' in html


def test_a_transfer_with_the_notice_reference_is_matched_by_the_statement_import(client, notice_world):
    w = notice_world
    client.force_login(w["me"])
    purpose = parse_payload(
        _payload(client.get(reverse("fees:assessment_detail", args=[w["due"].pk])).content.decode())
    ).purpose
    csv = f"Ngày giao dịch,Số tiền,Nội dung,Mã giao dịch\n05/01/2026,1234000,CT TNHH HANG NONG SAN {purpose} CK,FT26005001\n"
    staff = UserFactory(role=Role.DEPARTMENT_STAFF)
    with acting_as(staff):
        statement = services.statement_import(actor=staff, file_name="sao-ke.csv", content=csv.encode())
    assert statement.matched_count == 1
    w["due"].refresh_from_db()
    assert w["due"].status == AssessmentStatus.PAID
    # paid: no notice any more, on screen or on paper
    html = client.get(reverse("fees:assessment_detail", args=[w["due"].pk])).content.decode()
    assert 'data-testid="notice"' not in html
    assert client.get(reverse("fees:assessment_notice_pdf", args=[w["due"].pk])).status_code == 404


def test_the_notice_pdf_renders_on_one_a4_page(client, notice_world):
    from weasyprint import HTML

    w = notice_world
    client.force_login(w["me"])
    response = client.get(reverse("fees:assessment_notice_pdf", args=[w["due"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-"
    assert f'filename="thong-bao-nop-phi-{w["due"].payment_reference}.pdf"' in response["Content-Disposition"]
    printed = documents.payment_notice_html(w["due"])
    payload = documents.payment_qr(w["due"])["payload"]
    assert "THÔNG BÁO NỘP PHÍ" in printed and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in printed
    assert "1.234.000 đồng" in printed and w["due"].payment_reference in printed
    assert w["centre"].name.upper() in printed
    assert qr_svg(payload, scale=3, title="VietQR") in printed
    pages = HTML(string=printed).render().pages
    assert len(pages) == 1


def _pdf_text(pdf: bytes, assessment) -> str:
    """The PDF's text when poppler's pdftotext is installed, else the HTML WeasyPrint printed it from."""
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
        return " ".join(text.decode().split())
    return " ".join(
        htmllib.unescape(re.sub(r"<[^>]+>", " ", documents.payment_notice_html(assessment))).split()
    )


def test_the_notice_names_the_bank_entered_with_the_account(client, notice_world):
    w = notice_world
    bank = "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam (BIDV)"
    staff = UserFactory(role=Role.DEPARTMENT_STAFF)
    with acting_as(staff):
        collection_account_set(
            actor=staff,
            collector_unit=w["centre"],
            bank_bin="970418",
            bank_name=bank,
            account_number="21410000555666",
            account_name="TT QLCK GATE N",
        )
    client.force_login(w["me"])
    html = client.get(reverse("fees:assessment_detail", args=[w["due"].pk])).content.decode()
    assert f'data-testid="notice-bank">{bank}<' in html
    pdf = client.get(reverse("fees:assessment_notice_pdf", args=[w["due"].pk])).content
    assert f"21410000555666 — TT QLCK GATE N Ngân hàng: {bank}" in _pdf_text(pdf, w["due"])
    # a row saved before the field has no bank name: the notice leaves the line out rather than guess
    CollectionAccount.objects.update(bank_name="")
    html = client.get(reverse("fees:assessment_detail", args=[w["due"].pk])).content.decode()
    assert 'data-testid="notice-bank"' not in html
    pdf = client.get(reverse("fees:assessment_notice_pdf", args=[w["due"].pk])).content
    assert "Ngân hàng:" not in _pdf_text(pdf, w["due"])


def test_another_enterprises_notice_is_404(client, notice_world):
    w = notice_world
    client.force_login(w["me"])
    assert client.get(reverse("fees:assessment_detail", args=[w["other"].pk])).status_code == 404
    assert client.get(reverse("fees:assessment_notice_pdf", args=[w["other"].pk])).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [("cashier", 200), ("other_cashier", 404), ("staff", 200), ("driver", 404), ("anonymous", 302)],
)
def test_who_prints_a_notice(client, notice_world, who, status):
    w = notice_world
    other_gate, _c = fee_gate("GATE_M")
    user = {
        "cashier": lambda: user_at_gate(Role.GATE_CASHIER, w["gate"]),
        "other_cashier": lambda: user_at_gate(Role.GATE_CASHIER, other_gate),
        "staff": lambda: UserFactory(role=Role.DEPARTMENT_STAFF),
        "driver": lambda: UserFactory(role=Role.DRIVER, unit=w["mine"].unit),
        "anonymous": lambda: None,
    }[who]()
    if user is not None:
        client.force_login(user)
    assert client.get(reverse("fees:assessment_notice_pdf", args=[w["due"].pk])).status_code == status


def test_the_cashier_sees_the_notice_until_collecting_cash(client, notice_world):
    w = notice_world
    cashier = user_at_gate(Role.GATE_CASHIER, w["gate"])
    client.force_login(cashier)
    url = reverse("fees:assessment_detail", args=[w["due"].pk])
    assert 'data-testid="notice"' in client.get(url).content.decode()
    with acting_as(cashier):
        payment_collect_cash(actor=cashier, assessment_id=w["due"].pk)
    assert 'data-testid="notice"' not in client.get(url).content.decode()


@pytest.mark.parametrize(
    "note",
    [
        "CK PHI HA TANG {ref}",  # "phi" (fee) before the reference: not a reference itself
        "CONG TY A NOP PHI CUA KHAU {ref} XE 12C",
        "{head} {tail}",  # the bank app broke the reference in two
        "nop phi {lower}",
    ],
)
def test_the_notice_reference_is_found_in_the_transfer_notes_payers_write(notice_world, note):
    ref = notice_world["due"].payment_reference
    text = note.format(ref=ref, head=ref[:5], tail=ref[5:], lower=ref.lower())
    csv = f"Ngày,Số tiền,Nội dung,Mã giao dịch\n05/01/2026,1234000,{text},FT-{ref}\n"
    staff = UserFactory(role=Role.DEPARTMENT_STAFF)
    with acting_as(staff):
        statement = services.statement_import(actor=staff, file_name="sao-ke.csv", content=csv.encode())
    assert statement.matched_count == 1, statement.lines.get().problem
    notice_world["due"].refresh_from_db()
    assert notice_world["due"].status == AssessmentStatus.PAID


def test_a_note_with_only_a_lookalike_names_it_and_stays_unmatched(notice_world):
    csv = "Ngày,Số tiền,Nội dung,Mã giao dịch\n05/01/2026,1234000,CK PHI HA TANG THANG 1,FT-X\n"
    staff = UserFactory(role=Role.DEPARTMENT_STAFF)
    with acting_as(staff):
        statement = services.statement_import(actor=staff, file_name="sao-ke.csv", content=csv.encode())
    line = statement.lines.get()
    assert statement.matched_count == 0 and line.status == "unmatched"
    assert "không có trong hệ thống" in line.problem
