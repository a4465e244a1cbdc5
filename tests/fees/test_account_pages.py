"""The page where the Board's departments keep each gate centre's collection account: the list (own account
or the Board's from settings), the edit form through receipts.collection_account_set, refusals on the field
with nothing saved, and 404 for everyone else."""

import re

import pytest
from django.urls import reverse

from cuakhau.core.models import AuditEvent
from cuakhau.core.roles import Role, UnitKind
from cuakhau.fees import documents
from cuakhau.fees.collecting import bank_account_name
from cuakhau.fees.models import CollectionAccount
from cuakhau.fees.services import collection_account_set
from tests.factories import UnitFactory, UserFactory, fee_assessment, fee_gate, user_at_gate

pytestmark = pytest.mark.django_db

GOOD = {
    "bank_bin": "970415",
    "bank_name": "Ngân hàng TMCP Công Thương Việt Nam (VietinBank)",
    "account_number": "1130 0022 2333",
    "account_name": "Trung tâm Quản lý cửa khẩu Hữu Nghị",
}


@pytest.fixture
def staff(client):
    user = UserFactory(role=Role.DEPARTMENT_STAFF)
    client.force_login(user)
    return user


def _edit(centre):
    return reverse("fees:account_edit", args=[centre.code])


def test_the_list_shows_each_centre_with_its_account_or_the_boards(client, staff):
    _gate, centre = fee_gate()
    _other_gate, other = fee_gate("OTHER")
    collection_account_set(
        actor=None,
        collector_unit=centre,
        bank_bin="970415",
        bank_name="Ngân hàng TMCP Công Thương Việt Nam (VietinBank)",
        account_number="113000222333",
        account_name="TT HUU NGHI",
    )
    response = client.get(reverse("fees:account_list"))
    assert response.status_code == 200
    html = response.content.decode()
    mine = re.search(rf'<tr data-unit="{centre.code}">(.*?)</tr>', html, re.S).group(1)
    theirs = re.search(rf'<tr data-unit="{other.code}">(.*?)</tr>', html, re.S).group(1)
    assert "113000222333" in mine and "TT HUU NGHI" in mine and _edit(centre) in mine
    assert "Ngân hàng TMCP Công Thương Việt Nam (VietinBank)" in mine
    assert "Dùng tài khoản của Ban Quản lý" in theirs and documents.bank_account()["account"] in theirs
    # the payments page links here for the people who keep the accounts
    assert reverse("fees:account_list") in client.get(reverse("fees:payments")).content.decode()


def test_staff_set_an_account_through_the_form_and_the_notice_uses_it(client, staff):
    gate, centre = fee_gate()
    a = fee_assessment(gate, amount=1_200_000)
    page = client.get(_edit(centre))
    assert page.status_code == 200 and documents.bank_account()["account"] in page.content.decode()
    response = client.post(_edit(centre), GOOD)
    assert response.status_code == 302 and response["Location"] == reverse("fees:account_list")
    account = CollectionAccount.objects.get(collector_unit=centre)
    assert (account.bank_bin, account.account_number) == ("970415", "113000222333")
    assert account.account_name == "TRUNG TAM QUAN LY CUA KHAU HUU NGHI" and not account.is_demo
    assert account.bank_name == "Ngân hàng TMCP Công Thương Việt Nam (VietinBank)"
    event = AuditEvent.objects.get(action="fees.collection_account.set")
    assert event.actor_id == staff.pk
    notice = client.get(reverse("fees:assessment_detail", args=[a.pk])).content.decode()
    assert 'data-testid="notice-account">113000222333<' in notice
    assert "TRUNG TAM QUAN LY CUA KHAU HUU NGHI" in notice
    assert 'data-testid="notice-bank">Ngân hàng TMCP Công Thương Việt Nam (VietinBank)<' in notice
    # the form opens again with what is saved, and a change is a second audited set
    assert 'value="113000222333"' in client.get(_edit(centre)).content.decode()
    assert client.post(_edit(centre), GOOD | {"account_number": "999888777"}).status_code == 302
    assert CollectionAccount.objects.get().account_number == "999888777"
    assert AuditEvent.objects.filter(action="fees.collection_account.set").count() == 2


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"bank_bin": "97041"}, "bank_bin", "6 chữ số"),
        ({"bank_bin": ""}, "bank_bin", ""),
        ({"bank_name": ""}, "bank_name", "Nhập tên ngân hàng"),
        ({"bank_name": "   "}, "bank_name", "Nhập tên ngân hàng"),
        ({"bank_name": "N" * 121}, "bank_name", "Nhập tên ngân hàng (tối đa 120 ký tự)"),
        ({"account_number": "1234-5678"}, "account_number", "6 đến 19"),
        ({"account_number": "1" * 20}, "account_number", "6 đến 19"),
        ({"account_name": "   "}, "account_name", ""),
        ({"account_name": "TRUNG TÂM 友谊关"}, "account_name", "như ngân hàng in"),
    ],
)
def test_bad_input_answers_400_next_to_the_field_and_saves_nothing(client, staff, over, field, message):
    _gate, centre = fee_gate()
    response = client.post(_edit(centre), GOOD | over)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    html = response.content.decode()
    assert f'id="id_{field}"' in html and 'aria-invalid="true"' in html
    assert not CollectionAccount.objects.exists()
    assert not AuditEvent.objects.filter(action="fees.collection_account.set").exists()


def test_bad_input_keeps_the_saved_account(client, staff):
    _gate, centre = fee_gate()
    client.post(_edit(centre), GOOD)
    assert client.post(_edit(centre), GOOD | {"bank_bin": "9704"}).status_code == 400
    assert CollectionAccount.objects.get().bank_bin == "970415"


def test_an_account_saved_before_the_banks_name_is_kept_until_one_is_entered(client, staff):
    """A row from before the field has no bank name: the form asks for one (400, nothing changed, no
    audit event), and saving with it fills it in."""
    _gate, centre = fee_gate()
    client.post(_edit(centre), GOOD)
    CollectionAccount.objects.update(bank_name="")
    response = client.post(_edit(centre), GOOD | {"bank_name": "", "account_number": "999888777"})
    assert response.status_code == 400 and list(response.context["form"].errors) == ["bank_name"]
    account = CollectionAccount.objects.get()
    assert (account.bank_name, account.account_number) == ("", "113000222333")
    assert AuditEvent.objects.filter(action="fees.collection_account.set").count() == 1
    assert client.post(_edit(centre), GOOD).status_code == 302
    assert CollectionAccount.objects.get().bank_name == GOOD["bank_name"]


def test_out_of_scope_is_404(client):
    gate, centre = fee_gate()
    department = UnitFactory(kind=UnitKind.BOARD_DEPARTMENT, code="phong-x")
    for user in (
        user_at_gate(Role.GATE_CASHIER, gate),
        user_at_gate(Role.GATE_OPERATOR, gate),
        UserFactory(role=Role.BOARD_LEADER),
        UserFactory(role=Role.INSPECTOR),
    ):
        client.force_login(user)
        assert client.get(reverse("fees:account_list")).status_code == 404, user.role
        assert client.get(_edit(centre)).status_code == 404, user.role
        assert client.post(_edit(centre), GOOD).status_code == 404, user.role
        assert reverse("fees:account_list") not in client.get(reverse("fees:home")).content.decode()
    assert not CollectionAccount.objects.exists()
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    assert client.get(reverse("fees:account_edit", args=[department.code])).status_code == 404
    assert client.get(reverse("fees:account_edit", args=["no-such-unit"])).status_code == 404
    assert client.get(reverse("fees:account_edit", args=[centre.code])).status_code == 200


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Trung tâm Quản lý cửa khẩu Đồng Đăng", "TRUNG TAM QUAN LY CUA KHAU DONG DANG"),
        ("  Cty  TNHH   Ánh Dương ", "CTY TNHH ANH DUONG"),
        ("BQL KKT CUA KHAU DONG DANG - LANG SON", "BQL KKT CUA KHAU DONG DANG - LANG SON"),
        ("Cửa khẩu phụ Bình Nghi – Na Hình — Nà Nưa", "CUA KHAU PHU BINH NGHI - NA HINH - NA NUA"),
    ],
)
def test_the_account_name_is_kept_as_banks_print_it(typed, stored):
    assert bank_account_name(typed) == stored
