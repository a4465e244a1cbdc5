"""The public calculator and the staff tariff pages, with who may do what."""

import pytest
from django.urls import reverse

from cuakhau.core.roles import Role
from cuakhau.fees.models import Tariff, TariffStatus
from tests.factories import GateFactory, UserFactory, user_at_gate

CALC = "/fees/calculator/"


def test_calculator_renders_for_an_anonymous_visitor(client, tariffs):
    page = client.get(CALC)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="flow"' in html and 'name="tonnes"' in html and 'hx-get="/fees/calculator/"' in html
    assert 'name="viewport"' in html


def test_calculator_shows_the_amount_and_the_rule(client, tariffs):
    page = client.get(
        CALC,
        {
            "tariff": "CB-39-2019",
            "flow": "temp_import_reexport",
            "container": "40",
            "origin": "vn",
            "on": "01/10/2025",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "6.500.000 đ" in html and "cb-1-c40" in html and "39/2019/NQ-HĐND" in html


def test_calculator_htmx_request_gets_only_the_result(client, tariffs):
    page = client.get(
        CALC,
        {
            "tariff": "LS-09-2025",
            "flow": "export",
            "goods": "other",
            "tonnes": "3",
            "origin": "vn",
            "on": "01/10/2025",
        },
        HTTP_HX_REQUEST="true",
    )
    html = page.content.decode()
    assert "<html" not in html
    assert "300.000 đ" in html and "giá trị minh họa" in html


def test_calculator_names_the_missing_field(client, tariffs):
    page = client.get(
        CALC, {"tariff": "CB-39-2019", "flow": "export", "goods": "other", "origin": "vn", "on": "01/10/2025"}
    )
    assert page.status_code == 400
    assert "Khối lượng hàng (tấn)" in page.content.decode()


def test_calculator_accepts_vietnamese_decimal_comma(client, tariffs):
    page = client.get(
        CALC,
        {
            "tariff": "CB-39-2019",
            "flow": "transit",
            "goods": "fuel",
            "tonnes": "10,5",
            "origin": "vn",
            "on": "01/10/2025",
        },
    )
    assert page.status_code == 200
    assert "735.000 đ" in page.content.decode()


@pytest.mark.parametrize("typed", ["0.250", "10.5"])
def test_calculator_refuses_a_weight_it_could_read_two_ways(client, tariffs, typed):
    # Django's localized field read 0.250 as 250 t but 10.5 as 10,5 t: the dot meant two things. Refused
    # now, with the rule in words (the same VNDecimalField as every other number input).
    page = client.get(
        CALC,
        {"tariff": "CB-39-2019", "flow": "transit", "goods": "fuel", "tonnes": typed, "on": "01/10/2025"},
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert "Khối lượng hàng (tấn)" in html and " đ</p>" not in html


def test_calculator_link_without_origin_quotes_vietnamese_goods(client, tariffs):
    query = {"tariff": "CB-39-2019", "flow": "transit", "goods": "fuel", "tonnes": "10,5", "on": "01/10/2025"}
    page = client.get(CALC, query)
    assert page.status_code == 200 and "735.000 đ" in page.content.decode()

    def result(q):
        return client.get(CALC, q, HTTP_HX_REQUEST="true").content.decode()

    assert result(query) == result(query | {"origin": "vn"})


def test_staff_pages_need_sign_in(client, tariffs):
    tariff = Tariff.objects.get(code="LS-09-2025")
    for url in (
        reverse("fees:tariff_list"),
        reverse("fees:tariff_detail", args=[tariff.pk]),
        reverse("fees:tariff_revise", args=[tariff.pk]),
    ):
        assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    "role",
    [
        Role.BOARD_LEADER,
        Role.DEPARTMENT_STAFF,
        Role.INSPECTOR,
        Role.ADMIN,
        Role.ENTERPRISE_USER,
        Role.PROVINCIAL_LEADER,
    ],
)
def test_tariffs_are_readable_by_signed_in_users(client, tariffs, role):
    client.force_login(UserFactory(role=role))
    tariff = Tariff.objects.get(code="LS-09-2025")
    listing = client.get(reverse("fees:tariff_list"))
    assert listing.status_code == 200 and "CB-39-2019" in listing.content.decode()
    detail = client.get(reverse("fees:tariff_detail", args=[tariff.pk]))
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "giá trị minh họa" in html and 'data-rule="ls-a-18t-plus"' in html
    can_revise = role in (Role.DEPARTMENT_STAFF, Role.ADMIN)
    assert ('data-testid="revise-link"' in html) is can_revise


@pytest.mark.parametrize(
    "role", [Role.GATE_OPERATOR, Role.GATE_CASHIER, Role.BOARD_LEADER, Role.INSPECTOR, Role.ENTERPRISE_USER]
)
def test_only_department_staff_and_admin_revise(client, tariffs, role):
    user = (
        user_at_gate(role, GateFactory())
        if role in (Role.GATE_OPERATOR, Role.GATE_CASHIER)
        else (UserFactory(role=role))
    )
    client.force_login(user)
    tariff = Tariff.objects.get(code="LS-09-2025")
    url = reverse("fees:tariff_revise", args=[tariff.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"effective_from": "01/01/2026", "change_note": "x"}).status_code == 404
    assert Tariff.objects.filter(code="LS-09-2025").count() == 1


def _revise_post(tariff, **overrides):
    data = {
        "effective_from": "01/01/2026",
        "change_note": "Nhập mức thu theo Phụ lục I",
        "cap_per_trip": tariff.cap_per_trip or "",
        "mixed_load_rule": tariff.mixed_load_rule,
    }
    for rule in tariff.rules.all():
        if rule.kind == "rate":
            data[f"amount_{rule.key}"] = rule.amount
        elif rule.kind == "multiplier":
            data[f"multiplier_percent_{rule.key}"] = rule.multiplier_percent
        if rule.is_demo:
            data[f"is_demo_{rule.key}"] = "on"
    return data | overrides


def test_department_staff_revise_through_the_form(client, tariffs):
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    v1 = Tariff.objects.get(code="LS-09-2025")
    url = reverse("fees:tariff_revise", args=[v1.pk])
    assert client.get(url).status_code == 200
    data = _revise_post(v1, **{"amount_ls-a-18t-plus": "1000000"})
    data.pop("is_demo_ls-a-18t-plus")
    response = client.post(url, data)
    v2 = Tariff.objects.get(code="LS-09-2025", version=2)
    assert response.status_code == 302 and response.url == reverse("fees:tariff_detail", args=[v2.pk])
    rule = v2.rules.get(key="ls-a-18t-plus")
    assert (rule.amount, rule.is_demo) == (1_000_000, False)
    v1.refresh_from_db()
    assert v1.status == TariffStatus.REPLACED
    detail = client.get(response.url).content.decode()
    assert "v1" in detail and "v2" in detail and "Nhập mức thu theo Phụ lục I" in detail
    # A replaced version cannot be revised again.
    assert client.get(url).status_code == 404


def test_revise_form_errors_name_the_field(client, tariffs):
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    v1 = Tariff.objects.get(code="LS-09-2025")
    response = client.post(
        reverse("fees:tariff_revise", args=[v1.pk]), _revise_post(v1, effective_from="01/01/2024")
    )
    assert response.status_code == 400
    assert "Ngày áp dụng phải sau ngày áp dụng" in response.content.decode()
    assert Tariff.objects.filter(code="LS-09-2025").count() == 1


def test_calculator_htmx_errors_are_swapped_in(client, tariffs):
    page = client.get(
        CALC,
        {"tariff": "CB-39-2019", "flow": "export", "goods": "other", "origin": "vn"},
        HTTP_HX_REQUEST="true",
    )
    assert page.status_code == 200  # htmx does not swap 4xx answers
    assert 'data-testid="quote-errors"' in page.content.decode()


def test_dashboard_card_lists_the_tariffs_in_force(client, tariffs):
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    html = client.get("/").content.decode()
    assert "Biểu phí đang áp dụng" in html and "LS-09-2025 v1" in html
