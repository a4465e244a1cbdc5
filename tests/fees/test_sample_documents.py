"""Issue 12, part 2: a demo installation (`make run`: `cuakhau demo load`) marks every document it produces,
in every format, as a sample with no legal value: the receipt PDF, the signed XML, the payment notice and
the public verification page. Nothing already issued is changed. And the fees demo shows both provisional
and confirmed assessments, its receipts only on confirmed rates."""

import io
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from cuakhau.core.context import acting_as
from cuakhau.core.loaders import demo_loaders
from cuakhau.core.models import AuditEvent, Installation
from cuakhau.core.roles import Role
from cuakhau.core.selectors import is_demo_installation
from cuakhau.core.services import installation_mark_demo
from cuakhau.fees import documents
from cuakhau.fees.documents import SAMPLE_TEXT
from cuakhau.fees.services import payment_collect_cash
from tests.factories import fee_assessment, fee_gate, user_at_gate

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(tmp_path, monkeypatch):
    monkeypatch.setenv("CUAKHAU_RECEIPT_CERT", str(tmp_path / "c.pem"))
    monkeypatch.setenv("CUAKHAU_RECEIPT_KEY", str(tmp_path / "k.pem"))
    documents.devcert_create()
    return tmp_path


def issue_receipt():
    gate, _centre = fee_gate()
    cashier = user_at_gate(Role.GATE_CASHIER, gate)
    a = fee_assessment(gate, amount=1_200_000)
    with acting_as(cashier, channel="web"):
        return payment_collect_cash(actor=cashier, assessment_id=a.pk)


@pytest.fixture
def receipt():
    return issue_receipt()


def mark():
    with acting_as(None, channel="cli"):
        installation_mark_demo(actor=None)


def pdf_text(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_marking_is_recorded_once_audited_and_the_first_demo_loader():
    assert not is_demo_installation()
    mark()
    mark()
    assert is_demo_installation()
    assert Installation.objects.get().demo_since is not None
    assert AuditEvent.objects.filter(action="core.installation.mark_demo").count() == 1
    assert demo_loaders()[0][0] == "installation"


def test_demo_load_command_marks_the_installation(monkeypatch):
    """`cuakhau demo load` runs the registered loaders in order, the installation's first (the others,
    which need the reference data, are left out here)."""
    from cuakhau.core.management.commands import demo

    monkeypatch.setattr(demo, "demo_loaders", lambda: demo_loaders()[:1])
    out = io.StringIO()
    call_command("demo", "load", stdout=out)
    assert is_demo_installation() and "installation: marked" in out.getvalue()


def test_receipt_pdf_is_a_sample_on_a_demo_installation_only(receipt, tmp_path):
    assert SAMPLE_TEXT not in documents.receipt_html(receipt)
    assert "MẪU" not in pdf_text(documents.receipt_pdf(receipt), tmp_path)
    mark()
    html = documents.receipt_html(receipt)
    assert html.count(SAMPLE_TEXT) == 2  # the banner and the watermark
    text = pdf_text(documents.receipt_pdf(receipt), tmp_path)
    assert "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in text and "Biên lai mẫu" in text


def test_signed_xml_carries_the_sample_mark_inside_the_signature(keys):
    mark()
    receipt = issue_receipt()  # signed when issued, on a demo installation
    xml = documents.receipt_signed_xml(receipt)
    assert receipt.signed_xml.encode() == xml
    signed = documents.verify_signed_xml(xml, (keys / "c.pem").read_bytes()).signed_xml
    assert etree.tostring(signed, encoding="unicode").count(f">{SAMPLE_TEXT}<") == 1
    stripped = xml.replace(f"<BLMau>{SAMPLE_TEXT}</BLMau>".encode(), b"")
    assert stripped != xml
    with pytest.raises(Exception):  # noqa: B017 - signxml's InvalidDigest: the mark is signed
        documents.verify_signed_xml(stripped, (keys / "c.pem").read_bytes())


def test_a_receipt_signed_before_the_marking_keeps_its_xml(keys):
    receipt = issue_receipt()
    before = documents.receipt_signed_xml(receipt)
    assert b"BLMau" not in before
    mark()
    receipt.refresh_from_db()
    assert documents.receipt_signed_xml(receipt) == before
    assert receipt.signed_xml.encode() == before


def test_notice_and_pages_say_sample(client, receipt, tmp_path):
    from cuakhau.fees.models import FeeAssessment

    gate = receipt.gate
    due = fee_assessment(gate, amount=500_000)
    assert SAMPLE_TEXT not in documents.payment_notice_html(due)
    lookup = reverse("fees:receipt_lookup") + f"?symbol={receipt.symbol}&number=1&code={receipt.check_code}"
    page = client.get(lookup).content.decode()
    assert 'data-testid="sample-banner"' not in page and "Biên lai hợp lệ" in page
    mark()
    assert documents.payment_notice_html(due).count(SAMPLE_TEXT) == 2
    text = pdf_text(documents.payment_notice_pdf(FeeAssessment.objects.get(pk=due.pk)), tmp_path)
    assert "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in text
    page = client.get(lookup).content.decode()
    assert 'data-testid="sample-banner"' in page and 'data-testid="lookup-sample"' in page
    assert "Biên lai hợp lệ" not in page
    client.force_login(user_at_gate(Role.GATE_CASHIER, gate))
    for url in (
        reverse("fees:assessment_detail", args=[due.pk]),
        reverse("fees:receipt_detail", args=[receipt.pk]),
    ):
        assert 'data-testid="sample-banner"' in client.get(url).content.decode()


def test_fees_demo_confirms_some_rules_and_shows_both_kinds(reference_data):
    """The demo's fees: three illustrative rows confirmed by the department's staff, the rest provisional;
    every demo receipt is on a receiptable assessment and the deposits balance."""
    from cuakhau.core.reference import load_demo_users
    from cuakhau.fees.confirmations import unconfirmed_rules
    from cuakhau.fees.demo import CONFIRMED
    from cuakhau.fees.demo import load_demo as load_fees
    from cuakhau.fees.models import FeeAssessment, Receipt, RuleConfirmation, StatementLine
    from cuakhau.fees.reference import load_tariffs
    from cuakhau.fees.selectors import balances_mismatched
    from cuakhau.parties.demo import load_demo as load_parties

    with acting_as(None, channel="cli"):
        load_tariffs()
        load_demo_users()
        load_parties()
        load_fees()
        load_fees()  # idempotent: confirmations are not repeated
    confirmed = RuleConfirmation.objects.select_related("rule", "confirmed_by")
    assert {c.rule.key for c in confirmed} == set(CONFIRMED)
    assert {c.confirmed_by.username for c in confirmed} == {"chuyenvien"}
    assessments = list(FeeAssessment.objects.filter(source="demo"))
    provisional = [a for a in assessments if unconfirmed_rules(a)]
    assert provisional and len(provisional) < len(assessments)
    assert all(a.status == "due" for a in provisional)
    receipts = Receipt.objects.select_related("assessment")
    assert receipts.exists() and not any(unconfirmed_rules(r.assessment) for r in receipts)
    assert StatementLine.objects.filter(status="unmatched", problem__contains="tạm tính").exists()
    assert balances_mismatched() == []
