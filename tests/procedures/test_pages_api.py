"""Pages and API: scopes (another enterprise's dossier is 404), the public catalogue and lookup without
internal notes, forms 01-06 as PDF/Word with the lookup QR, figures against raw rows, the API flow."""

import base64
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cuakhau.core.context import acting_as
from cuakhau.core.models import Unit
from cuakhau.core.roles import Role
from cuakhau.procedures import services
from cuakhau.procedures.models import ApologyLetter, Dossier, Status, Timing
from cuakhau.procedures.selectors import figures
from tests.factories import (
    PDF_BYTES,
    EnterpriseFactory,
    GateFactory,
    UserFactory,
    dossier_at_desk,
    dossier_online,
    enterprise_user,
    user_at_gate,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.fixture
def processing(desk, enterprise, applicant):
    d = dossier_online(enterprise, actor=applicant, at=at(2026, 3, 2, 8))
    d = services.dossier_receive(actor=desk, dossier=d, at=at(2026, 3, 2, 9))
    d = services.dossier_handoff(actor=desk, dossier=d, internal_note="GHI-CHU-NOI-BO", at=at(2026, 3, 2, 10))
    return services.dossier_request_supplement(
        actor=desk,
        dossier=d,
        items="Bổ sung hộ chiếu",
        internal_note="MẬT: nghi giấy tờ giả",
        at=at(2026, 3, 3, 9),
    )


def test_scopes_and_404s(client, processing, desk, applicant):
    url = f"/procedures/dossiers/{processing.pk}/"
    other = enterprise_user(EnterpriseFactory())
    gate_op = user_at_gate(Role.GATE_OPERATOR, GateFactory())
    inspector = UserFactory(role=Role.INSPECTOR, unit=Unit.objects.get(code="phong-ke-hoach"))
    leader_p = UserFactory(role=Role.PROVINCIAL_LEADER, unit=Unit.objects.get(code="ubnd-tinh"))
    driver = UserFactory(role=Role.DRIVER)
    expected = {
        applicant: 200,
        desk: 200,
        inspector: 200,
        other: 404,
        gate_op: 404,
        leader_p: 404,
        driver: 404,
    }
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user.role
        assert client.get(f"/api/v1/procedures/dossiers/{processing.pk}").status_code == status, user.role
    # The applicant sees no internal note; the Board does.
    client.force_login(applicant)
    page = client.get(url).content.decode()
    assert "Bổ sung hộ chiếu" in page and "MẬT" not in page and "GHI-CHU-NOI-BO" not in page
    client.force_login(desk)
    assert "MẬT: nghi giấy tờ giả" in client.get(url).content.decode()
    # Inspectors read but take no step.
    client.force_login(inspector)
    response = client.post(
        f"/procedures/dossiers/{processing.pk}/withdraw/", {"withdraw-reason": "thử rút hồ sơ"}
    )
    assert response.status_code == 403
    assert Dossier.objects.get(pk=processing.pk).status == Status.SUPPLEMENT


def test_handling_unit_staff_see_what_is_at_their_unit(desk, enterprise, applicant):
    gate_op = user_at_gate(Role.GATE_OPERATOR, GateFactory())
    d = dossier_at_desk(desk, at=at(2026, 3, 2, 9))
    assert not Dossier.objects.for_user(gate_op).filter(pk=d.pk).exists()
    Dossier.objects.filter(pk=d.pk).update(handling_unit=gate_op.unit)  # a step handled at a gate centre
    assert Dossier.objects.for_user(gate_op).filter(pk=d.pk).exists()
    assert Dossier.objects.for_user(gate_op, "change").filter(pk=d.pk).exists()


def test_public_lookup_shows_steps_without_internal_notes(client, processing, enterprise):
    page = client.get("/procedures/lookup/", {"code": processing.code, "key": processing.lookup_key})
    body = page.content.decode()
    assert page.status_code == 200 and "Bổ sung hộ chiếu" in body
    assert "MẬT" not in body and "GHI-CHU-NOI-BO" not in body and "Chờ bổ sung hồ sơ" in body
    # The key as printed (grouped, lower case) works too; a wrong key finds nothing.
    printed = processing.lookup_key_display.lower()
    assert client.get("/procedures/lookup/", {"code": processing.code, "key": printed}).status_code == 200
    wrong = client.get("/procedures/lookup/", {"code": processing.code, "key": "ABCDEFGHJK"})
    assert wrong.status_code == 404 and "Bổ sung hộ chiếu" not in wrong.content.decode()
    api = client.get("/api/v1/procedures/lookup", {"code": processing.code, "key": processing.lookup_key})
    assert api.status_code == 200
    data = api.json()
    assert [s["status"] for s in data["history"]] == ["new", "received", "processing", "supplement"]
    assert "MẬT" not in api.content.decode() and "internal" not in api.content.decode()
    assert (
        client.get("/api/v1/procedures/lookup", {"code": processing.code, "key": "x" * 9}).status_code == 404
    )


def test_public_catalogue(client, catalogue):
    page = client.get("/procedures/catalogue/")
    assert page.status_code == 200
    body = page.content.decode()
    for name in (
        "Cấp giấy phép lao động",
        "Cấp giấy phép xây dựng",
        "Văn phòng đại diện",
        "Chấp thuận nhà đầu tư",
    ):
        assert name in body
    assert "chờ Ban xác nhận" in body
    detail = client.get("/procedures/catalogue/ld-cap-gpld/").content.decode()
    assert "10 ngày làm việc" in detail and "152/2020" in detail
    api = client.get("/api/v1/procedures/catalogue").json()
    deadlines = {v["code"]: (v["deadline"], v["deadline_unit"]) for v in api}
    assert deadlines["ld-cap-gpld"] == ("10.0", "working_days")
    assert deadlines["dt-cap-gcn-dkdt"] == ("15.0", "days")
    assert deadlines["dt-dieu-chinh-gcn-3"][0] == "3.0" and deadlines["dt-dieu-chinh-gcn-7"][0] == "7.0"
    assert deadlines["dt-chap-thuan-nha-dau-tu"] == ("25.0", "days")
    assert deadlines["xd-cap-gpxd"] == ("20.0", "days") and deadlines["tm-vpdd"] == ("9.0", "working_days")
    assert all(v["to_be_confirmed"] for v in api)


def test_form_01_pdf_and_word_carry_the_due_date_and_the_lookup_qr(client, desk, enterprise):
    from docx import Document

    d = dossier_at_desk(desk, enterprise=enterprise, at=at(2026, 2, 13, 16))  # the Friday before Tết 2026
    client.force_login(desk)
    pdf = client.get(f"/procedures/dossiers/{d.pk}/forms/01.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    word = client.get(f"/procedures/dossiers/{d.pk}/forms/01.docx")
    doc = Document(io.BytesIO(word.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "06/03/2026" in text  # 10 working days skipping 14-22/02
    assert f"/procedures/lookup/?code={d.code}&key={d.lookup_key}" in text
    assert f"mã tra cứu {d.lookup_key_display}" in text
    assert doc.inline_shapes and len(doc.inline_shapes) == 1  # the QR
    assert client.get(f"/procedures/dossiers/{d.pk}/forms/04.pdf").status_code == 404  # no apology yet
    assert client.get(f"/procedures/dossiers/{d.pk}/forms/06.docx").status_code == 200


def test_figures_agree_with_raw_rows(client, desk, leader, enterprise, applicant):
    # early, on time, late, open, overdue, online vs desk
    for kind in ("early", "on_time", "late"):
        d = dossier_at_desk(desk, "dt-dieu-chinh-gcn-3", at=at(2026, 3, 2, 9))
        d = services.dossier_handoff(actor=desk, dossier=d, at=at(2026, 3, 2, 10))
        done = {"early": at(2026, 3, 3, 9), "on_time": at(2026, 3, 5, 8), "late": at(2026, 3, 9, 9)}[kind]
        services.dossier_process(actor=leader, dossier=d, result_summary="Xong hồ sơ", at=done)
    online = dossier_online(enterprise, actor=applicant, at=at(2026, 3, 4, 9))
    services.dossier_receive(actor=desk, dossier=online, at=at(2026, 3, 4, 10))
    result = figures(user=desk, start=date(2026, 3, 1), end=date(2026, 3, 31), now=at(2026, 3, 31, 9))
    rows = Dossier.objects.filter(received_at__date__gte=date(2026, 3, 1))
    assert result.total.received == rows.count() == 4
    assert result.total.online == rows.filter(channel="online").count() == 1
    assert result.total.processed == 3
    assert (
        (result.total.early, result.total.on_time, result.total.late)
        == (
            rows.filter(finished_timing=Timing.EARLY).count(),
            rows.filter(finished_timing=Timing.ON_TIME).count(),
            rows.filter(finished_timing=Timing.LATE).count(),
        )
        == (1, 1, 1)
    )
    assert str(result.total.on_time_rate) == "66.7"
    assert result.total.open == 1 and result.total.overdue == 1  # the online one, due 18/03
    by_unit = figures(user=desk, start=date(2026, 3, 1), end=date(2026, 3, 31), by="unit")
    assert sum(r.received for r in by_unit.rows) == 4
    measures = {m.key: m for m in result.measures}
    assert (measures["progress"].numerator, measures["progress"].denominator) == (2, 3)
    assert (measures["online"].numerator, measures["online"].denominator) == (1, 4)
    assert all(m.how for m in result.measures)
    client.force_login(desk)
    api = client.get("/api/v1/procedures/figures", {"start": "2026-03-01", "end": "2026-03-31"}).json()
    assert api["total"]["received"] == 4 and api["total"]["late"] == 1
    page = client.get("/procedures/figures/", {"start": "2026-03-01", "end": "2026-03-31"})
    assert page.status_code == 200 and "66,7" in page.content.decode()
    client.force_login(applicant)
    assert client.get("/procedures/figures/").status_code == 404


def test_api_flow_submit_to_apology(client, desk, leader, enterprise, applicant):
    client.force_login(applicant)
    body = {
        "procedure": "dt-dieu-chinh-gcn-3",
        "subject": "Đổi tên nhà đầu tư",
        "files": [{"name": "don.pdf", "content_base64": base64.b64encode(PDF_BYTES).decode()}],
    }
    created = client.post("/api/v1/procedures/dossiers", body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    bad = dict(body, files=[{"name": "x.pdf", "content_base64": base64.b64encode(b"nope").decode()}])
    refused = client.post("/api/v1/procedures/dossiers", bad, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "files"
    assert (
        client.post(
            f"/api/v1/procedures/dossiers/{pk}/receive", {}, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(desk)
    received = client.post(f"/api/v1/procedures/dossiers/{pk}/receive", {}, content_type="application/json")
    assert received.status_code == 200 and received.json()["status"] == "received"
    again = client.post(f"/api/v1/procedures/dossiers/{pk}/receive", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "status"
    # Let it run late, then apologise once.
    Dossier.objects.filter(pk=pk).update(due_at=at(2026, 3, 2, 9), appointment_at=at(2026, 3, 2, 9))
    client.force_login(leader)
    first = client.post(
        f"/api/v1/procedures/dossiers/{pk}/apologise",
        {"reason": "Chờ ý kiến bộ ngành", "new_due_at": "2099-01-05T17:00:00+07:00"},
        content_type="application/json",
    )
    assert first.status_code == 200 and first.json()["reappointed"] is True
    second = client.post(
        f"/api/v1/procedures/dossiers/{pk}/apologise",
        {"reason": "Lần hai", "new_due_at": "2099-02-05T17:00:00+07:00"},
        content_type="application/json",
    )
    assert second.status_code == 409 and second.json()["errors"][0]["field"] == "new_due_at"
    # Another enterprise's user: 404 on read and on steps.
    client.force_login(enterprise_user(EnterpriseFactory()))
    assert client.get(f"/api/v1/procedures/dossiers/{pk}").status_code == 404
    assert (
        client.post(
            f"/api/v1/procedures/dossiers/{pk}/withdraw",
            {"reason": "rút hồ sơ"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert client.get("/api/v1/procedures/dossiers").json() == []


def test_pages_submit_and_desk(client, desk, enterprise, applicant):
    from tests.factories import dossier_file

    client.force_login(applicant)
    response = client.post(
        "/procedures/dossiers/submit/",
        {"procedure": "ld-cap-gpld", "subject": "GPLĐ cho chuyên gia", "files": [dossier_file()]},
    )
    assert response.status_code == 302
    d = Dossier.objects.get(subject="GPLĐ cho chuyên gia")
    assert d.enterprise == enterprise and d.files.count() == 1
    missing = client.post(
        "/procedures/dossiers/submit/", {"procedure": "ld-cap-gpld", "subject": "Không có tệp"}
    )
    assert missing.status_code == 400 and "ít nhất một tệp" in missing.content.decode()
    assert client.get("/procedures/dossiers/desk/").status_code == 404
    client.force_login(desk)
    ok = client.post(f"/procedures/dossiers/{d.pk}/receive/", {"receive-note": "đủ hồ sơ"})
    assert ok.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.RECEIVED and d.due_at is not None
    page = client.get(f"/procedures/dossiers/{d.pk}/").content.decode()
    assert 'data-form="01"' in page
    desk_post = client.post(
        "/procedures/dossiers/desk/",
        {
            "procedure": "tm-vpdd",
            "subject": "Lập VPĐD",
            "applicant_name": "Công ty X",
            "applicant_id": "0100233488",
        },
    )
    assert desk_post.status_code == 302


def test_demo_loader_is_idempotent_and_covers_every_state(demo_data, catalogue):
    from cuakhau.core.loaders import demo_loaders

    loaders = dict(demo_loaders())
    with acting_as(None, channel="cli"):
        loaders["parties"](stdout=None)
        loaders["procedures"](stdout=None)
        count = Dossier.objects.count()
        loaders["procedures"](stdout=None)
    assert count == Dossier.objects.count() >= 20
    states = set(Dossier.objects.values_list("status", flat=True))
    assert {"new", "processing", "supplement", "fee_due", "returned", "refused", "stopped"} <= states
    timings = set(Dossier.objects.values_list("finished_timing", flat=True))
    assert {"early", "on_time", "late"} <= timings
    assert Dossier.objects.filter(apology__isnull=False).count() == 1
    assert Dossier.objects.filter(events__action="request_supplement").exists()


def test_returned_result_offers_a_rating_link_in_the_public_lookup(
    client, processing, enterprise, desk, applicant
):
    from tests.factories import dossier_file

    query = {"code": processing.code, "key": processing.lookup_key}
    assert 'data-testid="feedback-link"' not in client.get("/procedures/lookup/", query).content.decode()
    d = services.dossier_supplement(
        actor=applicant, dossier=processing, files=[dossier_file("ho-chieu.pdf")], at=at(2026, 3, 4, 9)
    )
    d = services.dossier_process(
        actor=desk, dossier=d, result_summary="Đã cấp giấy phép", at=at(2026, 3, 5, 9)
    )
    services.dossier_return(actor=desk, dossier=d, at=at(2026, 3, 5, 10))
    page = client.get("/procedures/lookup/", query).content.decode()
    assert 'data-testid="feedback-link"' in page
    link = page.split('data-testid="feedback-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert client.get(link).status_code == 200


def test_out_of_range_input_is_a_4xx_naming_the_field_and_changes_nothing(client, desk, leader):
    """Values that pass the type check but overflow the database or the calendar (a fee of 10^25 đồng,
    the year 9999) are refused on their field, on the page and in the API, instead of a 500."""
    client.raise_request_exception = False
    d = dossier_at_desk(desk, at=at(2026, 3, 2, 9))
    d = services.dossier_handoff(actor=desk, dossier=d, at=at(2026, 3, 2, 10))
    api = f"/api/v1/procedures/dossiers/{d.pk}"
    client.force_login(desk)
    huge = client.post(f"{api}/request-fee", {"amount": 10**25}, content_type="application/json")
    assert huge.status_code == 422 and huge.json()["errors"][0]["field"] == "amount"
    assert "1.000.000.000.000" in huge.json()["detail"]
    page = client.post(f"/procedures/dossiers/{d.pk}/request_fee/", {"request_fee-amount": str(10**25)})
    assert page.status_code == 400 and "không được quá 1.000.000.000.000 đồng" in page.content.decode()
    assert Dossier.objects.get(pk=d.pk).status == Status.PROCESSING

    # Late, then an appointment in the year 9999 (on the page; and in the API at UTC-12, which
    # overflowed when converted).
    Dossier.objects.filter(pk=d.pk).update(due_at=at(2026, 3, 3, 9), appointment_at=at(2026, 3, 3, 9))
    client.force_login(leader)
    page = client.post(
        f"/procedures/dossiers/{d.pk}/apologise/",
        {"apologise-reason": "Chờ ý kiến Sở", "apologise-new_due_at": "9999-12-31T23:59"},
    )
    assert page.status_code == 400 and "Ngày hẹn lại phải trước năm 2200." in page.content.decode()
    for moment in ("9999-12-31T23:59:00-12:00", "2200-01-01T08:00:00+07:00"):
        far = client.post(
            f"{api}/apologise",
            {"reason": "Chờ ý kiến Sở", "new_due_at": moment},
            content_type="application/json",
        )
        assert far.status_code == 422 and far.json()["errors"][0]["field"] == "new_due_at", moment
    assert not ApologyLetter.objects.filter(dossier=d).exists()

    # Figures: a period the calendar cannot hold, a date that is not one, an unknown grouping.
    for query, field in (
        ({"start": "2026-01-01", "end": "9999-12-31"}, "end"),
        ({"start": "0001-01-01", "end": "2026-01-01"}, "start"),
        ({"start": "2026-01-01", "end": "2026-02-30"}, "end"),
        ({"by": "gate"}, "by"),
    ):
        api_answer = client.get("/api/v1/procedures/figures", query)
        assert api_answer.status_code == 422, query
        assert api_answer.json()["errors"][0]["field"] == field, query
        page = client.get("/procedures/figures/", query)
        body = page.content.decode()
        assert page.status_code == 400, query
        label = {"start": "Từ ngày", "end": "Đến ngày", "by": "thủ tục (procedure)"}[field]
        assert label in body.split('class="messages"')[1].split("</ul>")[0], query


def test_the_list_is_cut_into_pages_and_keeps_its_count(client, desk, monkeypatch):
    from cuakhau.procedures import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    codes = [dossier_at_desk(desk, at=at(2026, 3, 2, 8 + i)).code for i in range(3)]
    client.force_login(desk)
    first = client.get("/procedures/dossiers/", {"status": "received"}).content.decode()
    assert sum(code in first for code in codes) == 2 and "3 hồ sơ" in first
    assert "status=received&amp;page=2" in first  # the filters are kept
    second = client.get("/procedures/dossiers/", {"status": "received", "page": 2}).content.decode()
    assert [code for code in codes if code in second] == [codes[0]]  # the oldest, last
