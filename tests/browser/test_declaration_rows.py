"""The declaration form's rows in a real browser (issue 12): the declarant adds goods lines and a
container with the buttons and removes one line, the page renumbers what is left, and saving keeps
exactly the rows shown; the form fits a 390 px phone. Screenshots at 1366 and 390 px."""

import datetime

import pytest
from django.utils import timezone

from cuakhau.core.reference import DEMO_PASSWORD
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser]


def _vehicle(plate):
    from cuakhau.core.context import acting_as
    from cuakhau.parties.models import Enterprise
    from cuakhau.parties.services import vehicle_register

    with acting_as(None, channel="cli"):
        vehicle_register(
            actor=None,
            plate=plate,
            kind="truck",
            tonnage="15",
            owner=Enterprise.objects.get(tax_code="0100233488"),
        )


def _fill_line(page, index, hs, description, quantity):
    page.fill(f"#id_lines-{index}-hs_code", hs)
    page.fill(f"#id_lines-{index}-description", description)
    page.fill(f"#id_lines-{index}-quantity", quantity)
    page.fill(f"#id_lines-{index}-unit", "kg")
    page.fill(f"#id_lines-{index}-gross_kg", "1.250,5")
    page.fill(f"#id_lines-{index}-value", "12.500.000,50")


def _numbers(page, selector):
    return [
        x.strip() for x in page.locator(f"{selector} [data-formset-row]:visible legend").all_inner_texts()
    ]


def test_add_and_remove_goods_lines_with_the_buttons_and_save(page, live_server, zone):
    from cuakhau.parties.models import Driver
    from cuakhau.traffic.models import Declaration

    _vehicle("12C-678.90")
    driver = Driver.objects.get(user__username="laixe")
    login(page, live_server, "doanhnghiep", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/traffic/declarations/new/")
    lines = "[data-formset=lines]"
    assert page.locator(f"{lines} [data-formset-row]").count() == 1
    assert page.locator("#id_lines-0-DELETE").is_hidden()  # the script's button replaces the box

    page.select_option("#id_gate", label="Cửa khẩu quốc tế Hữu Nghị")
    page.select_option("#id_flow", "export")
    page.fill("#id_vehicle", "12C-678.90")
    page.select_option("#id_driver", str(driver.pk))
    arrival = timezone.localtime() + datetime.timedelta(hours=3)
    page.fill("#id_planned_arrival", arrival.strftime("%Y-%m-%dT%H:%M"))
    _fill_line(page, 0, "0810.90.10", "Nhãn tươi", "1.200,5")
    page.click("[data-testid=add-line]")
    assert page.locator("#id_lines-1-hs_code").evaluate("e => e === document.activeElement")
    _fill_line(page, 1, "0807.11.00", "Dưa hấu (bỏ)", "5")
    page.click("[data-testid=add-line]")
    _fill_line(page, 2, "0703.10.19", "Hành tây", "20.000")
    assert page.locator("input[name=lines-TOTAL_FORMS]").input_value() == "3"
    assert _numbers(page, lines) == ["Dòng 1", "Dòng 2", "Dòng 3"]

    page.locator(f"{lines} [data-formset-row]").nth(1).locator("[data-formset-remove]").click()
    assert _numbers(page, lines) == ["Dòng 1", "Dòng 2"]
    assert page.locator("#id_lines-1-DELETE").is_checked()

    page.fill("#id_containers-0-number", "CSQU3054383")
    page.select_option("#id_containers-0-size", "40")
    for _ in range(3):
        page.click("[data-testid=add-container]")
    assert page.locator("[data-testid=add-container]").is_disabled()  # 4 containers a vehicle
    page.locator("[data-formset=containers] [data-formset-row]").nth(3).locator(
        "[data-formset-remove]"
    ).click()
    assert page.locator("[data-testid=add-container]").is_enabled()
    shot(page, "traffic-declaration-rows-1366")

    with page.expect_navigation():
        page.click("[data-testid=declaration-form] button[type=submit]:not([name])")
    errors = page.locator(".error, .errors").all_inner_texts()
    if errors:
        shot(page, "traffic-declaration-rows-refused")
    assert not errors, errors
    d = Declaration.objects.get(vehicle__plate="12C-678.90")
    assert d.status == "draft"
    assert [(x.line_no, x.description) for x in d.lines.order_by("line_no")] == [
        (1, "Nhãn tươi"),
        (2, "Hành tây"),
    ]
    assert str(d.lines.get(line_no=1).quantity) == "1200.500"
    assert [c.number for c in d.containers.all()] == ["CSQU3054383"]


def test_the_form_fits_a_phone_and_shows_every_error_at_once(phone, live_server, zone):
    login(phone, live_server, "doanhnghiep", DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/traffic/declarations/new/")
    phone.click("[data-testid=add-line]")
    phone.fill("#id_vehicle", "12C-ABCDE")
    _fill_line(phone, 0, "0810", "Nhãn", "1.200,5")
    _fill_line(phone, 1, "0810.90.10", "", "không biết")
    phone.fill("#id_containers-0-number", "CSQU3054384")
    with phone.expect_navigation():
        phone.click("button[name=and_submit]")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    texts = phone.locator(".error").all_inner_texts()
    joined = " ".join(texts)
    assert "8 chữ số" in joined and "biển số" in joined.lower() and "container" in joined.lower(), texts
    assert len(texts) >= 6, texts  # header, both lines and the container, on one submit
    assert phone.locator("[data-formset=lines] [data-formset-row]").count() == 2
    shot(phone, "traffic-declaration-errors-390")
