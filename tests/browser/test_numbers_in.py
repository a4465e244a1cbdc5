"""Numbers typed the Vietnamese way, in a real browser (issue 12): the enterprise user types 1.200 kg and
15.000 USD into the declaration form on a phone (and a gross weight of 12.000 kg); the saved trip shows
1.200 kg and 15.000 USD (not 1,2 and 15), the fee assessed at gate-in is that of a 12-tonne load (the
vehicle has no registered tonnage, so the load's weight sets its class; 12 kg would be the smallest),
and the turnover computed from the crossed trip grows by 15.000 USD."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cuakhau.core.reference import DEMO_PASSWORD

from .conftest import login, shot

pytestmark = pytest.mark.browser

PLATE = "12C-246.80"


def test_vietnamese_numbers_typed_in_the_form_reach_the_trip_the_fee_and_the_statistics(
    phone, live_server, zone, tmp_path, monkeypatch
):
    from cuakhau.core.context import acting_as
    from cuakhau.core.models import User
    from cuakhau.fees import documents
    from cuakhau.fees.models import FeeAssessment
    from cuakhau.fees.services import payment_collect_cash
    from cuakhau.parties.models import Driver, Enterprise
    from cuakhau.parties.services import vehicle_register
    from cuakhau.trade.models import ExchangeRate
    from cuakhau.trade.periods import Period
    from cuakhau.trade.selectors import computed_totals
    from cuakhau.trade.services import computed_refresh, rate_set
    from cuakhau.traffic import services
    from cuakhau.traffic.models import Declaration
    from cuakhau.traffic.services.gate_events import gate_event_record

    with acting_as(None, channel="cli"):
        vehicle_register(
            actor=None, plate=PLATE, kind="truck", owner=Enterprise.objects.get(tax_code="0100233488")
        )
    driver = Driver.objects.get(user__username="laixe")

    # 1. The enterprise user types the numbers the Vietnamese way, on a phone.
    login(phone, live_server, "doanhnghiep", DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/traffic/declarations/new/")
    phone.select_option("#id_gate", label="Cửa khẩu quốc tế Hữu Nghị")
    phone.select_option("#id_flow", "export")
    phone.fill("#id_vehicle", PLATE)
    phone.select_option("#id_driver", str(driver.pk))
    arrival = timezone.localtime() + datetime.timedelta(hours=2)
    phone.fill("#id_planned_arrival", arrival.strftime("%Y-%m-%dT%H:%M"))
    phone.fill("#id_lines-0-hs_code", "0703.10.19")
    phone.fill("#id_lines-0-description", "Hành tây củ")
    phone.fill("#id_lines-0-quantity", "1.200")
    phone.fill("#id_lines-0-unit", "kg")
    phone.fill("#id_lines-0-gross_kg", "12.000")
    phone.fill("#id_lines-0-value", "15.000")
    phone.fill("#id_lines-0-currency", "USD")
    phone.click("button[name=and_submit]")
    phone.wait_for_load_state("networkidle")
    errors = phone.locator(".error, .errors, .errorlist").all_inner_texts()
    assert not errors, errors
    d = Declaration.objects.get(vehicle__plate=PLATE)
    line = d.lines.get()
    assert (line.quantity, line.gross_kg, line.value, line.currency) == (
        Decimal(1200),
        Decimal(12000),
        Decimal(15000),
        "USD",
    )

    # 2. The saved trip shows them as they were typed.
    goods = phone.locator("main").inner_text()
    assert "1.200 kg" in goods and "15.000 USD" in goods, goods
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the trip page scrolls sideways on a phone: {width}px"
    shot(phone, "numbers-in-trip-390")

    # 3. Through the gate: approved, called, in the yard (the fee is assessed), checked, paid, out.
    operator = User.objects.get(username="dieuhanh")
    with acting_as(operator, channel="web"):
        d = services.declaration_approve(actor=operator, declaration=d)
        d = services.declaration_call_forward(actor=operator, declaration=d, reason="Thử nghiệm số liệu")
        event = gate_event_record(actor=operator, kind="in", yard_code="bai-huu-nghi", plate=PLATE)
    assert event.result == "in_yard", event.detail
    d.refresh_from_db()
    fee = FeeAssessment.objects.get(pk=d.fee_assessment_id)
    assert [Decimal(str(g["tonnes"])) for g in fee.charge["goods"]] == [Decimal(12)], fee.charge
    phone.goto(f"{live_server.url}/fees/assessments/{fee.pk}/")
    fee_page = phone.locator("main").inner_text()
    assert "từ 10 đến dưới 18 tấn" in fee_page, fee_page
    shot(phone, "numbers-in-fee-390")

    with acting_as(None, channel="cli"):
        for check in d.checks.filter(status="pending"):
            services.check_record(actor=None, check=check, status="passed")
        today = timezone.localdate()
        if not ExchangeRate.objects.filter(day=today, currency="USD").exists():
            rate_set(
                actor=None, day=today, currency="USD", vnd_per_unit=Decimal("25450"), source="thử nghiệm"
            )
        first = today.replace(day=1)
        computed_refresh(actor=None, start=first, end=today)
    leader = User.objects.get(username="lanhdao")
    period = Period.month(today.year, today.month)
    before = computed_totals(user=leader, period=period).export
    # The fee is paid in cash at the counter, so that no exit rule holds the truck.
    monkeypatch.setenv("CUAKHAU_RECEIPT_CERT", str(tmp_path / "c.pem"))
    monkeypatch.setenv("CUAKHAU_RECEIPT_KEY", str(tmp_path / "k.pem"))
    documents.devcert_create()
    cashier = User.objects.get(username="thungan")
    with acting_as(cashier, channel="web"):
        payment_collect_cash(actor=cashier, assessment_id=fee.pk)
    with acting_as(operator, channel="web"):
        out = gate_event_record(actor=operator, kind="out", yard_code="bai-huu-nghi", plate=PLATE)
    assert out.result == "crossed", out.detail
    with acting_as(None, channel="cli"):
        computed_refresh(actor=None, start=first, end=today)

    # 4. The statistics computed from crossed trips grow by 15.000 USD, not by 15.
    after = computed_totals(user=leader, period=period).export
    assert after - before == Decimal(15000), (before, after)
