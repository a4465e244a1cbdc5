"""The rule pack: versioned data with effective dates and citations; each rule checked at approval,
posting, registration and bidding, refused with its article named."""

import datetime

import pytest

from cuakhau.auctions import clock, services
from cuakhau.auctions.models import Auction, RulePack, Status
from cuakhau.auctions.rules import load_rule_packs, pack_in_force, read_packs
from cuakhau.core.context import current
from cuakhau.core.errors import ServiceError
from tests.factories import auction_draft, auction_drive, auction_plan, land_plot

pytestmark = pytest.mark.django_db


def _approve(auction, day=None):
    return services.auction_approve(
        actor=current().actor,
        auction_id=auction.pk,
        decision_number="9/QĐ",
        decision_date=day or clock.today(),
    )


def test_packs_are_data_with_dates_and_citations(packs):
    old, new = RulePack.objects.get(code="luat-01-2016"), RulePack.objects.get(code="luat-sua-doi-2024")
    assert old.effective_from == datetime.date(2017, 7, 1) and new.effective_from == datetime.date(2025, 1, 1)
    assert pack_in_force(datetime.date(2024, 12, 31)) == old
    assert pack_in_force(datetime.date(2025, 1, 1)) == new
    assert old.value("deposit_percent") == {"min": 5, "max": 20}
    assert old.value("min_eligible_bidders") == 2 and old.value("online_min_minutes") == 15
    assert old.value("posting_min_days_real_estate") == 15 and old.value("deposit_refund_working_days") == 3
    assert "Điều 39 khoản 4" in old.cite("deposit_refund_working_days")
    # the 2025 pack carries the 2016 rules and adds the land-use-right deposit band
    assert new.value("deposit_percent_land") == {"min": 10, "max": 20}
    assert new.value("deposit_percent") == old.value("deposit_percent")
    assert all({"value", "citation", "verified"} <= set(r) for p in read_packs() for r in p["rules"].values())
    with pytest.raises(ServiceError):
        pack_in_force(datetime.date(2016, 1, 1))


def test_loader_never_rewrites_a_pack(packs):
    pack = RulePack.objects.get(code="luat-01-2016")
    RulePack.objects.filter(pk=pack.pk).update(name="changed by hand")
    assert load_rule_packs().startswith("0 rule packs created")
    assert RulePack.objects.get(pk=pack.pk).name == "changed by hand"


@pytest.mark.parametrize(
    "deposit,ok", [(25_000_000, False), (4_000_000, False), (5_000_000, True), (20_000_000, True)]
)
def test_deposit_between_5_and_20_percent(board, deposit, ok):
    auction = auction_draft(deposit=deposit, asset=land_plot("LD-DEP"))
    day = datetime.date(2024, 12, 20)  # the 2016 pack: 5%-20% for every asset
    if ok:
        assert _approve(auction, day).status == Status.APPROVED
    else:
        with pytest.raises(ServiceError) as exc:
            _approve(auction, day)
        assert "Điều 39 khoản 1" in str(exc.value) and exc.value.field == "deposit"
        assert Auction.objects.get(pk=auction.pk).status == Status.DRAFT


def test_land_deposit_band_follows_the_pack_in_force_on_the_decision_date(board):
    auction = auction_draft(deposit=6_000_000)  # 6%: fine in 2016, below the 10% land band of 2025
    with pytest.raises(ServiceError) as exc:
        _approve(auction, datetime.date(2025, 3, 1))
    assert "37/2024/QH15" in str(exc.value)
    approved = _approve(auction, datetime.date(2024, 12, 20))
    assert approved.rule_pack.code == "luat-01-2016"


def test_bidding_window_of_10_minutes_is_refused(board):
    auction = auction_draft(session_minutes=10)
    with pytest.raises(ServiceError) as exc:
        _approve(auction)
    assert "15 phút" in str(exc.value) and "172/2024" in str(exc.value)  # the pack in force today
    assert "Điều 43a" in str(exc.value)  # the article of the Law on online auctions


def test_descending_method_is_refused_for_state_assets(board):
    auction = auction_draft()
    Auction.objects.filter(pk=auction.pk).update(method="descending")
    with pytest.raises(ServiceError) as exc:
        _approve(auction)
    assert "Điều 40" in str(exc.value)


def test_posting_at_least_15_days_before_the_session(board):
    auction = auction_draft(plan=auction_plan(session_in_days=14))
    with pytest.raises(ServiceError) as exc:
        _approve(auction)
    assert "Điều 35 khoản 1 điểm b" in str(exc.value)
    # approved on a good plan, then posted too late: refused at posting
    ok = auction_draft(code="DG-T2", plan=auction_plan(session_in_days=16))
    _approve(ok)
    clock.shift(datetime.timedelta(days=3))
    with pytest.raises(ServiceError) as exc:
        services.auction_post(actor=board, auction_id=ok.pk)
    assert "15 ngày" in str(exc.value)


def test_notices_two_working_days_apart_viewing_two_days_registration_two_days_before(board):
    plan = auction_plan()
    bad_notice = {**plan, "notice_2_on": plan["notice_1_on"] + datetime.timedelta(days=1)}
    with pytest.raises(ServiceError) as exc:
        _approve(auction_draft(code="DG-N", plan=bad_notice))
    assert "Điều 57" in str(exc.value)
    bad_view = {**plan, "viewing_to": plan["viewing_from"]}
    with pytest.raises(ServiceError) as exc:
        _approve(auction_draft(code="DG-V", plan=bad_view))
    assert "Điều 36" in str(exc.value)
    bad_reg = {**plan, "registration_closes_at": plan["session_start"] - datetime.timedelta(days=1)}
    with pytest.raises(ServiceError) as exc:
        _approve(auction_draft(code="DG-R", plan=bad_reg))
    assert "Điều 38" in str(exc.value)


def test_registration_after_the_close_is_refused(board, firms):
    auction, _regs = auction_drive(auction_draft(), until="registration_open")
    clock.shift(auction.registration_closes_at - clock.now())
    from tests.factories import pdf_upload

    with pytest.raises(ServiceError) as exc:
        services.registration_submit(
            actor=board,
            auction_id=auction.pk,
            enterprise=firms[0],
            representative="A",
            documents=[pdf_upload()],
        )
    assert "Điều 38" in str(exc.value)


def test_one_eligible_bidder_ends_the_auction_unsuccessful(board, firms):
    auction, regs = auction_drive(auction_draft(), until="deposits_checked", bidders=firms[:2])
    services.registration_decide(actor=board, registration_id=regs[0].pk, eligible=True)
    services.registration_decide(
        actor=board, registration_id=regs[1].pk, eligible=False, note="Hồ sơ thiếu giấy phép"
    )
    auction = services.auction_bidders_fix(actor=board, auction_id=auction.pk)
    assert auction.status == Status.UNSUCCESSFUL
    assert "Điều 52" in auction.outcome_basis and "ít nhất 2" in auction.outcome_reason
    # both deposits go back within 3 working days
    for reg in regs:
        entry = services.deposit_refund(actor=board, registration_id=reg.pk)
        assert entry.on_time and entry.due_on == auction.refunds_due_on


def test_no_registrant_is_unsuccessful(board):
    auction, _ = auction_drive(auction_draft(), until="registration_open")
    clock.shift(auction.registration_closes_at - clock.now())
    auction = services.auction_registration_close(actor=board, auction_id=auction.pk)
    assert auction.status == Status.UNSUCCESSFUL and "Không có người đăng ký" in auction.outcome_reason


def test_unpaid_deposit_makes_a_registrant_ineligible(board, firms):
    auction, regs = auction_drive(auction_draft(), until="deposits_checked", bidders=firms[:2], pay=False)
    for reg in regs:
        reg.refresh_from_db()
        assert reg.status == "ineligible" and "tiền đặt trước" in reg.decision_note
    with pytest.raises(ServiceError):
        services.registration_decide(actor=board, registration_id=regs[0].pk, eligible=True)


def test_bid_below_the_step_and_below_the_start_are_refused(board, firms):
    auction, regs = auction_drive(auction_draft(), until="live", bidders=firms[:2])
    with pytest.raises(ServiceError) as exc:
        services.bid_place(actor=board, auction_id=auction.pk, registration_id=regs[0].pk, amount=99_999_999)
    assert "100.000.000" in str(exc.value) and "Điều 42" in str(exc.value)
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=regs[0].pk, amount=100_000_000)
    with pytest.raises(ServiceError) as exc:
        services.bid_place(actor=board, auction_id=auction.pk, registration_id=regs[1].pk, amount=100_999_999)
    assert "101.000.000" in str(exc.value) and "bước giá" in str(exc.value) and "Điều 42" in str(exc.value)
    assert exc.value.field == "amount"
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=regs[1].pk, amount=101_000_000)
    assert Auction.objects.get(pk=auction.pk).best_amount == 101_000_000


def test_no_bid_after_the_close_server_time(board, firms):
    auction, regs = auction_drive(auction_draft(), until="live", bidders=firms[:2])
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=regs[0].pk, amount=100_000_000)
    clock.shift(auction.ends_at - clock.now())  # exactly the end: closed
    with pytest.raises(ServiceError):
        services.bid_place(actor=board, auction_id=auction.pk, registration_id=regs[1].pk, amount=105_000_000)
    assert Auction.objects.get(pk=auction.pk).bid_count == 1


def test_close_is_refused_before_the_end(board, firms):
    auction, _ = auction_drive(auction_draft(), until="live", bidders=firms[:2])
    with pytest.raises(ServiceError):
        services.auction_close(actor=board, auction_id=auction.pk)


def test_a_dossier_file_must_be_what_its_name_says(board, firms):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cuakhau.auctions.models import Registration

    auction, _regs = auction_drive(auction_draft(), until="registration_open")
    fake = SimpleUploadedFile("giay-phep.jpg", b"%PDF-1.4 a pdf named .jpg", content_type="image/jpeg")
    with pytest.raises(ServiceError) as exc:
        services.registration_submit(
            actor=board, auction_id=auction.pk, enterprise=firms[0], representative="A", documents=[fake]
        )
    assert exc.value.field == "documents" and "không đúng định dạng JPG" in str(exc.value)
    assert not Registration.objects.filter(auction=auction, enterprise=firms[0]).exists()
