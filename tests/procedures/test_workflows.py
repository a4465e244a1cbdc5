"""Each workflow through the API and through the pages, each step leaving its audit event, and who may
take it: submission and desk reception, refusal (form 03), hand-off, supplement (form 02), fee,
result and return, withdrawal and stop (form 05), and the catalogue's new versions."""

import base64
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cuakhau.core.models import AuditEvent, Unit
from cuakhau.core.roles import Role
from cuakhau.procedures import clock, services
from cuakhau.procedures.models import Dossier, Procedure, ProcedureVersion, Status
from tests.factories import PDF_BYTES, UserFactory, dossier_at_desk, dossier_online

VN = ZoneInfo("Asia/Ho_Chi_Minh")
J = "application/json"
pytestmark = pytest.mark.django_db
PDF_JSON = {"name": "don.pdf", "content_base64": base64.b64encode(PDF_BYTES).decode()}


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def _last_audit(dossier_pk):
    return (
        AuditEvent.objects.filter(object_type="procedures.dossier", object_id=str(dossier_pk))
        .order_by("-id")
        .first()
    )


@pytest.fixture
def inspector(catalogue):
    return UserFactory(role=Role.INSPECTOR, unit=Unit.objects.get(code="phong-ke-hoach"))


def test_every_step_through_the_api_is_audited_and_refused_out_of_turn(
    client, desk, leader, enterprise, applicant, inspector
):
    def step(user, pk, action, body=None, expect=200):
        client.force_login(user)
        answer = client.post(f"/api/v1/procedures/dossiers/{pk}/{action}", body or {}, content_type=J)
        assert answer.status_code == expect, (action, answer.content)
        if expect == 200:
            event = _last_audit(pk)
            assert event.action == f"procedures.dossier.{action.replace('-', '_')}", action
            assert event.actor_id == user.pk and event.after["status"] == answer.json()["status"]
        return answer.json()

    client.force_login(applicant)
    created = client.post(
        "/api/v1/procedures/dossiers",
        {"procedure": "tm-vpdd", "subject": "Lập văn phòng đại diện", "files": [PDF_JSON]},
        content_type=J,
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert _last_audit(pk).action == "procedures.dossier.submit"
    # Out of turn: nothing to process, return or stop yet; the applicant cannot receive.
    for action in ("process", "return", "stop", "pay-fee"):
        body = {"result_summary": "Kết quả xong"} if action == "process" else {}
        refused = step(desk, pk, action, body, expect=409)
        assert refused["errors"][0]["field"] == "status"
    step(applicant, pk, "receive", expect=403)
    step(inspector, pk, "receive", expect=403)
    assert step(desk, pk, "receive")["status"] == Status.RECEIVED
    assert step(desk, pk, "handoff", {"internal_note": "giao phòng doanh nghiệp"})["status"] == "processing"
    paused = step(desk, pk, "request-supplement", {"items": "Bổ sung báo cáo tài chính"})
    assert paused["status"] == Status.SUPPLEMENT and paused["paused_remaining"] is not None
    step(leader, pk, "supplement", {"files": [PDF_JSON]}, expect=403)  # the applicant's (or the desk's) step
    assert step(applicant, pk, "supplement", {"files": [PDF_JSON]})["status"] == Status.PROCESSING
    fee = step(desk, pk, "request-fee", {})
    assert fee["status"] == Status.FEE_DUE and fee["fee_amount"] == 3_000_000
    assert step(desk, pk, "pay-fee", {"online": True})["status"] == Status.PROCESSING
    step(applicant, pk, "process", {"result_summary": "Cấp giấy phép"}, expect=403)
    assert step(leader, pk, "process", {"result_summary": "Cấp giấy phép thành lập VPĐD"})["status"] == (
        Status.PROCESSED
    )
    assert step(desk, pk, "return", {"note": "Trả tại quầy"})["status"] == Status.RETURNED
    step(applicant, pk, "withdraw", {"reason": "Không cần nữa"}, expect=409)

    # Refusal (form 03).
    other = dossier_online(enterprise, actor=applicant, at=at(2026, 3, 2, 9))
    assert step(desk, other.pk, "refuse", {"reason": ""}, expect=422)["errors"][0]["field"] == "reason"
    assert step(desk, other.pk, "refuse", {"reason": "Không thuộc thẩm quyền"})["status"] == Status.REFUSED
    # Withdrawal by the applicant, then the stop (form 05) by the desk.
    third = dossier_at_desk(desk, enterprise=enterprise, at=at(2026, 3, 2, 9))
    step(desk, third.pk, "stop", expect=409)
    assert step(applicant, third.pk, "withdraw", {"reason": "Đổi địa điểm"})["status"] == Status.WITHDRAWN
    step(applicant, third.pk, "stop", expect=403)
    assert step(desk, third.pk, "stop", {"note": "trả lại hồ sơ giấy"})["status"] == Status.STOPPED
    assert Dossier.objects.get(pk=third.pk).events.filter(action="stop").exists()


def test_desk_reception_through_the_api(client, desk, enterprise, applicant, inspector):
    body = {
        "procedure": "ld-cap-gpld",
        "subject": "Cấp giấy phép lao động tại quầy",
        "applicant_name": "Trần Văn Bình",
        "applicant_id": enterprise.tax_code,
        "files": [PDF_JSON],
    }
    for user in (applicant, inspector):
        client.force_login(user)
        refused = client.post("/api/v1/procedures/dossiers/desk", body, content_type=J)
        assert refused.status_code == 403, user.role
    assert not Dossier.objects.exists()
    client.force_login(desk)
    bad = client.post("/api/v1/procedures/dossiers/desk", dict(body, applicant_id="1"), content_type=J)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "applicant_id"
    unknown = client.post("/api/v1/procedures/dossiers/desk", dict(body, procedure="x"), content_type=J)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "procedure"
    assert not Dossier.objects.exists()
    made = client.post("/api/v1/procedures/dossiers/desk", body, content_type=J)
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["channel"] == "desk" and data["status"] == Status.RECEIVED and data["due_at"]
    assert data["enterprise"] == enterprise.tax_code  # the applicant's enterprise sees it
    assert _last_audit(data["id"]).action == "procedures.dossier.desk"
    client.force_login(applicant)
    assert client.get(f"/api/v1/procedures/dossiers/{data['id']}").status_code == 200


def test_every_step_through_the_pages(client, desk, leader, enterprise, applicant, inspector):
    def post(user, pk, action, data=None, expect=302):
        client.force_login(user)
        answer = client.post(f"/procedures/dossiers/{pk}/{action}/", data or {})
        assert answer.status_code == expect, (action, answer.status_code)
        if expect == 302:
            assert _last_audit(pk).action == f"procedures.dossier.{action}"
        return Dossier.objects.get(pk=pk)

    d = dossier_online(enterprise, "tm-vpdd", actor=applicant, at=at(2026, 3, 2, 9))
    post(inspector, d.pk, "receive", expect=403)
    assert post(desk, d.pk, "receive", {"receive-note": "đủ"}).status == Status.RECEIVED
    assert post(desk, d.pk, "handoff", {"handoff-internal_note": "chuyển"}).status == Status.PROCESSING
    assert (
        post(desk, d.pk, "request_fee", {"request_fee-amount": "0"}, expect=400).status == Status.PROCESSING
    )
    assert post(desk, d.pk, "request_fee", {"request_fee-amount": ""}).status == Status.FEE_DUE
    assert post(desk, d.pk, "pay_fee", {"pay_fee-online": "on"}).fee_paid_online
    assert post(desk, d.pk, "process", {"process-result_summary": ""}, expect=400).status == Status.PROCESSING
    assert (
        post(leader, d.pk, "process", {"process-result_summary": "Cấp giấy phép"}).status == Status.PROCESSED
    )
    assert post(desk, d.pk, "return").status == Status.RETURNED
    post(desk, d.pk, "return", expect=409)

    refused = dossier_online(enterprise, actor=applicant, at=at(2026, 3, 2, 10))
    post(desk, refused.pk, "refuse", {"refuse-reason": ""}, expect=400)
    short = client.post(f"/procedures/dossiers/{refused.pk}/refuse/", {"refuse-reason": "abc"})
    assert (
        short.status_code == 400 and "Lý do từ chối quá ngắn: cần ít nhất 5 ký tự." in short.content.decode()
    )
    assert post(desk, refused.pk, "refuse", {"refuse-reason": "Không thuộc thẩm quyền"}).status == "refused"
    client.force_login(desk)
    assert client.get(f"/procedures/dossiers/{refused.pk}/forms/03.pdf").status_code == 200

    gone = dossier_at_desk(desk, enterprise=enterprise, at=at(2026, 3, 2, 11))
    post(applicant, gone.pk, "supplement", {}, expect=409)
    assert post(applicant, gone.pk, "withdraw", {"withdraw-reason": "Đổi địa điểm"}).status == "withdrawn"
    post(applicant, gone.pk, "stop", expect=403)
    assert post(desk, gone.pk, "stop", {"stop-note": "trả hồ sơ"}).status == Status.STOPPED
    client.force_login(desk)
    assert client.get(f"/procedures/dossiers/{gone.pk}/forms/05.docx").status_code == 200


def test_the_page_offers_a_hand_off_while_a_next_step_exists_and_an_apology_once_late(client, desk, leader):
    def offered(dossier):
        client.force_login(desk)
        page = client.get(f"/procedures/dossiers/{dossier.pk}/").content.decode()
        return {name for name in ("handoff", "apologise") if f'data-action="{name}"' in page}

    d = dossier_at_desk(desk, "tm-vpdd", at=timezone.now() - timedelta(hours=1))
    assert offered(d) == {"handoff"}  # received, not late: a hand-off, no apology
    last = len(d.version.steps) - 2
    Dossier.objects.filter(pk=d.pk).update(step_index=last, due_at=timezone.now() - timedelta(days=1))
    assert offered(d) == {"apologise"}  # the next step returns the result; late now
    # Refused by the service all the same, with its own reason and field (409, not 403).
    client.force_login(desk)
    answer = client.post(f"/api/v1/procedures/dossiers/{d.pk}/handoff", {}, content_type=J)
    assert answer.status_code == 409 and answer.json()["errors"][0]["field"] == "step"
    services.dossier_apologise(
        actor=leader, dossier=d, reason="Chờ ý kiến bộ ngành", new_due_at=timezone.now() + timedelta(days=60)
    )
    assert offered(d) == set()  # re-appointed once: no second apology


# --- the catalogue's versions ----------------------------------------------------------------------


def _publish_form(**overrides):
    tomorrow = timezone.localtime() + timedelta(days=1)
    data = {
        "valid_from": tomorrow.strftime("%Y-%m-%dT08:00"),
        "deadline": "5",
        "deadline_unit": "working_days",
        "fee": "0",
        "fee_note": "",
        "legal_basis": "Nghị định số 152/2020/NĐ-CP (đã đối chiếu)",
        "to_be_confirmed": "",
    }
    data.update(overrides)
    return data


def test_the_board_publishes_a_version_on_the_page(client, desk, leader, applicant):
    url = "/procedures/catalogue/ld-cap-gpld/publish/"
    for user in (leader, applicant):
        client.force_login(user)
        assert client.get(url).status_code == 404, user.role
        assert client.post(url, _publish_form()).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(desk)
    detail = client.get("/procedures/catalogue/ld-cap-gpld/").content.decode()
    assert 'data-testid="publish"' in detail
    form = client.get(url).content.decode()
    assert 'value="10"' in form and "152/2020" in form  # the version in force, to correct
    for field, value, message in (
        ("deadline", "0,3", "theo từng nửa ngày"),
        ("deadline", "3", "ít nhất 3,5 ngày làm việc"),
        ("valid_from", "2020-01-01T08:00", "không áp dụng hồi tố"),
        ("legal_basis", "", ""),
        ("fee", "-5", ""),
    ):
        bad = client.post(url, _publish_form(**{field: value}))
        assert bad.status_code == 400, field
        assert f'id="id_{field}"' in bad.content.decode() and message in bad.content.decode(), field
    assert ProcedureVersion.objects.filter(procedure__code="ld-cap-gpld").count() == 1
    done = client.post(url, _publish_form(fee="1.200.000"))
    assert done.status_code == 302
    version = ProcedureVersion.objects.get(procedure__code="ld-cap-gpld", number=2)
    assert version.deadline == 5 and version.fee == 1_200_000 and not version.to_be_confirmed
    assert sum(Decimal(s["days"]) for s in version.steps) == 5  # the steps still add up
    assert [s["days"] for s in version.steps] == ["0.5", "2", "2", "0.5"]  # the appraisal took the cut
    event = AuditEvent.objects.get(action="procedures.version.publish")
    assert event.actor_id == desk.pk and event.before["deadline"] == "10.0" and event.after["number"] == 2
    page = client.get("/procedures/catalogue/ld-cap-gpld/").content.decode()
    assert 'data-version="2"' in page and 'data-version="1"' in page
    assert '"Ngày làm việc">0,5</td>' in page  # shares as Vietnamese numbers, not "0.5"
    # In force tomorrow: today's dossier keeps version 1, and a second version the same moment is refused.
    today = dossier_at_desk(desk)
    assert today.version.number == 1
    again = client.post(url, _publish_form())
    assert again.status_code == 400 and "sau phiên bản 2" in again.content.decode()


def test_the_board_publishes_a_version_through_the_api(client, desk, applicant, leader):
    url = "/api/v1/procedures/catalogue/tm-vpdd/versions"
    tomorrow = (timezone.localtime() + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
    body = {"valid_from": tomorrow.isoformat(), "deadline": "7", "to_be_confirmed": False}
    assert client.post(url, body, content_type=J).status_code == 401
    for user in (applicant, leader):
        client.force_login(user)
        assert client.post(url, body, content_type=J).status_code == 403, user.role
    client.force_login(desk)
    assert client.post("/api/v1/procedures/catalogue/nope/versions", body, content_type=J).status_code == 404
    for field, value in (
        ("deadline", "NaN"),
        ("deadline", "0.2"),
        ("deadline", "400"),
        ("deadline_unit", "weeks"),
        ("fee", -1),
        ("fee", 10**25),
        ("valid_from", "9999-12-31T23:59:00-12:00"),
        ("legal_basis", "   "),
    ):
        bad = client.post(url, dict(body, **{field: value}), content_type=J)
        assert bad.status_code == 422, (field, value, bad.content)
        assert bad.json()["errors"][0]["field"] == field, (field, value)
    assert Procedure.objects.get(code="tm-vpdd").versions.count() == 1
    made = client.post(url, body, content_type=J)
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["number"] == 2 and data["deadline"] == "7.0" and data["to_be_confirmed"] is False
    assert data["fee"] == 3_000_000  # carried over
    # A dossier received once it is in force gets the new deadline.
    d = dossier_at_desk(desk, "tm-vpdd", at=tomorrow + timedelta(hours=1))
    assert d.version.number == 2
    assert d.due_at == clock.due(tomorrow + timedelta(hours=1), Decimal(7), "working_days")


def test_a_version_in_calendar_days_gets_its_own_deadline_note(desk):
    procedure = Procedure.objects.get(code="tm-vpdd")
    version = services.procedure_version_publish(
        actor=desk,
        procedure=procedure,
        valid_from=timezone.now() + timedelta(hours=1),
        deadline=Decimal(9),
        deadline_unit="days",
    )
    assert "ngày lịch" in version.deadline_note
    assert version.steps == procedure.versions.get(number=1).steps  # shares of another unit: kept
    with pytest.raises(TypeError):
        services.procedure_version_publish(
            actor=desk, procedure=procedure, valid_from=timezone.now(), code="x"
        )
