"""Entering a new tariff: resolution, terms and rules as a draft that applies to nothing, then published
(and never edited in place again). Services first, then the pages and who may use them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent
from cuakhau.core.roles import Role
from cuakhau.fees.engine import simple_charge
from cuakhau.fees.models import ImmutableTariff, Resolution, Tariff, TariffRule, TariffStatus
from cuakhau.fees.selectors import fee_quote
from cuakhau.fees.services import tariff_draft_create, tariff_draft_update, tariff_publish
from tests.factories import EnterpriseFactory, GateFactory, UserFactory, enterprise_user, user_at_gate

pytestmark = pytest.mark.django_db

CODE = "HG-15-2026"
IN_FORCE = datetime.date(2026, 3, 1)
DAY = datetime.date(2026, 4, 1)


def _resolution(**over):
    return {
        "number": "15/2026/NQ-HĐND",
        "council": "Hội đồng nhân dân tỉnh Hà Giang",
        "title": "Mức thu phí hạ tầng cửa khẩu",
        "signed_on": datetime.date(2026, 2, 10),
        "effective_from": IN_FORCE,
        "effective_to": None,
    } | over


def _rules():
    return [
        {
            "key": "c40",
            "label": "Container 40 feet",
            "kind": "rate",
            "vehicle_classes": ["container_40"],
            "basis": "per_container",
            "amount": 3_000_000,
        },
        {
            "key": "xe-18t",
            "label": "Xe từ 18 tấn",
            "kind": "rate",
            "vehicle_classes": ["18t_plus"],
            "basis": "per_vehicle",
            "amount": 800_000,
        },
        {
            "key": "nong-san",
            "label": "Nông sản theo tấn",
            "kind": "rate",
            "goods": ["agricultural"],
            "basis": "per_tonne",
            "amount": 20_000,
            "precedence": 10,
        },
        {
            "key": "quang-xk",
            "label": "Quặng xuất khẩu hệ số 200%",
            "kind": "multiplier",
            "flows": ["export"],
            "goods": ["ore"],
            "multiplier_percent": 200,
        },
        {"key": "cu-dan", "label": "Cư dân biên giới", "kind": "exemption", "flows": ["border_resident"]},
    ]


def _staff():
    return UserFactory(role=Role.DEPARTMENT_STAFF)


def _draft(actor=None, **over):
    fields = {
        "resolution": _resolution(),
        "code": CODE,
        "name": "Phí hạ tầng cửa khẩu tỉnh Hà Giang",
        "province": "ha_giang",
        "rules": _rules(),
        "cap_per_trip": 2_500_000,
        "mixed_load_rule": "highest_fee",
    } | over
    with acting_as(actor or _staff(), channel="web"):
        return tariff_draft_create(actor=actor, **fields)


def _quote(**charge):
    return fee_quote(simple_charge(tariff_code=CODE, on=DAY, **charge))[0]


def test_a_new_tariff_is_a_draft_that_applies_to_nothing(db):
    staff = _staff()
    draft = _draft(staff)
    assert (draft.status, draft.version, draft.effective_from, draft.created_by) == (
        TariffStatus.DRAFT,
        1,
        IN_FORCE,
        staff,
    )
    assert draft.resolution.council == "Hội đồng nhân dân tỉnh Hà Giang"
    assert list(draft.rules.values_list("key", flat=True)) == [
        "c40",
        "xe-18t",
        "nong-san",
        "quang-xk",
        "cu-dan",
    ]
    with pytest.raises(ServiceError):
        _quote(flow="import", container=40)
    event = AuditEvent.objects.get(object_type="fees.tariff", object_id=str(draft.pk))
    assert event.action == "fees.tariff.draft_create" and event.actor == staff
    assert event.after["resolution"]["number"] == "15/2026/NQ-HĐND" and len(event.after["rules"]) == 5


def test_published_tariff_charges_by_its_rules_and_is_never_edited_in_place(db):
    staff = _staff()
    draft = _draft(staff)
    with acting_as(staff, channel="web"):
        published = tariff_publish(actor=staff, tariff=draft)
    assert published.status == TariffStatus.IN_FORCE
    assert _quote(flow="import", container=40).amount == 2_500_000  # 3,000,000 capped per trip
    assert _quote(flow="import", goods="other", vehicle_tonnes=Decimal(20)).amount == 800_000
    assert _quote(flow="import", goods="agricultural", tonnes=Decimal(20), container=40).amount == 400_000
    assert _quote(flow="export", goods="ore", vehicle_tonnes=Decimal(20)).amount == 1_600_000
    assert _quote(flow="border_resident", goods="other", vehicle_tonnes=Decimal(20)).amount == 0
    assert AuditEvent.objects.filter(object_id=str(draft.pk), action="fees.tariff.publish").count() == 1
    rule = published.rules.get(key="c40")
    rule.amount = 1
    with pytest.raises(ImmutableTariff):
        rule.save()
    with acting_as(staff, channel="web"), pytest.raises(ServiceError) as exc:
        tariff_publish(actor=staff, tariff=published)
    assert exc.value.field == "status" and exc.value.status == 409  # the workflow's refusal
    with acting_as(staff, channel="web"), pytest.raises(ServiceError) as exc:
        tariff_draft_update(
            actor=staff,
            tariff=published,
            resolution=_resolution(),
            name="x",
            province="ha_giang",
            rules=_rules()[:1],
        )
    assert exc.value.field == "tariff"
    assert published.rules.count() == 5


def test_a_draft_is_changed_whole_before_publication(db):
    staff = _staff()
    draft = _draft(staff)
    rules = _rules()[:2]
    rules[0]["amount"] = 3_500_000
    with acting_as(staff, channel="web"):
        tariff_draft_update(
            actor=staff,
            tariff=draft,
            resolution=_resolution(number="16/2026/NQ-HĐND"),
            name="Phí hạ tầng (sửa)",
            province="ha_giang",
            rules=rules,
            cap_per_trip=None,
            mixed_load_rule="highest_fee",
        )
    draft.refresh_from_db()
    assert (draft.name, draft.cap_per_trip, draft.resolution.number) == (
        "Phí hạ tầng (sửa)",
        None,
        "16/2026/NQ-HĐND",
    )
    assert [(r.key, r.amount) for r in draft.rules.all()] == [("c40", 3_500_000), ("xe-18t", 800_000)]
    assert Resolution.objects.filter(number="15/2026/NQ-HĐND").count() == 0  # renumbered, not duplicated
    event = AuditEvent.objects.get(action="fees.tariff.draft_update")
    assert event.before["resolution"]["number"] == "15/2026/NQ-HĐND" and len(event.after["rules"]) == 2


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"code": ""}, "code"),
        ({"name": " "}, "name"),
        ({"resolution": _resolution(number="")}, "resolution_number"),
        ({"resolution": _resolution(council="")}, "resolution_council"),
        ({"resolution": _resolution(effective_to=datetime.date(2026, 1, 1))}, "resolution_effective_to"),
        ({"resolution": _resolution(signed_on=datetime.date(2026, 5, 1))}, "resolution_signed_on"),
        ({"effective_from": datetime.date(2026, 2, 1)}, "effective_from"),
        ({"cap_per_trip": 0}, "cap_per_trip"),
        ({"mixed_load_rule": "average"}, "mixed_load_rule"),
        ({"rules": []}, "rules"),
        ({"rules": _rules() + [_rules()[0]]}, "rules"),
        ({"rules": [_rules()[0] | {"amount": -1}]}, "amount_c40"),
        ({"rules": [_rules()[0] | {"basis": ""}]}, "rules"),
        ({"rules": [_rules()[0] | {"flows": ["smuggling"]}]}, "rules"),
        ({"rules": [_rules()[0], _rules()[3] | {"multiplier_percent": 0}]}, "multiplier_percent_quang-xk"),
        ({"rules": [_rules()[4]]}, "rules"),  # an exemption alone charges nothing
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(db, over, field):
    staff = _staff()
    events = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        _draft(staff, **over)
    assert exc.value.field == field, exc.value.messages
    assert Tariff.objects.count() == 0 and Resolution.objects.count() == 0 and TariffRule.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_an_existing_code_or_a_different_resolution_with_the_same_number_is_refused(tariffs):
    with pytest.raises(ServiceError) as exc:
        _draft(code="LS-09-2025")
    assert exc.value.field == "code"
    with pytest.raises(ServiceError) as exc:
        _draft(resolution=_resolution(number="09/2025/NQ-HĐND"))
    assert exc.value.field == "resolution_number"
    same = Resolution.objects.get(number="09/2025/NQ-HĐND")
    second = _draft(
        resolution={
            f: getattr(same, f) for f in ("number", "council", "title", "signed_on", "effective_from")
        }
        | {"effective_to": same.effective_to},
        effective_from=datetime.date(2026, 1, 1),
    )
    assert second.resolution == same  # one resolution may set several tariffs


@pytest.mark.parametrize("role", [Role.ENTERPRISE_USER, Role.GATE_CASHIER, Role.BOARD_LEADER])
def test_the_service_refuses_who_does_not_keep_tariffs(db, role):
    with pytest.raises(ServiceError) as exc:
        _draft(UserFactory(role=role))
    assert exc.value.status == 404
    assert Tariff.objects.count() == 0


# --- pages ------------------------------------------------------------------------------------------


def _post_data(**over):
    data = {
        "resolution_number": "15/2026/NQ-HĐND",
        "resolution_council": "Hội đồng nhân dân tỉnh Hà Giang",
        "resolution_title": "",
        "resolution_signed_on": "10/02/2026",
        "resolution_effective_from": "01/03/2026",
        "resolution_effective_to": "",
        "code": CODE,
        "name": "Phí hạ tầng cửa khẩu tỉnh Hà Giang",
        "province": "ha_giang",
        "effective_from": "",
        "cap_per_trip": "2.500.000",
        "mixed_load_rule": "highest_fee",
        "change_note": "",
        "rules-TOTAL_FORMS": "2",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "1",
        "rules-MAX_NUM_FORMS": "200",
        "rules-0-key": "c40",
        "rules-0-label": "Container 40 feet",
        "rules-0-kind": "rate",
        "rules-0-vehicle_classes": ["container_40"],
        "rules-0-basis": "per_container",
        "rules-0-amount": "3.000.000",
        "rules-0-precedence": "0",
        "rules-1-key": "quang-xk",
        "rules-1-label": "Quặng xuất khẩu",
        "rules-1-kind": "multiplier",
        "rules-1-flows": ["export"],
        "rules-1-goods": ["ore"],
        "rules-1-multiplier_percent": "200",
        "rules-1-precedence": "0",
        "rules-1-taxable": "",
    }
    return data | over


NEW = "/fees/tariffs/new/"


def test_department_staff_enter_a_tariff_and_publish_it(client, db):
    client.force_login(_staff())
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, _post_data())
    draft = Tariff.objects.get(code=CODE)
    assert response.status_code == 302 and response.url == reverse("fees:tariff_detail", args=[draft.pk])
    assert draft.status == TariffStatus.DRAFT and draft.cap_per_trip == 2_500_000
    assert draft.rules.get(key="c40").amount == 3_000_000
    assert draft.rules.get(key="quang-xk").flows == ["export"]
    detail = client.get(response.url).content.decode()
    assert 'data-testid="draft-notice"' in detail and 'data-action="publish"' in detail
    assert 'data-testid="revise-link"' not in detail
    edit = client.get(reverse("fees:tariff_edit", args=[draft.pk])).content.decode()
    assert 'value="3.000.000"' in edit and "15/2026/NQ-HĐND" in edit
    client.post(reverse("fees:tariff_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == TariffStatus.IN_FORCE
    calc = client.get(
        "/fees/calculator/",
        {"tariff": CODE, "flow": "import", "container": "40", "origin": "vn", "on": "01/04/2026"},
    )
    assert "2.500.000 đ" in calc.content.decode()
    assert client.get(reverse("fees:tariff_edit", args=[draft.pk])).status_code == 404
    detail = client.get(reverse("fees:tariff_detail", args=[draft.pk])).content.decode()
    assert 'data-testid="revise-link"' in detail and 'data-action="publish"' not in detail


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"resolution_effective_to": "01/01/2026"}, "Ngày hết hiệu lực phải sau ngày có hiệu lực"),
        ({"effective_from": "01/02/2026"}, "không thể áp dụng trước ngày nghị quyết có hiệu lực"),
        ({"rules-0-basis": ""}, "Mức thu cần đơn vị tính."),
        ({"rules-1-key": "c40"}, "Mã quy tắc c40 đã dùng ở quy tắc khác."),
        ({"rules-0-amount": "3.000.000,5"}, "phải là số nguyên"),
        ({"resolution_council": ""}, "This field is required"),
    ],
)
def test_bad_input_on_the_page_shows_the_message_and_saves_nothing(client, db, over, message):
    client.force_login(_staff())
    response = client.post(NEW, _post_data(**over))
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html or (message == "This field is required" and "has-error" in html)
    assert Tariff.objects.count() == 0 and Resolution.objects.count() == 0


def test_adding_a_rule_row_keeps_what_was_typed_and_saves_nothing(client, db):
    client.force_login(_staff())
    response = client.post(NEW, _post_data(add_rule="1", name=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="rule-2"' in html and 'value="Container 40 feet"' in html
    # nothing is judged yet (the empty name is not flagged), and the new row starts from the defaults
    assert "has-error" not in html and 'data-testid="form-errors"' not in html
    assert 'name="rules-2-precedence" value="0"' in html and "autofocus" in html
    assert Tariff.objects.count() == 0


def test_a_rule_row_added_and_left_blank_does_not_stop_the_save(client, db):
    client.force_login(_staff())
    html = client.post(NEW, _post_data(add_rule="1")).content.decode()
    assert '<option value="rate" selected>' in html.split('data-testid="rule-2"')[1]
    data = _post_data(**{"rules-TOTAL_FORMS": "3", "rules-2-kind": "rate", "rules-2-precedence": "0"})
    assert client.post(NEW, data).status_code == 302
    assert sorted(Tariff.objects.get(code=CODE).rules.values_list("key", flat=True)) == ["c40", "quang-xk"]


def test_each_refusal_is_next_to_its_field_and_listed_with_a_link_at_the_top(client, db):
    client.force_login(_staff())
    response = client.post(NEW, _post_data(**{"rules-1-key": "c40", "rules-0-amount": "3.000.000,5"}))
    html = response.content.decode()
    assert response.status_code == 400
    summary = html.split('data-testid="form-errors"')[1].split("</div>")[0]
    assert 'href="#id_rules-0-amount"' in summary and "Quy tắc 1 — Mức thu (đồng)" in summary
    assert 'href="#id_rules-1-key"' in summary and "Quy tắc 2 — Mã quy tắc" in summary
    rule_2 = html.split('data-testid="rule-1"')[1]
    key_field = rule_2.split('id="id_rules-1-key"')[1].split("</div>")[0]
    assert "Mã quy tắc c40 đã dùng ở quy tắc khác." in key_field
    # one message for a typed value that is refused, not also "enter the rate"
    assert "Nhập mức thu (đồng)." not in html
    assert Tariff.objects.count() == 0 and Resolution.objects.count() == 0


@pytest.mark.parametrize(
    "role",
    [
        Role.BOARD_LEADER,
        Role.GATE_OPERATOR,
        Role.GATE_CASHIER,
        Role.AGENCY_OFFICER,
        Role.INSPECTOR,
        Role.PROVINCIAL_LEADER,
        Role.ENTERPRISE_USER,
        Role.DRIVER,
    ],
)
def test_who_may_not_enter_or_publish_tariffs(client, db, role):
    draft = _draft()
    if role in (Role.GATE_OPERATOR, Role.GATE_CASHIER):
        user = user_at_gate(role, GateFactory())
    elif role == Role.ENTERPRISE_USER:
        user = enterprise_user(EnterpriseFactory())
    else:
        user = UserFactory(role=role)
    client.force_login(user)
    assert 'data-testid="new-tariff"' not in client.get("/fees/tariffs/").content.decode()
    assert client.get(NEW).status_code == 404
    assert client.post(NEW, _post_data(code="XX-1-2026")).status_code == 404
    assert client.get(reverse("fees:tariff_edit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("fees:tariff_publish", args=[draft.pk])).status_code == 404
    # a draft is not law: only those who keep tariffs see it
    assert client.get(reverse("fees:tariff_detail", args=[draft.pk])).status_code == 404
    assert CODE not in client.get("/fees/tariffs/").content.decode()
    draft.refresh_from_db()
    assert draft.status == TariffStatus.DRAFT and Tariff.objects.count() == 1


@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.ADMIN])
def test_who_may_enter_tariffs(client, db, role):
    client.force_login(UserFactory(role=role))
    assert 'data-testid="new-tariff"' in client.get("/fees/tariffs/").content.decode()
    assert client.get(NEW).status_code == 200
    assert client.post(NEW, _post_data()).status_code == 302
    assert Tariff.objects.get(code=CODE).status == TariffStatus.DRAFT


def test_staff_pages_of_a_new_tariff_need_sign_in(client, db):
    draft = _draft()
    for url in (NEW, reverse("fees:tariff_edit", args=[draft.pk])):
        assert client.get(url).status_code == 302
    assert client.post(reverse("fees:tariff_publish", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == TariffStatus.DRAFT
