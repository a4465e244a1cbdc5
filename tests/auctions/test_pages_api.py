"""Pages and API: who sees what (404 outside the scope), labels instead of identities for other bidders,
the live state without reload, bids through the page and the API, public notices and results."""

import pytest

from cuakhau.auctions import clock, services
from cuakhau.auctions.models import Status
from cuakhau.core.roles import Role
from tests.factories import UserFactory, auction_draft, auction_drive, enterprise_user, user_at_gate

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(board, firms):
    auction, regs = auction_drive(auction_draft(), until="live", bidders=firms[:2])
    return auction, regs


def test_bidders_see_their_own_identity_and_others_as_labels(board, client, live, firms):
    auction, (a, b) = live
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=b.pk, amount=100_000_000)
    client.force_login(enterprise_user(firms[0]))
    page = client.get(f"/auctions/{auction.code}/").content.decode()
    assert firms[0].name in page and a.label in page
    assert firms[1].name not in page and b.deposit_reference not in page
    state = client.get(f"/auctions/{auction.code}/live/state/").content.decode()
    assert b.label in state and "100.000.000" in state and "101.000.000" in state  # best and next minimum
    assert firms[1].name not in state


def test_bid_through_the_live_page_and_refusal_on_the_page(client, live, firms):
    auction, (a, b) = live
    client.force_login(enterprise_user(firms[0]))
    ok = client.post(f"/auctions/{auction.code}/bid/", {"amount": "100.000.000"})
    assert ok.status_code == 200 and a.label in ok.content.decode()
    low = client.post(f"/auctions/{auction.code}/bid/", {"amount": "100500000"})
    assert low.status_code == 400 and "Điều 42" in low.content.decode()
    other = enterprise_user(firms[2])  # registered nowhere
    client.force_login(other)
    assert client.post(f"/auctions/{auction.code}/bid/", {"amount": "200000000"}).status_code == 404


def test_live_state_closes_the_session_when_time_is_up(board, client, live, firms):
    auction, (a, b) = live
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=100_000_000)
    clock.shift(auction.ends_at - clock.now())
    client.force_login(enterprise_user(firms[1]))
    client.get(f"/auctions/{auction.code}/live/state/")
    auction.refresh_from_db()
    assert auction.status == Status.CLOSED and auction.winner == a


def test_scopes_and_404s(client, board, live, firms, reference_data):
    auction, (a, b) = live
    draft = auction_draft(code="DG-NHAP")
    from cuakhau.gates.models import Gate

    outsiders = [
        user_at_gate(Role.GATE_OPERATOR, Gate.objects.get(code="HUUNGHI")),
        UserFactory(role=Role.DRIVER),
    ]
    for user in outsiders:
        client.force_login(user)
        for url in ("/auctions/", f"/auctions/{auction.code}/", "/assets/", "/api/v1/auctions/"):
            assert client.get(url).status_code == 404, (user.role, url)
    firm_user = enterprise_user(firms[2])
    client.force_login(firm_user)
    assert client.get(f"/auctions/{draft.code}/").status_code == 404  # drafts are not public
    assert client.get(f"/auctions/{auction.code}/").status_code == 200
    assert client.get(f"/auctions/{auction.code}/log/").status_code == 404
    assert client.post(f"/auctions/{auction.code}/act/close/").status_code == 404
    inspector = UserFactory(role=Role.INSPECTOR)
    client.force_login(inspector)
    assert client.get(f"/auctions/{auction.code}/log/").status_code == 200
    assert client.get(f"/auctions/{draft.code}/").status_code == 200
    assert client.post(f"/auctions/{auction.code}/act/close/").status_code == 404  # reads, never writes


def test_staff_run_a_step_from_the_page_and_see_the_refusal(client, board, firms):
    auction = auction_draft(deposit=25_000_000)
    client.force_login(board)
    r = client.post(
        f"/auctions/{auction.code}/act/approve/",
        {"decision_number": "1/QĐ", "decision_date": clock.today().isoformat()},
        follow=True,
    )
    body = r.content.decode()
    assert "Điều 39" in body and "25%" in body
    auction.refresh_from_db()
    assert auction.status == Status.DRAFT


def test_public_notices_and_results_without_sign_in(client, board, firms):
    posted, _ = auction_drive(auction_draft(code="DG-PUB"), until="registration_open")
    draft = auction_draft(code="DG-HIDDEN")
    done, (a, b) = auction_drive(auction_draft(code="DG-DONE"), until="live", bidders=firms[:2])
    services.bid_place(actor=board, auction_id=done.pk, registration_id=a.pk, amount=100_000_000)
    clock.shift(done.ends_at - clock.now())
    services.auction_close(actor=board, auction_id=done.pk)
    done = services.auction_record_sign(actor=board, auction_id=done.pk, record_number="2")
    client.logout()
    notices = client.get("/auctions/public/").content.decode()
    assert posted.title in notices and draft.title not in notices
    assert client.get(f"/auctions/public/{draft.code}/").status_code == 404
    results = client.get("/auctions/public/results/").content.decode()
    assert done.chain_head in results and firms[0].name in results
    detail = client.get(f"/auctions/public/{done.code}/").content.decode()
    assert done.chain_head in detail and firms[1].name not in detail
    api = client.get("/api/v1/auctions/public/results").json()
    assert [x["chain_head"] for x in api if x["code"] == "DG-DONE"] == [done.chain_head]


def test_api_live_bid_withdraw(client, live, firms):
    auction, (a, b) = live
    client.force_login(enterprise_user(firms[0]))
    state = client.get(f"/api/v1/auctions/{auction.code}/live").json()
    assert state["next_minimum"] == 100_000_000 and state["my_label"] == a.label and state["can_bid"]
    r = client.post(
        f"/api/v1/auctions/{auction.code}/bids", {"amount": 100_000_000}, content_type="application/json"
    )
    assert r.status_code == 201 and len(r.json()["hash"]) == 64
    r = client.post(
        f"/api/v1/auctions/{auction.code}/bids", {"amount": 100_000_001}, content_type="application/json"
    )
    assert r.status_code == 422 and "Điều 42" in r.json()["detail"]
    r = client.post(f"/api/v1/auctions/{auction.code}/withdraw")
    assert r.status_code == 200 and r.json()["best_amount"] is None
    bids = client.get(f"/api/v1/auctions/{auction.code}/bids").json()
    assert [x["kind"] for x in bids] == ["bid", "withdrawal"]


def test_record_download_for_board_and_inspectors_only(client, board, live, firms):
    auction, (a, b) = live
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=100_000_000)
    clock.shift(auction.ends_at - clock.now())
    services.auction_close(actor=board, auction_id=auction.pk)
    client.force_login(board)
    r = client.get(f"/auctions/{auction.code}/record.pdf")
    assert r.status_code == 200 and r.content[:4] == b"%PDF"
    client.force_login(enterprise_user(firms[0]))
    assert client.get(f"/auctions/{auction.code}/record.docx").status_code == 404


def test_refund_and_forfeit_are_offered_only_for_deposits_still_held(client, board, firms):
    auction, (a, b, c) = auction_drive(auction_draft(), until="live", bidders=firms)
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=a.pk, amount=100_000_000)
    services.bid_place(actor=board, auction_id=auction.pk, registration_id=b.pk, amount=101_000_000)
    client.force_login(board)
    page = client.get(f"/auctions/{auction.code}/").content.decode()
    assert 'data-testid="refund-' not in page  # the session is on: nothing goes back yet
    clock.shift(auction.ends_at - clock.now())
    services.auction_close(actor=board, auction_id=auction.pk)
    page = client.get(f"/auctions/{auction.code}/").content.decode()
    # The winner's deposit becomes the contract deposit: no refund button for it.
    assert f'data-testid="refund-{a.label}"' in page and f'data-testid="refund-{c.label}"' in page
    assert f'data-testid="refund-{b.label}"' not in page
    done = client.post(
        f"/auctions/{auction.code}/act/refund/", {"registration": a.pk}, follow=True
    ).content.decode()
    assert "Đã thực hiện: Trả lại tiền đặt trước." in done  # the button's words, not the action's key
    assert f'data-testid="refund-{a.label}"' not in done and f'data-testid="refund-{c.label}"' in done


@pytest.mark.parametrize("action", ["deposit_receive", "decide", "refund", "forfeit"])
@pytest.mark.parametrize("value", ["abc", "", "-1", "1.5", "999999"])
def test_a_step_naming_a_registration_that_is_not_one_is_refused_not_a_500(
    client, board, firms, action, value
):
    auction, _regs = auction_drive(auction_draft(), until="registration_open", bidders=firms[:1])
    client.force_login(board)
    page = client.post(
        f"/auctions/{auction.code}/act/{action}/", {"registration": value, "amount": "1"}, follow=True
    )
    assert page.status_code == 200 and "Không có người đăng ký này." in page.content.decode()
