"""Cross-border cooperation: services with one audit event each, scopes (404 outside), the overdue
flag, pages and API."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cuakhau.cooperation import services
from cuakhau.cooperation.demo import load_demo
from cuakhau.cooperation.models import Commitment, CommitmentUpdate, Meeting, Milestone
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent, Unit
from tests.factories import agreement_with_commitment, counterpart

pytestmark = pytest.mark.django_db


def _meeting(**extra):
    data = {
        "title": "Hội đàm với Bằng Tường",
        "held_on": timezone.localdate() - datetime.timedelta(days=3),
        "place": "Cửa khẩu Hữu Nghị",
        "counterparts": [counterpart()],
        "participants_vn": "Ban Quản lý",
        "participants_cn": "凭祥市人民政府",
        "minutes_vi": "Hai bên thống nhất",
        "minutes_zh": "双方同意",
    }
    return services.meeting_record(actor=None, **(data | extra))


def test_meeting_needs_both_sides_and_a_counterpart(reference_data):
    with pytest.raises(ServiceError) as exc:
        _meeting(participants_cn="")
    assert exc.value.field == "participants_cn"
    with pytest.raises(ServiceError) as exc:
        _meeting(counterparts=[])
    assert exc.value.field == "counterparts"
    meeting = _meeting()
    assert meeting.minutes_zh == "双方同意"
    assert (
        AuditEvent.objects.filter(action="cooperation.meeting.record", object_id=str(meeting.pk)).count() == 1
    )


def test_commitment_is_tracked_overdue_and_reported(people):
    centre = Unit.objects.get(code="ttqlck-huu-nghi")
    _agreement, action = agreement_with_commitment(
        centre, due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert action.is_overdue
    assert list(Commitment.objects.overdue()) == [action]
    with pytest.raises(ServiceError) as exc:
        services.commitment_report(actor=people["operator"], commitment=action, status="done", note="")
    assert exc.value.field == "note"
    services.commitment_report(
        actor=people["operator"], commitment=action, status="done", note="Đã gửi số liệu"
    )
    action.refresh_from_db()
    assert action.status == "done" and action.done_on == timezone.localdate() and not action.is_overdue
    assert CommitmentUpdate.objects.filter(commitment=action).count() == 1
    assert AuditEvent.objects.filter(action="cooperation.commitment.complete").count() == 1
    with pytest.raises(ServiceError) as exc:
        services.commitment_report(actor=people["operator"], commitment=action, status="open", note="Mở lại")
    assert exc.value.status == 409


def test_commitment_moves_forward_only_and_only_the_board_drops_one(people, client):
    centre = Unit.objects.get(code="ttqlck-huu-nghi")
    _agreement, action = agreement_with_commitment(centre)
    operator = people["operator"]
    # The owner unit cannot drop the province's commitment, on the page, in the API or in the service.
    with pytest.raises(ServiceError) as exc:
        services.commitment_report(actor=operator, commitment=action, status="cancelled", note="Không làm")
    assert exc.value.field == "status" and exc.value.status == 403
    client.force_login(operator)
    page = client.get(f"/cooperation/actions/{action.pk}/").content.decode()
    assert 'value="in_progress"' in page and 'value="cancelled"' not in page
    refused = client.post(f"/cooperation/actions/{action.pk}/", {"status": "cancelled", "note": "x"})
    assert refused.status_code == 400
    api = client.post(
        f"/api/v1/cooperation/actions/{action.pk}/report",
        {"status": "cancelled", "note": "x"},
        content_type="application/json",
    )
    assert api.status_code == 403 and api.json()["errors"][0]["field"] == "status"
    action.refresh_from_db()
    assert action.status == "open" and not CommitmentUpdate.objects.filter(commitment=action).exists()
    # Open -> in progress; it does not go back to open.
    services.commitment_report(actor=operator, commitment=action, status="in_progress", note="Đang làm")
    with pytest.raises(ServiceError) as exc:
        services.commitment_report(actor=operator, commitment=action, status="open", note="Lùi lại")
    assert exc.value.field == "status" and "Đang thực hiện" in str(exc.value)
    page = client.get(f"/cooperation/actions/{action.pk}/").content.decode()
    assert 'value="open"' not in page and 'value="done"' in page
    # The Board drops it, with the reason; then it takes no other status.
    client.force_login(people["department"])
    assert 'value="cancelled"' in client.get(f"/cooperation/actions/{action.pk}/").content.decode()
    services.commitment_report(
        actor=people["department"], commitment=action, status="cancelled", note="Phía bạn đề nghị dừng"
    )
    with pytest.raises(ServiceError) as exc:
        services.commitment_report(actor=people["department"], commitment=action, status="done", note="x")
    assert exc.value.status == 409
    action.refresh_from_db()
    assert action.status == "cancelled"
    events = AuditEvent.objects.filter(action__startswith="cooperation.commitment.", object_id=str(action.pk))
    events = events.exclude(action="cooperation.commitment.add")
    assert [e.after["status"] for e in events.order_by("id")] == ["in_progress", "cancelled"]


def test_commitment_owner_must_be_a_board_or_gate_unit(people):
    from tests.factories import EnterpriseFactory

    with pytest.raises(ServiceError) as exc:
        agreement_with_commitment(EnterpriseFactory().unit)
    assert exc.value.field == "owner_unit"


def test_agreement_dates_are_checked(reference_data):
    with pytest.raises(ServiceError) as exc:
        services.agreement_record(
            actor=None,
            counterparts=[counterpart()],
            kind="memorandum",
            title_vi="X",
            parties_vn="Ban",
            signed_on=timezone.localdate() + datetime.timedelta(days=2),
        )
    assert exc.value.field == "signed_on"


def test_document_upload_checks_type_and_content(people):
    meeting = _meeting()
    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ServiceError) as exc:
        services.document_attach(actor=None, meeting=meeting, title="Biên bản", language="both", upload=fake)
    assert exc.value.field == "file" and "PDF" in exc.value.messages[0]
    exe = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ServiceError):
        services.document_attach(actor=None, meeting=meeting, title="X", language="vi", upload=exe)
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    document = services.document_attach(
        actor=None, meeting=meeting, title="Biên bản ký", language="both", upload=pdf
    )
    assert document.original_name == "bien-ban.pdf" and document.size == len(b"%PDF-1.7\n...")


def test_scopes_board_reads_units_see_their_actions_others_404(client, people):
    centre = Unit.objects.get(code="ttqlck-huu-nghi")
    agreement, own = agreement_with_commitment(centre)
    other = services.commitment_add(
        actor=None,
        agreement=agreement,
        text_vi="Việc của phòng",
        owner_unit=Unit.objects.get(code="phong-ke-hoach"),
        due_on=None,
    )
    meeting = _meeting()
    pages = [
        "/cooperation/",
        f"/cooperation/meetings/{meeting.pk}/",
        f"/cooperation/agreements/{agreement.pk}/",
        "/cooperation/meetings/",
        "/api/v1/cooperation/meetings",
        "/api/v1/cooperation/milestones",
    ]
    for who in ("department", "leader", "inspector", "province"):
        client.force_login(people[who])
        for url in pages:
            assert client.get(url).status_code == 200, (who, url)
    for who in ("operator", "customs", "enterprise", "driver"):
        client.force_login(people[who])
        for url in pages[1:]:
            assert client.get(url).status_code == 404, (who, url)
    # The gate centre's operator sees its own action, not the department's.
    client.force_login(people["operator"])
    assert client.get("/cooperation/").status_code == 302
    assert client.get(f"/cooperation/actions/{own.pk}/").status_code == 200
    assert client.get(f"/cooperation/actions/{other.pk}/").status_code == 404
    listed = client.get("/api/v1/cooperation/actions").json()
    assert [a["id"] for a in listed] == [own.pk]
    response = client.post(f"/cooperation/actions/{own.pk}/", {"status": "in_progress", "note": "Đang làm"})
    assert response.status_code == 302
    # Customs owns nothing: the index is 404 and the list is empty.
    client.force_login(people["customs"])
    assert client.get("/cooperation/").status_code == 404
    assert client.get("/api/v1/cooperation/actions").json() == []
    # Read-only roles cannot report.
    client.force_login(people["inspector"])
    assert client.post(f"/cooperation/actions/{own.pk}/", {"status": "done", "note": "x"}).status_code == 404
    client.force_login(people["enterprise"])
    assert client.get(f"/cooperation/actions/{own.pk}/").status_code == 404
    assert client.get("/cooperation/actions/").status_code == 404


def test_board_records_a_meeting_agreement_and_commitment_through_the_pages(client, people):
    cp = counterpart()
    day = timezone.localdate() - datetime.timedelta(days=6)
    client.force_login(people["department"])
    response = client.post(
        "/cooperation/meetings/new/",
        {
            "title": "Hội đàm cuối năm",
            "held_on": day.strftime("%d/%m/%Y"),
            "place": "Bằng Tường",
            "counterparts": [cp.pk],
            "participants_vn": "Ban",
            "participants_cn": "凭祥市",
            "minutes_vi": "Nội dung",
            "minutes_zh": "内容",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get()
    assert meeting.held_on == day  # typed day first, as people write it
    page = client.get(f"/cooperation/meetings/{meeting.pk}/").content.decode()
    assert "内容" in page and "Nội dung" in page
    response = client.post(
        "/cooperation/agreements/new/",
        {
            "kind": "memorandum",
            "title_vi": "Bản ghi nhớ",
            "signed_on": day.isoformat(),
            "parties_vn": "Ban",
            "counterparts": [cp.pk],
            "meeting": meeting.pk,
        },
    )
    assert response.status_code == 302
    agreement = meeting.agreements.get()
    response = client.post(
        f"/cooperation/agreements/{agreement.pk}/commitments/",
        {
            "text_vi": "Trao đổi số liệu",
            "owner_unit": Unit.objects.get(code="ttqlck-huu-nghi").pk,
            "due_on": "",
        },
    )
    assert response.status_code == 302
    assert agreement.commitments.count() == 1
    # Missing fields are named, nothing is stored.
    response = client.post("/cooperation/meetings/new/", {"title": "", "counterparts": []})
    assert response.status_code == 400
    assert Meeting.objects.count() == 1


def test_api_creates_meeting_and_agreement_and_refuses_readers(client, people):
    counterpart()
    client.force_login(people["department"])
    response = client.post(
        "/api/v1/cooperation/meetings",
        {
            "title": "Hội đàm",
            "held_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
            "place": "Hữu Nghị",
            "counterparts": ["pingxiang"],
            "participants_vn": "Ban",
            "participants_cn": "凭祥",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    meeting_id = response.json()["id"]
    response = client.post(
        "/api/v1/cooperation/agreements",
        {
            "kind": "minutes",
            "title_vi": "Biên bản",
            "signed_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
            "parties_vn": "Ban",
            "counterparts": ["nope"],
            "meeting_id": meeting_id,
        },
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "counterparts"
    client.force_login(people["inspector"])
    response = client.post(
        "/api/v1/cooperation/meetings",
        {
            "title": "X",
            "held_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
            "place": "Y",
            "counterparts": ["pingxiang"],
            "participants_vn": "A",
            "participants_cn": "B",
        },
        content_type="application/json",
    )
    assert response.status_code == 403


def test_demo_is_idempotent_and_has_the_pingxiang_meeting(demo_data):
    load_demo()
    counts = (Meeting.objects.count(), Commitment.objects.count(), Milestone.objects.count())
    load_demo()
    assert (Meeting.objects.count(), Commitment.objects.count(), Milestone.objects.count()) == counts
    meeting = Meeting.objects.get()
    assert meeting.counterparts.filter(name_zh="凭祥市人民政府").exists()
    assert meeting.minutes_vi and meeting.minutes_zh
    assert counts[1] == 2 and Commitment.objects.overdue().count() == 1
    assert (
        Milestone.objects.filter(status="achieved").exists()
        and Milestone.objects.filter(status="planned").exists()
    )
