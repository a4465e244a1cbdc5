"""Tamper evidence an insider cannot rewrite (security issue 13, finding M6): business rows sealed in
the audit chain, the chain's head anchored outside the database, and the audit list flagging what
does not verify."""

from __future__ import annotations

import base64
import datetime
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from cuakhau.core import anchors
from cuakhau.core.audit_chain import GENESIS_HASH, event_hash, seal_pending
from cuakhau.core.context import acting_as
from cuakhau.core.models import AuditAnchor, AuditEvent, AuditSeal
from cuakhau.core.roles import Role
from cuakhau.fees import documents
from cuakhau.fees.models import Payment, Receipt
from cuakhau.fees.services import payment_collect_cash
from tests.factories import UserFactory, fee_assessment, fee_gate, user_at_gate

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(tmp_path, monkeypatch):
    monkeypatch.setenv("CUAKHAU_RECEIPT_CERT", str(tmp_path / "c.pem"))
    monkeypatch.setenv("CUAKHAU_RECEIPT_KEY", str(tmp_path / "k.pem"))
    documents.devcert_create()
    return tmp_path


@pytest.fixture
def receipt(keys):
    gate, _centre = fee_gate()
    cashier = user_at_gate(Role.GATE_CASHIER, gate)
    assessment = fee_assessment(gate, amount=120_000)
    with acting_as(cashier, channel="web"):
        issued = payment_collect_cash(actor=cashier, assessment_id=assessment.pk)
    seal_pending()
    return issued


def verify(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- rows ---------------------------------------------------------------------------------------------


def test_untouched_rows_verify(receipt):
    code, out, _err = verify()
    assert code == 0, out
    assert "rows: OK" in out


def test_a_receipt_amount_edited_in_the_database_is_named_by_verify(receipt):
    raw("UPDATE fees_receipt SET amount = 1 WHERE id = %s", [receipt.pk])
    code, out, _err = verify()
    assert code == 1
    line = next(line for line in out.splitlines() if "fees.Receipt" in line)
    assert receipt.number_text in line
    assert "amount 1 ≠ audited 120.000" in line
    # The signed XML still says 120000: the row no longer matches the document the payer holds.
    assert "signed XML TgTien 120000 ≠ row amount 1" in line
    # The chain itself is intact: the edit is in the business row.
    assert out.splitlines()[0].startswith("OK:")


def test_a_payment_edited_in_the_database_is_named_by_verify(receipt):
    payment = Payment.objects.get(receipt=receipt)
    raw("UPDATE fees_payment SET amount = 5 WHERE id = %s", [payment.pk])
    code, out, _err = verify()
    assert code == 1
    assert f"fees.Payment #{payment.pk}: amount 5 ≠ audited 120.000" in out


def test_the_signed_xml_replaced_in_the_database_is_named(receipt):
    raw("UPDATE fees_receipt SET signed_xml = %s WHERE id = %s", ["<x/>", receipt.pk])
    code, out, _err = verify()
    assert code == 1
    assert "signed_xml" in out and receipt.number_text in out


def test_the_receipt_is_signed_at_issue_and_the_chain_seals_its_rows(receipt):
    event = AuditEvent.objects.get(action="fees.receipt.issue", object_id=str(receipt.pk))
    assert event.rows[f"fees.receipt:{receipt.pk}"]["amount"] == 120_000
    payment = Payment.objects.get(receipt=receipt)
    assert event.rows[f"fees.payment:{payment.pk}"]["amount"] == 120_000
    assert event.rows[f"fees.receipt:{receipt.pk}"]["signed_xml"].startswith("sha256:")
    assert event.hash == event_hash(event)


# --- anchors ------------------------------------------------------------------------------------------


def _append_only(on: bool):
    """PostgreSQL's append-only trigger off (an insider who owns the table) or back on. The foreign keys'
    deferred checks pending in the test's transaction are run first: ALTER TABLE refuses a table with
    pending trigger events."""
    if on:
        raw("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")
        raw("SET CONSTRAINTS ALL DEFERRED")
    else:
        raw("SET CONSTRAINTS ALL IMMEDIATE")
        raw("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")


def _rewrite_history(receipt):
    """An insider with write access and the signing key: the receipt's amount and XML rewritten, its
    audit event made to say the same, every hash after it recomputed and the head moved: `audit verify`
    alone cannot tell."""
    from cuakhau.core import sealed_rows

    if connection.vendor == "postgresql":
        _append_only(False)
    receipt.refresh_from_db()
    receipt.amount, receipt.signed_xml = 1, ""
    xml = documents.receipt_signed_xml(
        Receipt(
            **{
                f.attname: getattr(receipt, f.attname)
                for f in Receipt._meta.concrete_fields
                if not f.primary_key
            }
        )
    )
    raw("UPDATE fees_receipt SET amount = 1, signed_xml = %s WHERE id = %s", [xml.decode(), receipt.pk])
    spec = sealed_rows.spec_for("fees.receipt")
    event = AuditEvent.objects.get(action="fees.receipt.issue", object_id=str(receipt.pk))
    rows = dict(event.rows)
    rows[f"fees.receipt:{receipt.pk}"] = sealed_rows.sealed_values(
        spec, sealed_rows.read_rows(spec, [receipt.pk])[str(receipt.pk)]
    )
    raw("UPDATE core_auditevent SET rows = %s WHERE id = %s", [json.dumps(rows), event.pk])
    prev = GENESIS_HASH
    for e in AuditEvent.objects.filter(chain_seq__isnull=False).order_by("chain_seq"):
        e.prev_hash = prev
        prev = event_hash(e, prev_hash=prev)
        raw("UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [e.prev_hash, prev, e.pk])
    AuditSeal.objects.filter(pk=1).update(last_hash=prev)
    if connection.vendor == "postgresql":
        _append_only(True)


def test_a_rewritten_chain_passes_alone_but_not_against_published_anchors(receipt, client, tmp_path):
    anchors.anchor_create()
    published = client.get("/api/v1/core/audit-anchors")
    assert published.status_code == 200
    path = tmp_path / "anchors.json"
    path.write_bytes(published.content)
    assert verify("--anchors", str(path))[0] == 0

    _rewrite_history(receipt)
    code, out, _err = verify()
    assert code == 0, out  # the chain and the rows agree with each other: rewritten consistently

    code, out, _err = verify("--anchors", str(path))
    assert code == 1
    assert "history rewritten" in out
    # The CSV open data does the same.
    csv_path = tmp_path / "anchors.csv"
    csv_path.write_bytes(client.get("/api/v1/core/audit-anchors.csv").content)
    code, out, _err = verify("--anchors", str(csv_path))
    assert code == 1 and "history rewritten" in out


def test_anchors_read_from_a_url(receipt, monkeypatch):
    anchor = anchors.anchor_create()
    body = json.dumps([{"seq": anchor.seq, "hash": "ab" * 32}]).encode()
    monkeypatch.setattr(anchors, "_http", lambda url, *a, **k: body)
    code, out, _err = verify("--anchors", "https://portal.example/api/v1/core/audit-anchors")
    assert code == 1 and f"seq {anchor.seq}" in out


def test_an_unreadable_anchors_file_is_a_clear_error(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "bad.json"
    path.write_text('[{"seq": 1, "hash": "nothex"}]')
    with pytest.raises(CommandError, match="64 hex"):
        call_command("audit", "verify", "--anchors", str(path), stdout=StringIO())


@override_settings(
    AUDIT_ANCHOR_EMAILS=["thanhtra@example.vn", "kiemtoan@example.vn"],
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)
def test_the_anchor_is_published_on_the_public_page_and_emailed(receipt, client):
    out = StringIO()
    call_command("audit", "anchor", "--daily", stdout=out)
    anchor = AuditAnchor.objects.get()
    head = AuditSeal.objects.get()
    assert (anchor.seq, anchor.hash, anchor.kind) == (head.last_seq, head.last_hash, "daily")
    assert "e-mailed to thanhtra@example.vn" in out.getvalue()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["thanhtra@example.vn", "kiemtoan@example.vn"]
    assert anchor.hash in mail.outbox[0].body
    page = client.get(reverse("core:audit-anchors"))  # no login
    assert page.status_code == 200 and anchor.hash in page.content.decode()
    assert reverse("core:audit-anchors") in client.get(reverse("core:login")).content.decode()  # footer
    data = client.get("/api/v1/core/audit-anchors").json()
    assert data[-1]["seq"] == anchor.seq and data[-1]["hash"] == anchor.hash


# --- RFC 3161 -----------------------------------------------------------------------------------------


def fake_tsa(body: bytes) -> bytes:
    """A timestamp authority answering a TimeStampReq with a token over its imprint and nonce."""
    from asn1crypto import cms, tsp

    request = tsp.TimeStampReq.load(body)
    info = tsp.TSTInfo(
        {
            "version": "v1",
            "policy": "1.2.3.4.1",
            "message_imprint": request["message_imprint"],
            "serial_number": 7,
            "gen_time": datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC),
            "nonce": request["nonce"].native,
        }
    )
    signed = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {"content_type": "tst_info", "content": info},
            "signer_infos": [],
        }
    )
    token = cms.ContentInfo({"content_type": "signed_data", "content": signed})
    return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token}).dump()


@override_settings(AUDIT_TSA_URL="https://tsa.example/tsr")
def test_the_anchor_is_stamped_by_the_timestamp_authority(receipt, monkeypatch):
    from asn1crypto import cms

    calls = []

    def post(url, data=None, headers=None, timeout=30):
        calls.append((url, headers))
        return fake_tsa(data)

    monkeypatch.setattr(anchors, "_http", post)
    anchor = anchors.anchor_create()
    assert calls == [("https://tsa.example/tsr", {"Content-Type": "application/timestamp-query"})]
    assert anchor.tsa_error == "" and anchor.tsa_at is not None
    token = cms.ContentInfo.load(base64.b64decode(anchor.tsa_token))
    info = token["content"]["encap_content_info"]["content"].parsed
    assert info["message_imprint"]["hashed_message"].native == bytes.fromhex(anchor.hash)


@override_settings(AUDIT_TSA_URL="https://tsa.example/tsr")
def test_a_tsa_that_is_down_never_blocks_anchoring_and_is_retried(receipt, monkeypatch):
    def down(url, data=None, headers=None, timeout=30):
        raise OSError("connection refused")

    monkeypatch.setattr(anchors, "_http", down)
    first = anchors.anchor_create()
    assert first.tsa_token == "" and "unreachable" in first.tsa_error
    monkeypatch.setattr(anchors, "_http", lambda url, data=None, headers=None, timeout=30: fake_tsa(data))
    second = anchors.anchor_create()
    first.refresh_from_db()
    assert first.tsa_token and second.tsa_token and first.tsa_error == ""


def test_a_tsa_answer_for_another_hash_is_refused():
    digest = bytes(32)
    request = anchors.timestamp_request(bytes.fromhex("11" * 32), 5)
    with pytest.raises(anchors.TimestampError, match="another hash"):
        anchors.parse_timestamp_response(fake_tsa(request), digest, 5)


# --- the audit list -----------------------------------------------------------------------------------


def test_the_audit_list_flags_an_edited_row_and_an_altered_event(receipt, client):
    inspector = UserFactory(role=Role.INSPECTOR)
    client.force_login(inspector)
    page = client.get(reverse("core:audit")).content.decode()
    assert 'data-testid="audit-broken"' not in page

    raw("UPDATE fees_receipt SET amount = 1 WHERE id = %s", [receipt.pk])
    page = client.get(reverse("core:audit")).content.decode()
    assert page.count('data-testid="audit-broken"') == 1
    assert "amount 1 ≠ audited 120.000" in page

    if connection.vendor == "postgresql":
        _append_only(False)
    shift_open = AuditEvent.objects.get(action="fees.shift.open")
    raw("UPDATE core_auditevent SET actor_label = 'someone' WHERE id = %s", [shift_open.pk])
    if connection.vendor == "postgresql":
        _append_only(True)
    page = client.get(reverse("core:audit")).content.decode()
    assert page.count('data-testid="audit-broken"') == 2


def test_a_replaced_receipt_and_its_moved_payment_still_verify(receipt):
    from cuakhau.fees.services import receipt_replace

    with acting_as(None, channel="cli"):
        new = receipt_replace(
            actor=None, receipt_id=receipt.pk, reason="Sai tên người nộp", payer_name="Công ty B"
        )
    seal_pending()
    assert Receipt.objects.get(pk=receipt.pk).status == "replaced"
    assert Payment.objects.get(receipt=new)
    code, out, _err = verify()
    assert code == 0, out
