"""The Done-when journey in a real browser: a land plot's lease auction from draft to contract, with two
bidders, a withdrawal (its deposit forfeited), deposits refunded on time, and the record generated.
The auction clock (server time) is moved forward in-process where the law's calendar asks for weeks."""

import datetime

import pytest
from django.utils import timezone

from cuakhau.core.reference import DEMO_PASSWORD
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser]


def _act(page, testid):
    page.click(f"[data-testid={testid}]")
    page.wait_for_load_state("networkidle")


def _status(page):
    return page.locator("[data-testid=auction-status]").inner_text().strip()


def test_land_plot_lease_auction_from_draft_to_contract(page, browser, live_server, zone):
    from cuakhau.auctions import clock
    from cuakhau.auctions import services as s
    from cuakhau.auctions.models import Auction, DepositKind
    from cuakhau.core.context import acting_as
    from cuakhau.core.models import User
    from cuakhau.parties.demo import NONG_SAN, VAN_TAI
    from cuakhau.parties.models import Enterprise
    from tests.factories import PASSWORD, auction_plan, enterprise_user, pdf_upload

    clock.reset()
    try:
        second = enterprise_user(Enterprise.objects.get(tax_code=NONG_SAN), username="nongsan")
        del second
        plan = auction_plan()
        # 1. Draft, from the land plot's page.
        login(page, live_server, "chuyenvien", DEMO_PASSWORD)
        page.goto(f"{live_server.url}/assets/HN-LD-01/")
        page.click("text=Lập cuộc đấu giá quyền thuê")
        page.fill("#id_code", "DG-HN-LD-01")
        for field, value in (
            ("starting_price", "60000000"),
            ("step", "1000000"),
            ("deposit", "12000000"),
            ("dossier_fee", "500000"),
            ("session_minutes", "20"),
        ):
            page.fill(f"#id_{field}", value)
        page.fill("#id_session_start", timezone.localtime(plan["session_start"]).strftime("%Y-%m-%dT%H:%M"))
        page.fill(
            "#id_registration_closes_at",
            timezone.localtime(plan["registration_closes_at"]).strftime("%Y-%m-%dT%H:%M"),
        )
        for field in ("notice_1_on", "notice_2_on", "viewing_from", "viewing_to"):
            page.fill(f"#id_{field}", plan[field].isoformat())
        page.click("text=Lưu dự thảo")
        page.wait_for_load_state("networkidle")
        assert _status(page) == "Dự thảo"
        # 2. Approve, post, open registration.
        page.fill("#decision_number", "301/QĐ-BQLKKT")
        _act(page, "approve")
        assert _status(page) == "Đã phê duyệt", page.locator(".messages").inner_text()
        _act(page, "post")
        _act(page, "registration_open")
        assert _status(page) == "Đang nhận đăng ký"
        code = "DG-HN-LD-01"
        auction = Auction.objects.get(code=code)
        # 3. Two enterprises register online; a third files an incomplete dossier (refunded later).
        bidder = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()
        for username, password in (("doanhnghiep", DEMO_PASSWORD), ("nongsan", PASSWORD)):
            login(bidder, live_server, username, password)
            bidder.goto(f"{live_server.url}/auctions/{code}/")
            bidder.click("[data-testid=register]")
            bidder.set_input_files(
                "#id_documents",
                files=[{"name": "ho-so.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}],
            )
            bidder.click("text=Nộp hồ sơ")
            bidder.wait_for_load_state("networkidle")
            assert bidder.locator("[data-testid=my-registration] svg").count() == 1  # the VietQR
            shot(bidder, f"auction-registered-{username}")
            bidder.click("text=Đăng xuất")
            bidder.wait_for_load_state("networkidle")
        staff = User.objects.get(username="chuyenvien")
        with acting_as(staff):
            third = s.registration_submit(
                actor=staff,
                auction_id=auction.pk,
                enterprise=Enterprise.objects.get(tax_code=VAN_TAI),
                representative="Vi Văn Hùng",
                documents=[pdf_upload()],
            )
        regs = {r.enterprise.tax_code: r for r in auction.registrations.select_related("enterprise")}
        page.reload()
        for reg in regs.values():
            _act(page, f"receive-{reg.label}")
        # 4. Registration closes at its time (server clock), deposits checked, bidders fixed.
        clock.shift(auction.registration_closes_at - clock.now() + datetime.timedelta(minutes=1))
        page.reload()
        _act(page, "registration_close")
        _act(page, "deposits_check")
        a, b = regs["0100233488"], regs[NONG_SAN]
        _act(page, f"eligible-{a.label}")
        _act(page, f"eligible-{b.label}")
        page.fill(
            f"tr[data-label-code='{third.label}'] input[name=note]",
            "Thiếu giấy chứng nhận đăng ký doanh nghiệp",
        )
        page.click(f"tr[data-label-code='{third.label}'] button[name=eligible][value='0']")
        page.wait_for_load_state("networkidle")
        _act(page, "bidders_fix")
        assert _status(page) == "Đã chốt người đủ điều kiện"
        # 5. The session: server time only, best visible without reloading.
        clock.shift(auction.session_start - clock.now())
        page.reload()
        _act(page, "start")
        assert _status(page) == "Đang trả giá"
        one = browser.new_context(locale="vi-VN").new_page()
        two = browser.new_context(locale="vi-VN").new_page()
        login(one, live_server, "doanhnghiep", DEMO_PASSWORD)
        login(two, live_server, "nongsan", PASSWORD)
        for p in (one, two):
            p.goto(f"{live_server.url}/auctions/{code}/live/")
        one.fill("#amount", "60000000")
        one.click("[data-testid=bid]")
        two.wait_for_function(
            "() => document.querySelector('[data-testid=best]').innerText.includes('60.000.000')"
        )
        assert a.label in two.locator("[data-testid=best-label]").inner_text()
        assert "Demo Lạng Sơn" not in two.content()  # others appear only by label
        two.fill("#amount", "60500000")  # below best + step
        two.click("[data-testid=bid]")
        assert "Điều 42" in two.locator("[data-testid=bid-error]").inner_text()
        two.fill("#amount", "62000000")
        two.click("[data-testid=bid]")
        one.wait_for_function(
            "() => document.querySelector('[data-testid=best]').innerText.includes('62.000.000')"
        )
        one.fill("#amount", "65000000")
        one.click("[data-testid=bid]")
        two.wait_for_function(
            "() => document.querySelector('[data-testid=best]').innerText.includes('65.000.000')"
        )
        shot(one, "auction-live-best")
        # The highest bidder withdraws: continues from the next lower bid (62.000.000), deposit forfeited.
        one.once("dialog", lambda d: d.accept())
        one.click("[data-testid=withdraw]")
        two.wait_for_function(
            "() => document.querySelector('[data-testid=best]').innerText.includes('62.000.000')"
        )
        assert b.label in two.locator("[data-testid=best-label]").inner_text()
        shot(two, "auction-after-withdrawal")
        # 6. Time is up (server clock): the session closes, the record is signed, results sent, contract.
        clock.shift(Auction.objects.get(pk=auction.pk).ends_at - clock.now() + datetime.timedelta(seconds=1))
        two.wait_for_function(
            "() => document.querySelector('[data-testid=live-board]').dataset.status === 'closed'"
        )
        # The live pages poll every 2 s and each poll writes the session: close them, so that the test's
        # in-memory SQLite (which locks a table instead of waiting) sees only the Board's requests.
        for p in (one, two, bidder):
            p.context.close()
        page.reload()
        assert _status(page) == "Kết thúc trả giá"
        assert "62.000.000" in page.locator("[data-testid=winner]").inner_text()
        page.fill("#record_number", "12")
        _act(page, "record_sign")
        head = page.locator("[data-testid=chain-head]").inner_text().strip()
        assert len(head) == 64 and page.locator("[data-testid=chain-ok]").count() == 1
        with page.expect_download() as dl:
            page.click("[data-testid=record-pdf]")
        assert dl.value.path().read_bytes()[:4] == b"%PDF"
        with page.expect_download() as dl:
            page.click("[data-testid=record-docx]")
        assert dl.value.path().read_bytes()[:2] == b"PK"
        _act(page, "results_send")
        # Refund the registrant who did not bid, within 3 working days.
        clock.shift(datetime.timedelta(days=1))
        page.reload()
        _act(page, f"refund-{third.label}")
        page.fill("#number", "HĐ-20/2026/HN-LD-01")
        _act(page, "contract")
        assert _status(page) == "Đã ký hợp đồng thuê"
        shot(page, "auction-contracted")
        ledger = page.locator("[data-testid=ledger]").inner_text()
        assert "Không được nhận lại" in ledger and "Rút lại giá đã trả" in ledger and "đúng hạn" in ledger
        auction.refresh_from_db()
        assert auction.lease.rent_rate == 62_000_000 and auction.lease.lessee.tax_code == NONG_SAN
        kinds = {
            r.label: set(r.deposit_entries.values_list("kind", flat=True))
            for r in auction.registrations.all()
        }
        assert DepositKind.FORFEITED in kinds[a.label] and DepositKind.CONVERTED in kinds[b.label]
        assert DepositKind.REFUNDED in kinds[third.label]
        refund = third.deposit_entries.get(kind=DepositKind.REFUNDED)
        assert refund.on_time and refund.due_on == auction.refunds_due_on  # 3 working days after the session
        assert timezone.localtime(refund.at).date() <= refund.due_on
        assert "Điều 39 khoản 4" in refund.legal_basis
        # 7. The public sees the result and the published chain head.
        anon = browser.new_context(locale="vi-VN").new_page()
        anon.goto(f"{live_server.url}/auctions/public/results/")
        assert head in anon.content()
        shot(anon, "auction-public-results")
    finally:
        clock.reset()
