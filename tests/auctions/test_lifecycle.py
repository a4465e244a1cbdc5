"""Each transition of an auction: one service, one audit event naming its legal basis; withdrawal,
refusal, ties, technical failure, cancellation, re-auction; the bid chain and its tampering; deposit
refunds on the working calendar (across Tết); the record."""

import datetime

import pytest
from django.utils import timezone

from cuakhau.auctions import chain, clock, documents, selectors, services
from cuakhau.auctions.models import AppendOnly, Auction, Bid, BidKind, DepositKind, Status
from cuakhau.core.context import current
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent
from tests.factories import auction_draft, auction_drive

pytestmark = pytest.mark.django_db


def _events(auction):
    return list(
        AuditEvent.objects.filter(object_type="auctions.auction", object_id=str(auction.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def _end(auction):
    clock.shift(Auction.objects.get(pk=auction.pk).ends_at - clock.now())
    return services.auction_close(actor=current().actor, auction_id=auction.pk)


def test_full_lifecycle_each_transition_audited_with_its_basis(board, firms):
    auction, regs = auction_drive(auction_draft(), until="live", bidders=firms[:3])
    a, b, c = regs
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=100_000_000)
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=b.pk, amount=102_000_000)
    auction = _end(auction)
    assert auction.status == Status.CLOSED and auction.winner == b and auction.winning_price == 102_000_000
    services.auction_record_sign(actor=board, auction_id=auction.pk, record_number="07")
    services.auction_results_send(actor=board, auction_id=auction.pk)
    for reg in (a, c):
        assert services.deposit_refund(actor=board, registration_id=reg.pk).on_time
    auction = services.auction_contract_sign(
        actor=board, auction_id=auction.pk, number="HĐ-T-1", signed_on=clock.today(), starts_on=clock.today()
    )
    assert auction.status == Status.CONTRACTED
    lease = auction.lease
    assert lease.lessee == firms[1] and lease.rent_rate == 102_000_000 and lease.deposit_amount == 10_000_000
    assert lease.instalments.count() == 20  # 60 months in quarters
    assert b.deposit_entries.filter(kind=DepositKind.CONVERTED).exists()
    events = [e for e in _events(auction) if e != "auctions.auction.bid"]
    assert events == [
        "auctions.auction.create",
        "auctions.auction.approve",
        "auctions.auction.post",
        "auctions.auction.registration_open",
        "auctions.auction.registration_close",
        "auctions.auction.deposits_check",
        "auctions.auction.bidders_fix",
        "auctions.auction.start",
        "auctions.auction.close",
        "auctions.auction.record_sign",
        "auctions.auction.results_send",
        "auctions.auction.contract",
    ]
    for e in AuditEvent.objects.filter(object_type="auctions.auction", object_id=str(auction.pk)).exclude(
        action__in=["auctions.auction.create", "auctions.auction.bid"]
    ):
        assert e.after["legal_basis"], e.action
    assert _events(auction).count("auctions.auction.bid") == 2


def test_a_step_out_of_order_is_refused_and_changes_nothing(board, firms):
    auction = auction_draft()
    for fn in (
        services.auction_post,
        services.auction_start,
        services.auction_close,
        services.auction_bidders_fix,
    ):
        with pytest.raises(ServiceError) as exc:
            fn(actor=board, auction_id=auction.pk)
        assert exc.value.status == 409
    assert Auction.objects.get(pk=auction.pk).status == Status.DRAFT
    with pytest.raises(ServiceError):
        approved = auction_drive(auction, until="approved")[0]
        services.auction_update(
            actor=board,
            auction_id=approved.pk,
            **{f: getattr(approved, f) for f in services.DRAFT_FIELDS if f not in ("method", "form")},
        )


def test_withdrawal_continues_from_the_next_lower_bid_and_forfeits(board, firms):
    auction, (a, b, c) = auction_drive(auction_draft(), until="live", bidders=firms[:3])
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=100_000_000)
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=b.pk, amount=105_000_000)
    with pytest.raises(ServiceError) as exc:  # only the highest bidder withdraws
        services.bid_withdraw(actor=board, auction_id=auction.pk, registration_id=a.pk)
    assert "Điều 50" in str(exc.value)
    services.bid_withdraw(actor=board, auction_id=auction.pk, registration_id=b.pk)
    auction.refresh_from_db()
    assert auction.best_amount == 100_000_000 and auction.best_registration == a
    assert auction.next_minimum() == 101_000_000
    b.refresh_from_db()
    assert b.status == "disqualified"
    forfeited = b.deposit_entries.get(kind=DepositKind.FORFEITED)
    assert forfeited.reason == "withdrew" and "Điều 39 khoản 6 điểm d" in forfeited.legal_basis
    with pytest.raises(ServiceError):  # the withdrawer bids no more
        services.bid_place(actor=board, auction_id=auction.pk, registration_id=b.pk, amount=120_000_000)
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=c.pk, amount=101_000_000)
    auction = _end(auction)
    assert auction.winner == c and auction.winning_price == 101_000_000
    assert chain.verify(auction).ok and auction.bids.filter(kind=BidKind.WITHDRAWAL).count() == 1
    with pytest.raises(ServiceError):  # a forfeited deposit is not refunded
        services.deposit_refund(actor=board, registration_id=b.pk)


def test_withdrawal_with_no_further_bid_is_unsuccessful(board, firms):
    auction, (a, b) = auction_drive(auction_draft(), until="live", bidders=firms[:2])
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=100_000_000)
    services.bid_withdraw(actor=board, auction_id=auction.pk, registration_id=a.pk)
    auction = _end(auction)
    assert auction.status == Status.UNSUCCESSFUL and "rút lại giá" in auction.outcome_reason
    assert services.deposit_refund(actor=board, registration_id=b.pk).on_time


@pytest.mark.parametrize(
    "runner_bid,top,accept,outcome",
    [
        (109_000_000, 110_000_000, True, Status.CLOSED),  # 109 + 10 >= 110 and accepts: wins at 109
        (100_000_000, 110_000_000, True, Status.CLOSED),  # 100 + 10 = 110: exactly enough
        (109_000_000, 110_000_000, False, Status.UNSUCCESSFUL),  # passes the test but declines
        (100_000_000, 111_000_000, True, Status.UNSUCCESSFUL),  # 100 + 10 < 111: no offer
    ],
)
def test_winner_refuses_the_runner_up_test(board, firms, runner_bid, top, accept, outcome):
    auction, (a, b) = auction_drive(auction_draft(), until="live", bidders=firms[:2])
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=b.pk, amount=runner_bid)
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=top)
    _end(auction)
    auction = services.auction_winner_refuse(actor=board, auction_id=auction.pk)
    assert a.deposit_entries.get(kind=DepositKind.FORFEITED).reason == "refused_win"
    if auction.runner_up_offered_id:
        auction = services.auction_runner_up_answer(actor=board, auction_id=auction.pk, accept=accept)
    assert auction.status == outcome
    if outcome == Status.CLOSED:
        assert auction.winner == b and auction.winning_price == runner_bid
    else:
        assert "Điều 5" in auction.outcome_basis


def test_winner_refusing_to_sign_the_record_forfeits(board, firms):
    auction, (a, b) = auction_drive(auction_draft(), until="live", bidders=firms[:2])
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=100_000_000)
    _end(auction)
    auction = services.auction_record_sign(
        actor=board, auction_id=auction.pk, record_number="1", winner_signs=False
    )
    assert auction.status == Status.UNSUCCESSFUL
    entry = a.deposit_entries.get(kind=DepositKind.FORFEITED)
    assert entry.reason == "refused_record" and "Điều 44 khoản 3" in entry.legal_basis


def test_ties_go_to_a_further_round_among_the_tied_then_lots(board, firms):
    auction, (a, b, c) = auction_drive(auction_draft(), until="live", bidders=firms[:3])
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=c.pk, amount=100_000_000)
    # Equal highest bids cannot come from bid_place (the step forbids them); build the state the law
    # describes, as a ballot round would leave it, straight on the chain.
    locked = Auction.objects.get(pk=auction.pk)
    for reg in (a, b):
        services._append(locked, registration=reg, kind=BidKind.BID, amount=105_000_000, at=clock.now())
    locked.save()
    auction = _end(auction)
    assert auction.status == Status.LIVE and auction.tie_round == 1
    assert sorted(auction.tie_registrations) == sorted([a.pk, b.pk])
    assert (
        "Điều 42" in AuditEvent.objects.filter(action="auctions.auction.tie_round").get().after["legal_basis"]
    )
    with pytest.raises(ServiceError):  # only the tied bid in the further round
        services.bid_place(actor=board, auction_id=auction.pk, registration_id=c.pk, amount=110_000_000)
    auction = _end(auction)  # nobody bid in the round: lots
    assert (
        auction.status == Status.CLOSED and auction.winner in (a, b) and auction.winning_price == 105_000_000
    )
    lot = auction.bids.get(kind=BidKind.LOT)
    assert lot.registration == auction.winner and chain.verify(auction).ok


def test_tie_round_with_a_bid_is_won_by_it(board, firms):
    auction, (a, b, _c) = auction_drive(auction_draft(), until="live", bidders=firms[:3])
    locked = Auction.objects.get(pk=auction.pk)
    for reg in (a, b):
        services._append(locked, registration=reg, kind=BidKind.BID, amount=105_000_000, at=clock.now())
    locked.best_amount = 105_000_000
    locked.save()
    auction = _end(auction)
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=b.pk, amount=106_000_000)
    auction = _end(auction)
    assert auction.winner == b and auction.winning_price == 106_000_000


def test_technical_failure_suspends_and_reschedules_or_cancels(board, firms):
    auction, (a, b) = auction_drive(auction_draft(), until="live", bidders=firms[:2])
    auction = services.auction_suspend(actor=board, auction_id=auction.pk, reason="Mất kết nối máy chủ")
    assert auction.status == Status.SUSPENDED
    later = clock.now() + datetime.timedelta(days=2)
    auction = services.auction_reschedule(actor=board, auction_id=auction.pk, session_start=later)
    assert auction.status == Status.BIDDERS_FIXED and auction.started_at is None
    clock.shift(later - clock.now())
    services.auction_start(actor=board, auction_id=auction.pk)
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=100_000_000)
    with pytest.raises(ServiceError) as exc:
        services.auction_suspend(actor=board, auction_id=auction.pk, reason="Ghi sai giá")
    assert "hủy kết quả" in str(exc.value)
    auction = services.auction_cancel(actor=board, auction_id=auction.pk, reason="Sự cố ghi sai giá")
    assert auction.status == Status.CANCELLED and auction.refunds_due_on
    assert services.deposit_refund(actor=board, registration_id=a.pk).on_time
    re = services.auction_reauction(
        actor=board,
        auction_id=auction.pk,
        code="DG-T1-L2",
        **{k: v for k, v in __import__("tests.factories", fromlist=["x"]).auction_plan().items()},
    )
    assert re.replaces == auction and re.status == Status.DRAFT and re.asset == auction.asset
    with pytest.raises(ServiceError):
        services.auction_reauction(
            actor=board,
            auction_id=auction.pk,
            code="DG-T1-L3",
            **__import__("tests.factories", fromlist=["x"]).auction_plan(),
        )


def test_a_tampered_bid_is_detected_and_the_record_refused(board, firms):
    auction, (a, b) = auction_drive(auction_draft(), until="live", bidders=firms[:2])
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=100_000_000)
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=b.pk, amount=101_000_000)
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=103_000_000)
    auction = _end(auction)
    assert chain.verify(auction).ok
    Bid.objects.filter(auction=auction, seq=2).update(amount=120_000_000)  # behind the services' back
    verdict = chain.verify(auction)
    assert not verdict.ok and verdict.broken_at == 2
    with pytest.raises(ServiceError) as exc:
        services.auction_record_sign(actor=board, auction_id=auction.pk, record_number="1")
    assert "hủy kết quả" in str(exc.value)
    with pytest.raises(AppendOnly):
        Bid.objects.get(auction=auction, seq=1).delete()


def test_deleting_an_entry_or_rewriting_the_whole_chain_is_detected(board, firms):
    auction, (a, b) = auction_drive(auction_draft(), until="live", bidders=firms[:2])
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=100_000_000)
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=b.pk, amount=101_000_000)
    auction = _end(auction)
    Bid.objects.filter(auction=auction, seq=2).update(hash="0" * 64)
    assert not chain.verify(auction).ok


def test_refund_deadline_counts_working_days_across_tet(board, firms):
    from cuakhau.core.workcal.reference import load_holidays

    load_holidays()
    # A session ending on Friday 13/02/2026, the day before the Tết Bính Ngọ break (14-22/02).
    session = timezone.make_aware(datetime.datetime(2026, 2, 13, 9, 0))
    clock.shift(session - datetime.timedelta(days=20) - clock.now())
    plan = __import__("tests.factories", fromlist=["x"]).auction_plan(session_in_days=20, today=clock.today())
    assert plan["session_start"] == session
    auction, (a, b) = auction_drive(
        auction_draft(plan=plan), until="live", bidders=firms[:2], decision_date=clock.today()
    )
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=100_000_000)
    auction = _end(auction)
    assert auction.refunds_due_on == datetime.date(2026, 2, 25)  # Mon 23, Tue 24, Wed 25
    clock.shift(timezone.make_aware(datetime.datetime(2026, 2, 25, 16, 0)) - clock.now())
    assert services.deposit_refund(actor=board, registration_id=b.pk).on_time


def test_a_late_refund_is_recorded_late(board, firms):
    auction, (a, b) = auction_drive(auction_draft(), until="live", bidders=firms[:2])
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=100_000_000)
    auction = _end(auction)
    clock.shift(datetime.timedelta(days=10))
    entry = services.deposit_refund(actor=board, registration_id=b.pk)
    assert entry.on_time is False and entry.due_on == auction.refunds_due_on
    with pytest.raises(ServiceError):  # the winner's deposit is for the contract
        services.deposit_refund(actor=board, registration_id=a.pk)


def test_no_show_is_forfeited_only_for_an_eligible_bidder_who_never_joined(board, firms):
    auction, (a, b, c) = auction_drive(auction_draft(), until="live", bidders=firms[:3])
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=100_000_000)
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=b.pk, amount=101_000_000)
    _end(auction)
    with pytest.raises(ServiceError):
        services.deposit_forfeit(actor=board, registration_id=a.pk, reason="no_show")
    entry = services.deposit_forfeit(actor=board, registration_id=c.pk, reason="no_show")
    assert "Điều 39 khoản 6 điểm a" in entry.legal_basis


def test_deposits_are_matched_from_the_bank_statement(board, firms):
    auction, regs = auction_drive(
        auction_draft(dossier_fee=500_000), until="registered", bidders=firms[:2], pay=False
    )
    a, b = regs
    csv = (
        "Ngày,Số tiền,Nội dung,Mã giao dịch\n"
        f"01/03/2026,10500000,CK {a.deposit_reference} tien dat truoc,FT001\n"
        f"01/03/2026,500000,{b.deposit_reference} ho so,FT002\n"
        "01/03/2026,700000,chuyen nham,FT003\n"
        f"01/03/2026,10500000,CK {a.deposit_reference} lap lai,FT001\n"
    )
    result = services.deposit_statement_import(actor=board, file_name="sk.csv", content=csv.encode())
    assert [m["label"] for m in result["matched"]] == [a.label, b.label]
    assert len(result["unmatched"]) == 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.dossier_fee_paid_at and selectors.deposit_received(a).amount == 10_000_000
    assert b.dossier_fee_paid_at and selectors.deposit_received(b) is None


def test_record_in_word_and_pdf_with_the_log_extract(board, firms):
    auction, (a, b) = auction_drive(auction_draft(), until="live", bidders=firms[:2])
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=100_000_000)
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=b.pk, amount=101_000_000)
    auction = _end(auction)
    auction = services.auction_record_sign(actor=board, auction_id=auction.pk, record_number="05")
    text = documents.build(auction).full_text
    assert "BIÊN BẢN ĐẤU GIÁ" in text and auction.chain_head in text
    assert "101.000.000 đồng" in text and firms[1].name in text and "auctions.auction.close" in text
    assert "Một trăm lẻ một triệu đồng" in text
    docx, _ct = documents.render(auction, "docx")
    assert docx[:2] == b"PK"
    pdf, _ct = documents.render(auction, "pdf")
    assert pdf[:4] == b"%PDF"


def test_a_bid_below_the_step_is_refused_with_amounts_grouped_in_the_readers_language(board, firms):
    from django.utils import translation

    auction, (a, b) = auction_drive(auction_draft(), until="live", bidders=firms[:2])
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=100_000_000)
    for language, minimum, step in (("vi", "101.000.000", "1.000.000"), ("en", "101,000,000", "1,000,000")):
        with translation.override(language), pytest.raises(ServiceError) as exc:
            services.bid_place(actor=board, auction_id=auction.pk, registration_id=b.pk, amount=100_500_000)
        assert minimum in str(exc.value) and step in str(exc.value), str(exc.value)


def test_each_service_checks_the_actor(board, firms):
    """A reader cannot take a step (403, nothing changes); a bidder bids only for its own enterprise;
    the system (no actor) may close a session that is due and nothing else."""
    from cuakhau.core.roles import Role
    from tests.factories import UserFactory, enterprise_user

    auction, (a, b) = auction_drive(auction_draft(), until="live", bidders=firms[:2])
    inspector = UserFactory(role=Role.INSPECTOR)
    with pytest.raises(ServiceError) as exc:
        services.auction_suspend(actor=inspector, auction_id=auction.pk, reason="x")
    assert exc.value.status == 403 and Auction.objects.get(pk=auction.pk).status == Status.LIVE
    with pytest.raises(ServiceError) as exc:
        services.bid_place(
            actor=enterprise_user(firms[1]), auction_id=auction.pk, registration_id=a.pk, amount=100_000_000
        )
    assert exc.value.status == 403
    services.bid_place(
        actor=enterprise_user(firms[0]), auction_id=auction.pk, registration_id=a.pk, amount=100_000_000
    )
    with pytest.raises(ServiceError) as exc:
        services.auction_suspend(actor=None, auction_id=auction.pk, reason="x")
    assert exc.value.status == 403
    clock.shift(Auction.objects.get(pk=auction.pk).ends_at - clock.now())
    assert services.close_due(actor=None) == [auction.code]
    closed = AuditEvent.objects.get(action="auctions.auction.close")
    assert closed.after["winner"] == a.label
