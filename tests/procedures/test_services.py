"""The dossier workflow through its services: the Done-when journey over Tết, supplement pauses, the
apology letter and the refused second re-appointment, illegal transitions, gapless codes, files,
notifications, warnings and the audit trail."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent, Unit
from cuakhau.core.roles import Role
from cuakhau.procedures import clock, services
from cuakhau.procedures.codes import agency_code
from cuakhau.procedures.models import Dossier, DossierCounter, DueWarning, Procedure, Status, Timing
from cuakhau.procedures.selectors import public_history, public_lookup
from tests.factories import UserFactory, dossier_at_desk, dossier_file, dossier_online

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def _audits(dossier):
    return list(
        AuditEvent.objects.filter(object_type="procedures.dossier", object_id=str(dossier.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_work_permit_over_tet_journey(
    desk, leader, enterprise, applicant, django_capture_on_commit_callbacks
):
    """Submitted online on lunar new year's day 2026; the slip's due date skips Tết; a supplement
    pauses the clock; processed and returned; the public lookup shows each step."""
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_online(enterprise, "ld-cap-gpld", actor=applicant, at=at(2026, 2, 17, 21))
    assert dossier.status == Status.NEW
    assert dossier.code == f"{agency_code()}-260217-0001"
    assert mail.outbox and dossier.code in mail.outbox[-1].body

    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.dossier_receive(actor=desk, dossier=dossier, at=at(2026, 2, 23, 8))
    assert dossier.clock_start == at(2026, 2, 23, 7, 30)  # first working session after Tết
    assert dossier.due_at == at(2026, 3, 6, 17)  # 10 working days, none of them in Tết
    assert "06/03/2026 17:00" in mail.outbox[-1].body

    dossier = services.dossier_handoff(actor=desk, dossier=dossier, at=at(2026, 2, 23, 10))
    assert dossier.handling_unit.code == "phong-doanh-nghiep"
    hand = dossier.events.get(action="handoff")
    assert hand.timing == Timing.EARLY or hand.timing == Timing.ON_TIME
    assert hand.step_due_at is not None

    # 4 working days used (23/02-26/02), then a supplement request pauses the clock for a week.
    dossier = services.dossier_request_supplement(
        actor=desk,
        dossier=dossier,
        items="Bổ sung phiếu lý lịch tư pháp.",
        internal_note="Gọi điện lần 1: không nghe máy",
        at=at(2026, 2, 27, 7, 30),
    )
    assert dossier.status == Status.SUPPLEMENT
    assert dossier.paused_remaining == Decimal(6)
    dossier = services.dossier_supplement(
        actor=applicant, dossier=dossier, files=[dossier_file("ly-lich.pdf")], at=at(2026, 3, 6, 7, 30)
    )
    assert dossier.status == Status.PROCESSING
    # 6 working days from Friday 06/03 07:30: 06, 09, 10, 11, 12, 13/03 -> Friday 13/03 17:00
    assert dossier.due_at == at(2026, 3, 13, 17)
    assert dossier.appointment_at == dossier.due_at

    dossier = services.dossier_handoff(actor=desk, dossier=dossier, at=at(2026, 3, 9, 9))
    dossier = services.dossier_process(
        actor=leader,
        dossier=dossier,
        result_summary="Cấp giấy phép lao động số 12/GPLĐ.",
        at=at(2026, 3, 12, 15),
    )
    assert dossier.finished_timing == Timing.EARLY
    dossier = services.dossier_return(actor=desk, dossier=dossier, at=at(2026, 3, 13, 9))
    assert dossier.status == Status.RETURNED

    found = public_lookup(code=dossier.code.lower(), key=dossier.lookup_key.lower())
    assert found == dossier
    steps = public_history(found)
    assert [s.status for s in steps] == [
        "new",
        "received",
        "processing",
        "supplement",
        "processing",
        "processing",
        "processed",
        "returned",
    ]
    texts = " ".join(s.note for s in steps)
    assert "lý lịch tư pháp" in texts and "không nghe máy" not in texts
    assert _audits(dossier) == [
        "procedures.dossier.submit",
        "procedures.dossier.receive",
        "procedures.dossier.handoff",
        "procedures.dossier.request_supplement",
        "procedures.dossier.supplement",
        "procedures.dossier.handoff",
        "procedures.dossier.process",
        "procedures.dossier.return",
    ]


def test_late_dossier_gets_one_apology_and_no_second_reappointment(desk, leader, enterprise):
    dossier = dossier_at_desk(desk, "dt-dieu-chinh-gcn-3", enterprise=enterprise, at=at(2026, 3, 2, 9))
    assert dossier.due_at == at(2026, 3, 5, 9)
    # Not at risk yet on Monday: refused.
    with pytest.raises(ServiceError) as exc:
        services.dossier_apologise(
            actor=leader,
            dossier=dossier,
            reason="Chưa đến hạn",
            new_due_at=at(2026, 3, 10, 17),
            at=at(2026, 3, 2, 10),
        )
    assert exc.value.field == "new_due_at"
    letter = services.dossier_apologise(
        actor=leader,
        dossier=dossier,
        reason="Chờ ý kiến Sở Kế hoạch và Đầu tư",
        new_due_at=at(2026, 3, 10, 17),
        at=at(2026, 3, 5, 10),
    )
    dossier.refresh_from_db()
    assert letter.previous_due_at == at(2026, 3, 5, 9)
    assert dossier.appointment_at == at(2026, 3, 10, 17)
    with pytest.raises(ServiceError) as exc:
        services.dossier_apologise(
            actor=leader,
            dossier=dossier,
            reason="Lần hai",
            new_due_at=at(2026, 3, 17, 17),
            at=at(2026, 3, 11, 9),
        )
    assert exc.value.field == "new_due_at" and exc.value.status == 409
    assert "không được hẹn lại lần thứ hai" in exc.value.messages[0]
    dossier.refresh_from_db()
    assert dossier.appointment_at == at(2026, 3, 10, 17)
    # Processed by the new appointment, it is still late against the legal deadline.
    dossier = services.dossier_handoff(actor=leader, dossier=dossier, at=at(2026, 3, 6, 9))
    dossier = services.dossier_process(
        actor=leader, dossier=dossier, result_summary="Đã điều chỉnh GCN.", at=at(2026, 3, 9, 9)
    )
    assert dossier.finished_timing == Timing.LATE
    from cuakhau.procedures.documents import available

    assert "04" in available(dossier)


@pytest.mark.parametrize(
    "action,kwargs",
    [
        ("dossier_process", {"result_summary": "Kết quả xong"}),
        ("dossier_return", {}),
        ("dossier_stop", {}),
        ("dossier_supplement", {"files": [dossier_file()]}),
        ("dossier_pay_fee", {}),
    ],
)
def test_illegal_transitions_are_refused_naming_the_status(desk, action, kwargs):
    dossier = dossier_at_desk(desk, at=at(2026, 3, 2, 9))
    with pytest.raises(ServiceError) as exc:
        getattr(services, action)(actor=desk, dossier=dossier, **kwargs)
    assert exc.value.field == "status" and exc.value.status == 409
    assert "Đã tiếp nhận" in exc.value.messages[0] and dossier.code in exc.value.messages[0]
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


def test_refuse_withdraw_stop_and_fee(desk, enterprise, applicant):
    refused = dossier_online(enterprise, actor=applicant, at=at(2026, 3, 2, 9))
    refused = services.dossier_refuse(actor=desk, dossier=refused, reason="Không thuộc thẩm quyền của Ban")
    assert refused.status == Status.REFUSED
    with pytest.raises(ServiceError):
        services.dossier_receive(actor=desk, dossier=refused)

    d = dossier_online(enterprise, "tm-vpdd", actor=applicant, at=at(2026, 3, 2, 9))
    d = services.dossier_receive(actor=desk, dossier=d, at=at(2026, 3, 2, 10))
    d = services.dossier_handoff(actor=desk, dossier=d, at=at(2026, 3, 2, 11))
    d = services.dossier_request_fee(actor=desk, dossier=d, at=at(2026, 3, 3, 9))
    assert d.status == Status.FEE_DUE and d.fee_amount == 3_000_000
    d = services.dossier_pay_fee(actor=desk, dossier=d, online=True, at=at(2026, 3, 3, 10))
    assert d.status == Status.PROCESSING and d.fee_paid_online
    # The applicant withdraws; the desk stops it (form 05).
    d = services.dossier_withdraw(actor=applicant, dossier=d, reason="Đổi địa điểm văn phòng")
    d = services.dossier_stop(actor=desk, dossier=d)
    assert d.status == Status.STOPPED
    # The applicant cannot take staff steps.
    other = dossier_online(enterprise, actor=applicant, at=at(2026, 3, 4, 9))
    with pytest.raises(ServiceError) as exc:
        services.dossier_receive(actor=applicant, dossier=other)
    assert exc.value.status == 403


def test_codes_run_per_day_without_gaps_and_a_rollback_gives_the_number_back(desk, enterprise, applicant):
    from django.db import transaction

    codes = [dossier_online(enterprise, actor=applicant, at=at(2026, 3, 2, 8 + i)).code for i in range(3)]
    assert [c[-11:] for c in codes] == ["260302-0001", "260302-0002", "260302-0003"]
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_online(enterprise, actor=applicant, at=at(2026, 3, 2, 14))
        raise RuntimeError("crash after numbering")
    assert dossier_online(enterprise, actor=applicant, at=at(2026, 3, 2, 15)).code.endswith("260302-0004")
    assert dossier_at_desk(desk, at=at(2026, 3, 3, 9)).code.endswith("260303-0001")
    assert DossierCounter.objects.get(day="2026-03-02").last_number == 4


def test_the_version_in_force_on_receipt_is_kept(desk):
    from cuakhau.procedures.services import procedure_version_publish

    procedure = Procedure.objects.get(code="ld-cap-gpld")
    old = dossier_at_desk(desk, at=at(2026, 3, 2, 9))
    procedure_version_publish(
        actor=None,
        procedure=procedure,
        valid_from=at(2026, 3, 10, 0),
        deadline=Decimal(5),
        to_be_confirmed=False,
    )
    new = dossier_at_desk(desk, at=at(2026, 3, 11, 9))
    assert old.version.number == 1 and old.version.deadline == 10
    assert new.version.number == 2 and new.due_at == clock.due(at(2026, 3, 11, 9), Decimal(5), "working_days")
    old.refresh_from_db()
    assert old.version.number == 1


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("virus.exe", b"MZ\x90\x00", "chỉ nhận PDF"),
        ("fake.pdf", b"<html>not a pdf</html>", "không đúng định dạng PDF"),
        ("empty.pdf", b"", "rỗng"),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "10 MB"),
    ],
)
def test_files_are_checked_by_type_and_size(enterprise, applicant, name, content, message):
    with pytest.raises(ServiceError) as exc:
        dossier_online(enterprise, actor=applicant, files=[dossier_file(name, content)], at=at(2026, 3, 2, 9))
    assert exc.value.field == "files" and message in exc.value.messages[0]
    assert not Dossier.objects.exists()


def test_warning_one_working_day_before_late(desk, leader, django_capture_on_commit_callbacks):
    staff = UserFactory(
        role=Role.DEPARTMENT_STAFF, unit=Unit.objects.get(code="van-phong"), email="a@example.vn"
    )
    d = dossier_at_desk(desk, "dt-dieu-chinh-gcn-3", at=at(2026, 3, 2, 9))  # due Thu 05/03 09:00
    with django_capture_on_commit_callbacks(execute=True):
        assert services.warnings_send(actor=None, today=d.due_at.date() - timedelta(days=3))["warned"] == 0
        result = services.warnings_send(actor=None, today=d.due_at.date() - timedelta(days=1))
    assert result["codes"] == [d.code]
    warning = DueWarning.objects.get(dossier=d)
    assert warning.unit.code == "van-phong" and warning.recipients == 2
    assert any(d.code in m.subject and staff.email in m.to for m in mail.outbox)
    assert services.warnings_send(actor=None, today=d.due_at.date() - timedelta(days=1)) == {
        "warned": 0,
        "already_warned": 1,
        "codes": [],
    }
    assert AuditEvent.objects.filter(action="procedures.dossier.warn").count() == 1
    call_command("procedures", "warn", "--date", "2026-03-04")  # the command runs the same service


def test_warn_task_enqueues(desk):
    from cuakhau.procedures.tasks import warn_due_dossiers

    result = warn_due_dossiers.enqueue("2026-03-04")
    assert result.id


def test_sms_channel_is_pluggable(settings, desk, django_capture_on_commit_callbacks):
    from cuakhau.procedures.notify import LogSmsChannel

    settings.PROCEDURES_NOTIFY_CHANNELS = [
        "cuakhau.procedures.notify.EmailChannel",
        "cuakhau.procedures.notify.LogSmsChannel",
    ]
    LogSmsChannel.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        d = dossier_at_desk(desk, at=at(2026, 3, 2, 9), applicant_phone="0912345678")
    assert LogSmsChannel.sent == [("0912345678", f"{d.code}: Hồ sơ {d.code}")]
