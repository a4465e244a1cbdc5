"""Each Border Gate Management Centre collects into its own bank account: set by the Board's departments
through a service with its audit event, falling back to the settings account; the payment notice, its
VietQR and the statement matcher use the centre's account."""

import re

import pytest
from django.urls import reverse

from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent
from cuakhau.core.roles import Role, UnitKind
from cuakhau.fees import documents
from cuakhau.fees.collecting import assessment_account, collection_account
from cuakhau.fees.models import AssessmentStatus, CollectionAccount, LineStatus, StatementLine
from cuakhau.fees.services import collection_account_set, statement_import
from cuakhau.fees.vietqr import parse_payload
from tests.factories import UnitFactory, UserFactory, fee_assessment, fee_gate, user_at_gate

pytestmark = pytest.mark.django_db


def _set(centre, actor=None, **over):
    fields = {
        "collector_unit": centre,
        "bank_bin": "970415",
        "bank_name": "Ngân hàng TMCP Công Thương Việt Nam (VietinBank)",
        "account_number": "113000222333",
        "account_name": "TRUNG TAM QUAN LY CUA KHAU HUU NGHI",
    } | over
    return collection_account_set(actor=actor, **fields)


def test_staff_set_a_centres_account_and_change_it_with_an_audit_event_each_time():
    _gate, centre = fee_gate()
    staff = UserFactory(role=Role.DEPARTMENT_STAFF)
    with acting_as(staff, channel="web"):
        first = _set(centre, account_number=" 1130 0022 2333 ")
        _set(centre, account_name="  TT QLCK   HUU NGHI ")
    account = CollectionAccount.objects.get()
    assert account.pk == first.pk and account.account_number == "113000222333"
    assert account.account_name == "TT QLCK HUU NGHI" and not account.is_demo
    events = list(AuditEvent.objects.filter(action="fees.collection_account.set").order_by("id"))
    assert len(events) == 2 and events[0].before in (None, {}) and events[0].actor_id == staff.pk
    assert events[1].before["account_name"] == "TRUNG TAM QUAN LY CUA KHAU HUU NGHI"
    assert events[1].after["account_name"] == "TT QLCK HUU NGHI"
    assert collection_account(centre) == {
        "bin": "970415",
        "bank_name": "Ngân hàng TMCP Công Thương Việt Nam (VietinBank)",
        "account": "113000222333",
        "name": "TT QLCK HUU NGHI",
        "is_demo": False,
        "own": True,
    }


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"bank_bin": "97041"}, "bank_bin"),
        ({"bank_bin": "97041A"}, "bank_bin"),
        ({"account_number": "12345"}, "account_number"),
        ({"account_number": "1234-5678"}, "account_number"),
        ({"account_number": "1" * 20}, "account_number"),
        ({"account_name": "   "}, "account_name"),
        ({"bank_name": "   "}, "bank_name"),
        ({"bank_name": "N" * 121}, "bank_name"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(over, field):
    _gate, centre = fee_gate()
    _set(centre)
    with pytest.raises(ServiceError) as exc:
        _set(centre, **over)
    assert field in exc.value.message_dict
    assert CollectionAccount.objects.get().account_number == "113000222333"
    assert AuditEvent.objects.filter(action="fees.collection_account.set").count() == 1


def test_the_banks_name_is_stored_as_entered_and_audited_before_and_after():
    """The bank's name comes from the Board's staff with the account (a BIN names no bank here): kept as
    typed with its spaces collapsed, and a change of it is in the audit event like the other fields."""
    _gate, centre = fee_gate()
    with acting_as(UserFactory(role=Role.DEPARTMENT_STAFF), channel="web"):
        _set(centre, bank_name="  Ngân hàng TMCP   Công Thương Việt Nam (VietinBank) ")
        _set(centre, bank_bin="970418", bank_name="Ngân hàng TMCP Đầu tư và Phát triển Việt Nam (BIDV)")
    assert CollectionAccount.objects.get().bank_name == "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam (BIDV)"
    first, second = AuditEvent.objects.filter(action="fees.collection_account.set").order_by("id")
    assert first.after["bank_name"] == "Ngân hàng TMCP Công Thương Việt Nam (VietinBank)"
    assert second.before["bank_name"] == "Ngân hàng TMCP Công Thương Việt Nam (VietinBank)"
    assert second.after["bank_name"] == "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam (BIDV)"
    assert collection_account(centre)["bank_name"] == second.after["bank_name"]


def test_the_settings_account_names_its_bank_only_when_told(settings):
    """The demo fallback (BIN 970436, no settings) is Vietcombank's; a configured BIN without
    FEES_BANK_INSTITUTION names no bank, rather than a guess from the BIN."""
    settings.FEES_BANK_BIN = ""
    assert documents.bank_account()["bank_name"] == "Ngân hàng TMCP Ngoại thương Việt Nam (Vietcombank)"
    settings.FEES_BANK_BIN = "970418"
    assert documents.bank_account()["bank_name"] == ""
    settings.FEES_BANK_INSTITUTION = "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam (BIDV)"
    assert documents.bank_account()["bank_name"] == "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam (BIDV)"


def test_only_a_gate_centre_collects_and_only_the_boards_departments_set_accounts():
    gate, centre = fee_gate()
    with pytest.raises(ServiceError) as exc:
        _set(UnitFactory(kind=UnitKind.BOARD_DEPARTMENT))
    assert "collector_unit" in exc.value.message_dict
    for user in (user_at_gate(Role.GATE_CASHIER, gate), UserFactory(role=Role.BOARD_LEADER)):
        with acting_as(user, channel="web"), pytest.raises(ServiceError) as exc:
            _set(centre, actor=user)
        assert exc.value.status == 404
    assert not CollectionAccount.objects.exists()


def test_a_centre_without_its_own_account_uses_the_settings_account(settings):
    settings.FEES_BANK_BIN, settings.FEES_BANK_ACCOUNT, settings.FEES_BANK_NAME = (
        "970436",
        "0011009988",
        "BQL",
    )
    gate, centre = fee_gate()
    a = fee_assessment(gate)
    assert assessment_account(a) == documents.bank_account() | {"own": False}
    assert assessment_account(a)["account"] == "0011009988"
    _set(centre)
    assert assessment_account(a)["account"] == "113000222333"


def test_the_notice_and_its_vietqr_name_the_centres_account(client):
    gate, centre = fee_gate()
    other_gate, _other = fee_gate("OTHER")
    _set(centre)
    mine, theirs = fee_assessment(gate, amount=1_500_000), fee_assessment(other_gate, amount=800_000)
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))

    def shown(a):
        html = client.get(reverse("fees:assessment_detail", args=[a.pk])).content.decode()
        payload = re.search(r'data-testid="vietqr-payload">([^<]+)<', html).group(1)
        account = re.search(r'data-testid="notice-account">([^<]+)<', html).group(1)
        return parse_payload(payload.replace("&amp;", "&")), account

    qr, account = shown(mine)
    assert (qr.bank_bin, qr.account, account) == ("970415", "113000222333", "113000222333")
    assert (qr.amount, qr.purpose) == (1_500_000, mine.payment_reference)
    qr, account = shown(theirs)  # that centre has none: the Board's account
    assert qr.account == account == documents.bank_account()["account"]
    pdf_context = documents.payment_notice(mine)
    assert pdf_context["vietqr"]["account"] == "113000222333"


def _csv(rows):
    head = "Ngày giao dịch,Số tiền,Nội dung,Mã giao dịch,Người chuyển\n"
    return (head + "\n".join(",".join(r) for r in rows)).encode("utf-8")


def test_a_centres_statement_pays_only_that_centres_fees():
    gate, centre = fee_gate()
    other_gate, other_centre = fee_gate("OTHER")
    _set(centre)
    _set(other_centre, account_number="999888777666", account_name="TT QLCK OTHER")
    mine, theirs = fee_assessment(gate, amount=500_000), fee_assessment(other_gate, amount=700_000)
    rows = [
        ["02/03/2026", "500000", f"{mine.payment_reference} phi", "FT101", "CONG TY A"],
        ["02/03/2026", "700000", f"{theirs.payment_reference} phi", "FT102", "CONG TY B"],
    ]
    st = statement_import(actor=None, file_name="sk.csv", content=_csv(rows), bank_account="113000222333")
    assert (st.line_count, st.matched_count) == (2, 1)
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.status == AssessmentStatus.PAID and theirs.status == AssessmentStatus.DUE
    line = StatementLine.objects.get(bank_ref="FT102")
    assert line.status == LineStatus.UNMATCHED
    assert "999888777666" in line.problem and "113000222333" in line.problem

    # a statement imported without naming its account is matched by the reference alone, as before
    later = [["03/03/2026", "700000", f"{theirs.payment_reference} phi", "FT103", "CONG TY B"]]
    assert statement_import(actor=None, file_name="sk2.csv", content=_csv(later)).matched_count == 1


def test_the_payments_page_lists_the_accounts_and_refuses_an_unknown_one(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _gate, centre = fee_gate()
    _set(centre)
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    html = client.get(reverse("fees:payments")).content.decode()
    assert "113000222333" in html and documents.bank_account()["account"] in html
    upload = SimpleUploadedFile("sk.csv", _csv([["02/03/2026", "1000", "x", "FT9", "A"]]))
    client.post(reverse("fees:payments"), {"file": upload, "bank_account": "5555555555"})
    assert not StatementLine.objects.exists()
