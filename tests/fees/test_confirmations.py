"""Issue 12, part 2: a receipt is legal only on a confirmed rate. An assessment on an illustrative rule
(TariffRule.is_demo) is provisional until the Board confirms the rule (RuleConfirmation); every path
that issues a receipt refuses it, naming the rules; a later confirmation makes it receiptable."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from cuakhau.core.context import acting_as
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.models import AuditEvent
from cuakhau.core.roles import Role, UnitKind
from cuakhau.fees import confirmations
from cuakhau.fees.confirmations import unconfirmed_rules
from cuakhau.fees.engine import Charge, GoodsLine
from cuakhau.fees.models import (
    AssessmentStatus,
    CashierShift,
    LineStatus,
    PayerBalance,
    Payment,
    Receipt,
    ReceiptSeries,
    RuleConfirmation,
    TariffRule,
)
from cuakhau.fees.selectors import balances_mismatched
from cuakhau.fees.services import (
    deposit_record,
    fee_assess,
    payment_collect_cash,
    receipt_replace,
    rule_confirm,
    statement_import,
    statement_line_resolve,
)
from tests.factories import (
    EnterpriseFactory,
    UnitFactory,
    UserFactory,
    enterprise_user,
    fee_gate,
    user_at_gate,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)
RULE = "ls-a-10t-18t"  # Lạng Sơn 09/2025, row A "10 to 18 tonnes": an illustrative value (800.000 đ)


@pytest.fixture
def world(tariffs):
    gate, centre = fee_gate("HUUNGHI_T")
    cashier = user_at_gate(Role.GATE_CASHIER, gate)
    board_unit = UnitFactory(kind=UnitKind.BOARD_DEPARTMENT)
    staff = UserFactory(role=Role.DEPARTMENT_STAFF, unit=board_unit)
    enterprise = EnterpriseFactory()
    return {"gate": gate, "cashier": cashier, "staff": staff, "enterprise": enterprise}


def assess(world, *, source_id="1", tonnes="15", payer=True):
    """A 15-tonne export truck at gate-in, on the zone's tariff (LS-09-2025): row A 10-18 t."""
    return fee_assess(
        actor=None,
        charge=Charge(
            flow="export",
            goods=(GoodsLine(kind="other", tonnes=Decimal(tonnes)),),
            vehicle_tonnes=Decimal(tonnes),
            on=DAY,
        ),
        gate_code=world["gate"].code,
        payer_unit_id=world["enterprise"].unit_id if payer else None,
        source="traffic.declaration",
        source_id=source_id,
        source_label=f"Tờ khai {source_id}",
    )


def rule(key=RULE):
    return TariffRule.objects.get(tariff__code="LS-09-2025", key=key)


def confirm(world, key=RULE, citation="Nghị quyết 09/2025/NQ-HĐND, Phụ lục, mục A, dòng 4"):
    with acting_as(world["staff"], channel="web"):
        return rule_confirm(actor=world["staff"], rule=rule(key), citation=citation)


def collect(world, a):
    with acting_as(world["cashier"], channel="web"):
        return payment_collect_cash(actor=world["cashier"], assessment_id=a.pk)


# --- what is provisional ---------------------------------------------------------------------------


def test_an_assessment_on_an_illustrative_rule_is_provisional_and_names_it(world):
    a = assess(world)
    assert a.amount == 800_000 and a.rule_key == RULE
    assert [r.key for r in unconfirmed_rules(a)] == [RULE]
    reason = confirmations.provisional_reason(a)
    assert RULE in reason and a.payment_reference in reason and "LS-09-2025 v1" in reason


def test_an_assessment_on_published_rules_only_is_not_provisional(world):
    a = fee_assess(
        actor=None,
        charge=Charge(
            flow="temp_import_reexport", goods=(GoodsLine(kind="agricultural"),), container=40, on=DAY
        ),
        gate_code=world["gate"].code,
        payer_unit_id=None,
        source="t",
        source_id="published",
    )
    assert a.rule_key == "ls-b-agri-c40" and a.amount == 4_000_000
    assert unconfirmed_rules(a) == []
    assert collect(world, a).amount == 4_000_000


def test_an_illustrative_multiplier_makes_it_provisional_too(world):
    """A published rate times an illustrative multiplier: the multiplier is what awaits confirmation."""
    from cuakhau.fees.services import resolution_ensure, tariff_create

    with acting_as(None, channel="cli"):
        res = resolution_ensure(
            actor=None,
            number="99/2026/NQ-HĐND",
            council="HĐND tỉnh",
            effective_from=datetime.date(2026, 1, 1),
        )
        tariff_create(
            actor=None,
            resolution=res,
            code="MULT",
            name="Thử hệ số",
            province="cao_bang",
            rules=[
                {"key": "base", "label": "Mức cơ bản", "basis": "per_trip", "amount": 100_000},
                {
                    "key": "inland",
                    "label": "Vào nội địa",
                    "kind": "multiplier",
                    "multiplier_percent": 130,
                    "delivered_inland": True,
                    "is_demo": True,
                },
            ],
        )
    a = fee_assess(
        actor=None,
        charge=Charge(flow="import", delivered_inland=True, tariff_code="MULT", on=DAY),
        gate_code=world["gate"].code,
        payer_unit_id=None,
        source="t",
        source_id="mult",
    )
    assert a.amount == 130_000
    assert [r.key for r in unconfirmed_rules(a)] == ["inland"]
    assert confirmations.used_rule_keys(a) == ["base", "inland"]


# --- every path that issues a receipt refuses ---------------------------------------------------------


def test_cash_collection_is_refused_with_the_reason_and_nothing_is_written(world):
    a = assess(world, payer=False)
    events = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        collect(world, a)
    assert exc.value.status == 409 and exc.value.field == "assessment"
    assert RULE in exc.value.messages[0] and "tạm tính" in exc.value.messages[0]
    a.refresh_from_db()
    assert a.status == AssessmentStatus.DUE
    assert not Receipt.objects.exists() and not Payment.objects.exists()
    assert not CashierShift.objects.exists()  # the refusal comes before the shift opens
    assert not ReceiptSeries.objects.filter(last_number__gt=0).exists()
    assert AuditEvent.objects.count() == events


def test_a_later_confirmation_makes_the_earlier_assessment_receiptable(world):
    a = assess(world, payer=False)
    with pytest.raises(ServiceError):
        collect(world, a)
    confirm(world)
    receipt = collect(world, a)
    assert receipt.amount == 800_000 and receipt.assessment_id == a.pk and receipt.number == 1
    a.refresh_from_db()
    assert a.status == AssessmentStatus.PAID


def test_deposit_is_not_debited_at_gate_in_and_is_settled_once_the_rule_is_confirmed(world):
    unit = world["enterprise"].unit
    with acting_as(None, channel="cli"):
        deposit_record(actor=None, payer_unit=unit, amount=5_000_000, reference="KQ")
        a = assess(world)
    a.refresh_from_db()
    assert a.status == AssessmentStatus.DUE  # provisional: left due, the deposit untouched
    assert PayerBalance.objects.get(pk=unit.pk).balance == 5_000_000
    assert not Receipt.objects.exists()
    assert balances_mismatched() == []

    confirmation = confirm(world)
    a.refresh_from_db()
    assert a.status == AssessmentStatus.PAID
    receipt = Receipt.objects.get(assessment=a)
    assert receipt.method == "balance" and receipt.amount == 800_000
    assert PayerBalance.objects.get(pk=unit.pk).balance == 4_200_000
    assert balances_mismatched() == []
    event = AuditEvent.objects.get(action="fees.rule.confirm")
    assert event.object_id == str(confirmation.pk) and event.actor == world["staff"]


def test_a_deposit_made_later_passes_over_the_provisional_fee(world):
    unit = world["enterprise"].unit
    with acting_as(None, channel="cli"):
        provisional = assess(world, source_id="1")
        deposit_record(actor=None, payer_unit=unit, amount=5_000_000, reference="KQ")
    provisional.refresh_from_db()
    assert provisional.status == AssessmentStatus.DUE
    assert PayerBalance.objects.get(pk=unit.pk).balance == 5_000_000
    assert balances_mismatched() == []


def _statement(a, amount=None, ref="FT1"):
    content = (
        "Ngày giao dịch,Số tiền,Nội dung,Mã giao dịch\n"
        f"02/03/2026,{amount or a.amount},CK {a.payment_reference},{ref}\n"
    ).encode()
    return statement_import(actor=None, file_name="sao-ke.csv", content=content)


def test_a_transfer_for_a_provisional_fee_waits_unmatched_with_the_reason(world):
    a = assess(world, payer=False)
    with acting_as(world["cashier"], channel="web"):
        statement = _statement(a)
    line = statement.lines.get()
    assert line.status == LineStatus.UNMATCHED and RULE in line.problem and "tạm tính" in line.problem
    assert not Receipt.objects.exists()
    with acting_as(world["cashier"], channel="web"), pytest.raises(ServiceError) as exc:
        statement_line_resolve(
            actor=world["cashier"], line_id=line.pk, note="Trả vào khoản phí", assessment_id=a.pk
        )
    assert exc.value.status == 409
    line.refresh_from_db()
    assert line.status == LineStatus.UNMATCHED and not Receipt.objects.exists()

    confirm(world)
    with acting_as(world["cashier"], channel="web"):
        statement_line_resolve(
            actor=world["cashier"], line_id=line.pk, note="Mức thu đã được Ban xác nhận", assessment_id=a.pk
        )
    receipt = Receipt.objects.get(assessment=a)
    assert receipt.method == "transfer" and receipt.amount == a.amount


def test_a_receipt_already_issued_on_a_provisional_rate_is_kept_and_not_replaced(world):
    """A receipt issued before this rule existed (simulated) stays as it is; its replacement waits."""
    a = assess(world, payer=False)
    with mock.patch.object(confirmations, "unconfirmed_rules", return_value=[]):
        old = collect(world, a)
    with acting_as(world["cashier"], channel="web"), pytest.raises(ServiceError) as exc:
        receipt_replace(
            actor=world["cashier"], receipt_id=old.pk, reason="Sai tên người nộp", payer_name="Công ty B"
        )
    assert RULE in exc.value.messages[0]
    old.refresh_from_db()
    assert old.status == "issued" and Receipt.objects.count() == 1
    confirm(world)
    with acting_as(world["cashier"], channel="web"):
        new = receipt_replace(
            actor=world["cashier"], receipt_id=old.pk, reason="Sai tên người nộp", payer_name="Công ty B"
        )
    assert new.replaces_id == old.pk


# --- confirming ---------------------------------------------------------------------------------------


def test_confirmation_records_who_when_and_the_citation_and_is_audited(world):
    c = confirm(world, citation="  Phụ lục,   mục A dòng 4 ")
    assert c.rule == rule() and c.confirmed_by == world["staff"] and c.confirmed_at is not None
    assert c.citation == "Phụ lục, mục A dòng 4"
    event = AuditEvent.objects.get(action="fees.rule.confirm")
    assert event.after["citation"] == "Phụ lục, mục A dòng 4"
    assert event.after["rule"]["key"] == RULE and event.after["rule"]["amount"] == 800_000
    assert event.after["resolution"] == "09/2025/NQ-HĐND"
    assert rule().is_demo  # the published rule is not edited


@pytest.mark.parametrize(
    "key,citation,field,text",
    [
        (RULE, "   ", "citation", "09/2025/NQ-HĐND"),
        (RULE, "x" * 256, "citation", "255"),
        ("ls-b-agri-c40", "Phụ lục B", "rule", "không phải giá trị minh họa"),
    ],
)
def test_confirmation_refusals_name_the_field_and_write_nothing(world, key, citation, field, text):
    with pytest.raises(ServiceError) as exc:
        confirm(world, key=key, citation=citation)
    assert exc.value.field == field and text in exc.value.messages[0]
    assert not RuleConfirmation.objects.exists()
    assert not AuditEvent.objects.filter(action="fees.rule.confirm").exists()


def test_a_rule_is_confirmed_once(world):
    confirm(world)
    with pytest.raises(ServiceError) as exc:
        confirm(world, citation="again")
    assert "đã được xác nhận" in exc.value.messages[0]
    assert RuleConfirmation.objects.count() == 1


@pytest.mark.parametrize(
    "role", [Role.INSPECTOR, Role.BOARD_LEADER, Role.PROVINCIAL_LEADER, Role.GATE_CASHIER, "enterprise"]
)
def test_only_the_boards_tariff_keepers_confirm(world, role):
    if role == "enterprise":
        user = enterprise_user(world["enterprise"])
    elif role == Role.GATE_CASHIER:
        user = world["cashier"]
    else:
        kind = UnitKind.PROVINCIAL_LEADERSHIP if role == Role.PROVINCIAL_LEADER else UnitKind.BOARD_LEADERSHIP
        user = UserFactory(role=role, unit=UnitFactory(kind=kind))
    with acting_as(user, channel="web"), pytest.raises(NotFound):
        rule_confirm(actor=user, rule=rule(), citation="Phụ lục A")
    assert not RuleConfirmation.objects.exists()


# --- pages ---------------------------------------------------------------------------------------------


def test_tariff_page_offers_the_confirm_form_to_staff_and_confirms(client, world):
    tariff = rule().tariff
    url = reverse("fees:tariff_detail", args=[tariff.pk])
    client.force_login(world["staff"])
    html = client.get(url).content.decode()
    assert f'data-testid="confirm-{RULE}"' in html and 'data-testid="confirm-ls-b-agri-c40"' not in html
    assert f'data-testid="unconfirmed-{RULE}"' in html
    post = reverse("fees:tariff_rule_confirm", args=[tariff.pk, RULE])
    refused = client.post(post, {f"confirm-{RULE}-citation": ""})
    assert refused.status_code == 400 and not RuleConfirmation.objects.exists()
    assert "confirm-error" in refused.content.decode()
    response = client.post(
        post, {f"confirm-{RULE}-citation": "Phụ lục, mục A, dòng 4", f"confirm-{RULE}-note": ""}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#rule-{RULE}")
    assert rule().confirmation.citation == "Phụ lục, mục A, dòng 4"
    html = client.get(url).content.decode()
    assert f'data-testid="confirmed-{RULE}"' in html and "Phụ lục, mục A, dòng 4" in html
    assert f'data-testid="confirm-{RULE}"' not in html


@pytest.mark.parametrize("who", ["inspector", "enterprise", "cashier"])
def test_others_see_no_confirm_form_and_their_post_is_404(client, world, who):
    users = {
        "inspector": lambda: UserFactory(
            role=Role.INSPECTOR, unit=UnitFactory(kind=UnitKind.BOARD_LEADERSHIP)
        ),
        "enterprise": lambda: enterprise_user(world["enterprise"]),
        "cashier": lambda: world["cashier"],
    }
    client.force_login(users[who]())
    tariff = rule().tariff
    html = client.get(reverse("fees:tariff_detail", args=[tariff.pk])).content.decode()
    assert f'data-testid="confirm-{RULE}"' not in html and f'data-testid="unconfirmed-{RULE}"' in html
    response = client.post(
        reverse("fees:tariff_rule_confirm", args=[tariff.pk, RULE]), {f"confirm-{RULE}-citation": "A"}
    )
    assert response.status_code == 404 and not RuleConfirmation.objects.exists()


def test_assessment_page_shows_provisional_with_no_cash_button_and_no_vietqr(client, world):
    a = assess(world)
    client.force_login(world["cashier"])
    url = reverse("fees:assessment_detail", args=[a.pk])
    html = client.get(url).content.decode()
    assert 'data-testid="provisional"' in html and RULE in html
    assert 'data-testid="collect-cash"' not in html
    assert 'data-testid="vietqr"' not in html and 'data-testid="notice-provisional"' in html
    response = client.post(reverse("fees:assessment_collect", args=[a.pk]), follow=True)
    assert RULE in response.content.decode() and not Receipt.objects.exists()

    confirm(world)
    html = client.get(url).content.decode()
    assert 'data-testid="provisional"' not in html
    assert 'data-testid="collect-cash"' in html and 'data-testid="vietqr"' in html


def test_the_notice_pdf_says_provisional_and_asks_no_payment(world):
    from cuakhau.fees import documents

    a = assess(world)
    html = documents.payment_notice_html(a)
    assert "(TẠM TÍNH)" in html and "data-provisional" in html and RULE in html
    assert "VietQR · NAPAS 247" not in html and "<svg" not in html
    confirm(world)
    html = documents.payment_notice_html(a)
    assert "TẠM TÍNH" not in html and "VietQR · NAPAS 247" in html


# --- API -----------------------------------------------------------------------------------------------


def test_api_shows_provisional_and_confirms(client, world):
    a = assess(world)
    client.force_login(world["staff"])
    body = client.get(f"/api/v1/fees/assessments/{a.pk}").json()
    assert body["provisional"] is True and body["unconfirmed_rules"] == [RULE]
    listed = client.get("/api/v1/fees/assessments").json()
    assert [x["unconfirmed_rules"] for x in listed if x["id"] == a.pk] == [[RULE]]

    url = f"/api/v1/fees/rules/{rule().pk}/confirm"
    bad = client.post(url, {"citation": " "}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "citation"
    ok = client.post(
        url,
        {"citation": "Phụ lục, mục A, dòng 4", "note": "đối chiếu bản gốc"},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    out = ok.json()
    assert out["rule_key"] == RULE and out["confirmed_by"] == world["staff"].username
    assert out["citation"] == "Phụ lục, mục A, dòng 4"
    again = client.post(url, {"citation": "x"}, content_type="application/json")
    assert again.status_code == 422
    body = client.get(f"/api/v1/fees/assessments/{a.pk}").json()
    assert body["provisional"] is False and body["unconfirmed_rules"] == []


@pytest.mark.parametrize("who", ["inspector", "enterprise"])
def test_api_confirm_is_404_for_others(client, world, who):
    user = (
        UserFactory(role=Role.INSPECTOR, unit=UnitFactory(kind=UnitKind.BOARD_LEADERSHIP))
        if who == "inspector"
        else enterprise_user(world["enterprise"])
    )
    client.force_login(user)
    response = client.post(
        f"/api/v1/fees/rules/{rule().pk}/confirm", {"citation": "A"}, content_type="application/json"
    )
    assert response.status_code == 404 and not RuleConfirmation.objects.exists()


def test_a_revision_keeps_the_confirmation_of_a_rule_it_copies_unchanged(world):
    from cuakhau.fees.services import tariff_revise

    confirm(world)
    confirm(world, key="ls-a-18t-plus", citation="Phụ lục, mục A, dòng 5")
    with acting_as(None, channel="cli"):
        new = tariff_revise(
            actor=None,
            tariff=rule().tariff,
            effective_from=datetime.date(2026, 6, 1),
            change_note="Sửa mức xe từ 18 tấn theo văn bản đính chính",
            rule_changes={"ls-a-18t-plus": {"amount": 1_300_000}},
        )
    kept = TariffRule.objects.get(tariff=new, key=RULE).confirmation
    assert kept.citation == "Nghị quyết 09/2025/NQ-HĐND, Phụ lục, mục A, dòng 4"
    assert kept.confirmed_by == world["staff"] and "phiên bản 1" in kept.note
    changed = TariffRule.objects.get(tariff=new, key="ls-a-18t-plus")
    assert not RuleConfirmation.objects.filter(rule=changed).exists()
    assert AuditEvent.objects.get(action="fees.tariff.revise").after["confirmations_carried"] == [RULE]


def test_counter_and_list_mark_a_provisional_fee_and_offer_no_cash_button_for_it(client, world):
    provisional = assess(world, source_id="1", payer=False)
    confirmed_rate = assess(world, source_id="2", tonnes="19", payer=False)  # row A 18 t+, confirmed below
    confirm(world, key="ls-a-18t-plus")
    client.force_login(world["cashier"])
    counter = client.get(reverse("fees:counter")).content.decode()
    assert f'data-testid="provisional-{provisional.payment_reference}"' in counter
    assert f'data-testid="provisional-{confirmed_rate.payment_reference}"' not in counter
    assert counter.count(reverse("fees:assessment_collect", args=[confirmed_rate.pk])) == 1
    assert reverse("fees:assessment_collect", args=[provisional.pk]) not in counter
    listing = client.get(reverse("fees:assessment_list")).content.decode()
    assert f'data-testid="provisional-{provisional.payment_reference}"' in listing
    assert f'data-testid="provisional-{confirmed_rate.payment_reference}"' not in listing
