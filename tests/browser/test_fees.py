"""The cashier collects cash for an assessment and opens the receipt; the public verification page finds
it; the receipt PDF downloads."""

from pathlib import Path

import pytest

from cuakhau.core.reference import DEMO_PASSWORD

from .conftest import login, shot

pytestmark = pytest.mark.browser


@pytest.fixture
def fees_zone(transactional_db, tmp_path, monkeypatch):
    """Reference data, demo users and enterprises, and the fees demo (only the loaders this flow needs)."""
    from cuakhau.core.context import acting_as
    from cuakhau.core.loaders import demo_loaders, reference_loaders

    monkeypatch.setenv("CUAKHAU_RECEIPT_CERT", str(tmp_path / "c.pem"))
    monkeypatch.setenv("CUAKHAU_RECEIPT_KEY", str(tmp_path / "k.pem"))
    from cuakhau.fees.documents import devcert_create

    devcert_create()  # receipts are signed when issued
    wanted = {"users", "parties", "fees"}
    with acting_as(None, channel="cli"):
        for _name, loader in reference_loaders():
            loader()
        for name, loader in demo_loaders():
            if name in wanted:
                loader(stdout=None)


def _receiptable_debt():
    """A debt the fees demo leaves at Hữu Nghị on a confirmed rate (the demo also leaves provisional
    ones, on illustrative rates not yet confirmed, which have no VietQR and cannot be collected)."""
    from cuakhau.fees.confirmations import unconfirmed_rules
    from cuakhau.fees.models import AssessmentStatus, FeeAssessment

    debts = FeeAssessment.objects.filter(status=AssessmentStatus.DUE, gate__code="HUUNGHI").order_by("pk")
    due = next((a for a in debts if not unconfirmed_rules(a)), None)
    assert due is not None, "the fees demo leaves debts at Hữu Nghị on confirmed rates"
    return due


def test_cashier_collects_cash_and_the_public_finds_the_receipt(page, live_server, fees_zone):
    due = _receiptable_debt()
    login(page, live_server, "thungan", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/fees/counter/?q={due.payment_reference}")
    assert due.payment_reference in page.locator("[data-testid=due]").inner_text()
    page.goto(f"{live_server.url}/fees/assessments/{due.pk}/")
    assert page.locator("[data-testid=vietqr] svg").count() == 1
    # the demo gives each centre its own account, marked as demo; the notice names that centre's
    from cuakhau.core.models import Unit
    from cuakhau.fees.collecting import collecting_point
    from cuakhau.fees.models import CollectionAccount

    centres = Unit.objects.filter(kind="gate_centre")
    assert centres.exists() and all(c.collection_account.is_demo for c in centres)
    account = CollectionAccount.objects.get(collector_unit=collecting_point(due.gate))
    assert page.locator("[data-testid=notice-account]").inner_text() == account.account_number
    page.click("[data-testid=collect-cash]")
    page.wait_for_load_state("networkidle")
    assert "/fees/receipts/" in page.url
    heading = page.locator("[data-testid=receipt-number]").inner_text()
    check_code = page.locator("[data-testid=check-code]").inner_text().strip()
    symbol, number = heading.split(" – ")[0].strip(), heading.rsplit(" ", 1)[-1]
    assert len(number) == 8 and len(check_code) == 10
    shot(page, "fees-receipt")
    with page.expect_download() as download:
        page.click("[data-testid=pdf]")
    path = download.value.path()
    assert Path(path).read_bytes()[:4] == b"%PDF"
    assert download.value.suggested_filename == f"bien-lai-{symbol}-{number}.pdf"

    # the public verification page, signed out
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/fees/lookup/")
    page.fill("#symbol", symbol)
    page.fill("#number", number)
    page.fill("#code", check_code)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    result = page.locator("[data-testid=lookup-result]").inner_text()
    assert "Biên lai hợp lệ" in result and number in result
    shot(page, "fees-lookup")


CODE = "LS-15-2026"


def _fill_rule(page, n, *, section, label, key, amount, basis, checks=(), precedence=None):
    rule = page.locator(f"[data-testid=rule-{n}]")
    rule.locator(f"#id_rules-{n}-section").fill(section)
    rule.locator(f"#id_rules-{n}-label").fill(label)
    rule.locator(f"#id_rules-{n}-key").fill(key)
    for value in checks:
        rule.locator(f"input[type=checkbox][value={value}]").check()
    rule.locator(f"#id_rules-{n}-kind").select_option("rate")
    rule.locator(f"#id_rules-{n}-basis").select_option(basis)
    rule.locator(f"#id_rules-{n}-amount").fill(amount)
    if precedence is not None:
        rule.locator(f"#id_rules-{n}-precedence").fill(str(precedence))


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways ({width} px)"


def _submit(page, selector):
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state("networkidle")


def test_department_staff_enter_a_tariff_fix_a_refusal_publish_and_the_calculator_quotes_it(
    page, phone, live_server, fees_zone
):
    """Staff of a department enter a new tariff (resolution, terms, two rules), are refused a rate with a
    decimal part next to that field and nothing is saved, fix it, publish, and the public calculator
    quotes by the new rule. The form is looked at on a PC and on a phone."""
    import datetime

    from cuakhau.fees.models import Resolution, Tariff, TariffStatus

    year = datetime.date.today().year
    login(page, live_server, "chuyenvien", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/fees/tariffs/")
    _submit(page, "[data-testid=new-tariff]")
    page.fill("#id_resolution_number", "15/2026/NQ-HĐND")
    page.fill("#id_resolution_signed_on", f"20/12/{year - 1}")
    page.fill("#id_resolution_title", "Quy định mức thu phí sử dụng công trình hạ tầng khu vực cửa khẩu")
    page.fill("#id_resolution_effective_from", f"01/01/{year}")
    page.fill("#id_code", CODE)
    page.fill("#id_name", "Phí hạ tầng cửa khẩu Lạng Sơn 2026")
    page.fill("#id_cap_per_trip", "5.000.000")
    _fill_rule(
        page,
        0,
        section="1",
        label="Container 40 feet",
        key="c40",
        amount="3.000.000",
        basis="per_container",
        checks=["container_40"],
    )
    _submit(page, "[data-testid=add-rule]")
    # asking for a second row saves nothing, keeps what was typed, judges nothing yet and moves to the row
    assert page.locator(".field.has-error").count() == 0
    assert page.input_value("#id_rules-0-amount") == "3.000.000"
    assert page.evaluate("document.activeElement.id") == "id_rules-1-section"
    assert page.input_value("#id_rules-1-precedence") == "0"
    _fill_rule(
        page,
        1,
        section="2",
        label="Nông sản, tính theo tấn",
        key="nong-san",
        amount="20.000,5",  # a rate in đồng has no decimal part
        basis="per_tonne",
        checks=["agricultural"],
        precedence=10,
    )
    shot(page, "fees-tariff-new")
    _submit(page, "[data-testid=save-draft]")

    field = page.locator("[data-testid=rule-1] .field.has-error")
    assert field.count() == 1
    assert field.locator("input").get_attribute("id") == "id_rules-1-amount"
    assert "số nguyên" in field.locator(".error").inner_text()
    assert page.input_value("#id_rules-1-amount") == "20.000,5"  # left for the user to fix
    link = page.locator("[data-testid=form-errors] a[href='#id_rules-1-amount']")
    assert link.inner_text() == "Quy tắc 2 — Mức thu (đồng)"
    link.click()
    assert page.locator("#id_rules-1-amount").is_visible()
    assert not Tariff.objects.filter(code=CODE).exists()
    assert not Resolution.objects.filter(number="15/2026/NQ-HĐND").exists()
    shot(page, "fees-tariff-refused")

    page.fill("#id_rules-1-amount", "20.000")
    _submit(page, "[data-testid=save-draft]")
    assert "/fees/tariffs/" in page.url and "new" not in page.url
    assert page.locator("[data-testid=draft-notice]").count() == 1
    rules = page.locator("[data-testid=rules-table]").inner_text()
    assert "3.000.000" in rules and "20.000" in rules
    draft = Tariff.objects.get(code=CODE)
    assert draft.status == TariffStatus.DRAFT and draft.cap_per_trip == 5_000_000
    assert {r.key: r.amount for r in draft.rules.all()} == {"c40": 3_000_000, "nong-san": 20_000}

    # the same form on a phone: every field reachable without scrolling sideways
    login(phone, live_server, "chuyenvien", DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/fees/tariffs/{draft.pk}/edit/")
    assert phone.input_value("#id_rules-1-amount") == "20.000"
    _no_sideways_scroll(phone)
    shot(phone, "fees-tariff-edit-phone")

    page.once("dialog", lambda d: d.accept())
    _submit(page, "[data-action=publish] button[type=submit]")
    draft.refresh_from_db()
    assert draft.status == TariffStatus.IN_FORCE

    # the public calculator (signed out) quotes by the new tariff: 12,5 t of farm produce at 20.000 a tonne
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/fees/calculator/")
    page.select_option("#id_tariff", CODE)
    page.select_option("#id_flow", "import")
    page.select_option("#id_goods", "agricultural")
    page.fill("#id_tonnes", "12,5")
    page.click("[data-testid=calculator-form] button[type=submit]")
    amount = page.locator("[data-testid=quote-amount]")
    amount.wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=quote-amount]').innerText.includes('250.000')"
    )
    assert CODE in page.locator("[data-testid=quote-result]").inner_text()
    shot(page, "fees-calculator-new-tariff")
    phone.context.clear_cookies()
    phone.goto(
        f"{live_server.url}/fees/calculator/?tariff={CODE}&flow=import&goods=agricultural&tonnes=12%2C5"
    )
    shot(phone, "fees-calculator-phone")
    assert "250.000" in phone.locator("[data-testid=quote-amount]").inner_text()
    _no_sideways_scroll(phone)
    shot(phone, "fees-calculator-phone")


def test_department_staff_change_a_centres_account_and_the_notice_shows_it(page, live_server, fees_zone):
    """Staff open the collection accounts from the payments page, give the Hữu Nghị centre a real account
    (name typed with accents, stored as the bank prints it), and a debt at Hữu Nghị asks to be paid there."""

    due = _receiptable_debt()
    login(page, live_server, "chuyenvien", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/fees/payments/")
    _submit(page, "[data-testid=accounts-link]")
    row = page.locator("tr[data-unit=ttqlck-huu-nghi]")
    assert "minh họa" in row.inner_text()
    _submit(page, "tr[data-unit=ttqlck-huu-nghi] a.button")
    page.fill("#id_bank_bin", "970418")
    page.fill("#id_bank_name", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam (BIDV)")
    page.fill("#id_account_number", "2141 0000 555666")
    page.fill("#id_account_name", "Trung tâm Quản lý cửa khẩu Hữu Nghị")
    page.uncheck("#id_is_demo")
    shot(page, "fees-account-edit")
    _submit(page, "button[type=submit].primary")
    row = page.locator("tr[data-unit=ttqlck-huu-nghi]")
    assert "21410000555666" in row.inner_text() and "minh họa" not in row.inner_text()
    shot(page, "fees-accounts")
    page.goto(f"{live_server.url}/fees/assessments/{due.pk}/")
    assert page.locator("[data-testid=notice-account]").inner_text() == "21410000555666"
    notice = page.locator("[data-testid=notice]").inner_text()
    assert "TRUNG TAM QUAN LY CUA KHAU HUU NGHI" in notice and "minh họa" not in notice
    bank = page.locator("[data-testid=notice-bank]").inner_text()
    assert bank == "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam (BIDV)"
    shot(page, "fees-notice-new-account")
