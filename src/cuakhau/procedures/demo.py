"""Demo dossiers over the last months, from the demo enterprises (parties demo): every state, some early,
on time and late, one with an apology letter, some with a supplement request. Idempotent: each demo
dossier is found again by its subject. Built with the services (each step at a past moment), so the
history, the audit log and the figures are what real use would leave."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from cuakhau.core.models import User
from cuakhau.core.workcal import add_working_days
from cuakhau.core.workcal.calendar import TZ
from cuakhau.parties.models import Enterprise

from . import clock, services
from .catalogue import load_catalogue
from .models import Dossier, Procedure

PDF = (
    b"%PDF-1.4\n% demo dossier file\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)

# subject, procedure, enterprise tax code, channel, working days ago received, scenario
DEMO = [
    ("Dự án kho ngoại quan Đồng Đăng giai đoạn 1", "dt-cap-gcn-dkdt", "0100233488", "online", 60, "early"),
    ("Dự án trung tâm logistics Tân Thanh", "dt-cap-gcn-dkdt", "4900998726", "desk", 55, "on_time"),
    ("Đổi tên nhà đầu tư trong GCNĐKĐT", "dt-dieu-chinh-gcn-3", "4900998719", "online", 50, "early"),
    ("Đổi địa chỉ trụ sở nhà đầu tư", "dt-dieu-chinh-gcn-3", "4900998733", "desk", 45, "late"),
    ("Điều chỉnh quy mô kho lạnh", "dt-dieu-chinh-gcn-7", "4900998726", "online", 42, "supplement"),
    ("Điều chỉnh tiến độ dự án bãi xe", "dt-dieu-chinh-gcn-7", "4900998758", "online", 40, "apology"),
    (
        "Chấp thuận nhà đầu tư dự án khu dịch vụ cửa khẩu Cốc Nam",
        "dt-chap-thuan-nha-dau-tu",
        "4900998758",
        "desk",
        38,
        "on_time",
    ),
    ("GPLĐ cho chuyên gia kỹ thuật Lý Minh (Trung Quốc)", "ld-cap-gpld", "0100233488", "online", 35, "early"),
    ("GPLĐ cho quản lý kho Vương Lệ (Trung Quốc)", "ld-cap-gpld", "4900998719", "online", 30, "on_time"),
    ("GPLĐ cho kỹ sư Chen Hao (Trung Quốc)", "ld-cap-gpld", "4900998726", "desk", 28, "late"),
    ("Giấy phép xây dựng nhà điều hành bãi hàng", "xd-cap-gpxd", "4900998719", "desk", 26, "fee_paid"),
    (
        "Văn phòng đại diện Công ty TNHH Thương mại Quảng Tây Bằng Tường",
        "tm-vpdd",
        "4900998740",
        "online",
        24,
        "early",
    ),
    ("GPLĐ cho phiên dịch viên Hoàng Tú", "ld-cap-gpld", "4900998733", "online", 8, "supplement_waiting"),
    ("Giấy phép xây dựng mái che bãi kiểm hóa", "xd-cap-gpxd", "4900998758", "online", 6, "processing"),
    (
        "Điều chỉnh vốn đầu tư dự án kho ngoại quan",
        "dt-dieu-chinh-gcn-7",
        "0100233488",
        "online",
        9,
        "overdue",
    ),
    ("Văn phòng đại diện hãng vận tải Hữu Nghị Quan", "tm-vpdd", "4900998733", "online", 5, "fee_due"),
    ("Đổi người đại diện theo pháp luật", "dt-dieu-chinh-gcn-3", "4900998740", "online", 1, "new"),
    ("GPLĐ hồ sơ thiếu hộ chiếu", "ld-cap-gpld", "4900998758", "online", 12, "refused"),
    ("Dự án cửa hàng miễn thuế (rút hồ sơ)", "dt-cap-gcn-dkdt", "4900998719", "online", 20, "stopped"),
    (
        "Điều chỉnh mục tiêu dự án kho (mới tiếp nhận)",
        "dt-dieu-chinh-gcn-7",
        "4900998726",
        "desk",
        2,
        "processing",
    ),
]


def _file(name: str = "ho-so.pdf") -> ContentFile:
    return ContentFile(PDF, name=name)


def _morning(d: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(hour, 0), tzinfo=TZ)


def _later(moment: dt.datetime, days) -> dt.datetime:
    return clock.tidy(add_working_days(moment, Decimal(str(days))))


def _walk(
    dossier: Dossier, staff: User, leader: User, until: dt.datetime, *, last_step: bool = True
) -> dt.datetime:
    """Hand the dossier through its steps, half a working day each; returns the last moment."""
    moment = dossier.clock_start
    steps = dossier.version.steps or []
    last = len(steps) - 1 if last_step else 2
    while dossier.step_index + 1 < last:
        moment = min(_later(moment, "0.5"), until)
        actor = leader if (dossier.step or {}).get("unit") == "ban-lanh-dao" else staff
        dossier = services.dossier_handoff(actor=actor, dossier=dossier, at=moment)
    return moment


def _arrive(
    procedure, enterprise, subject: str, channel: str, scenario: str, day, at, staff, applicant
) -> tuple[Dossier, bool]:
    """The dossier submitted online (then received or refused) or received at the desk; True when
    its scenario ends there (a new or refused dossier)."""
    if channel != "online":
        dossier = services.dossier_receive_at_desk(
            actor=staff,
            procedure=procedure,
            enterprise=enterprise,
            subject=subject,
            applicant_name=enterprise.name,
            applicant_id=enterprise.tax_code,
            files=[_file()],
            at=at,
        )
        return dossier, False
    dossier = services.dossier_submit(
        actor=applicant, procedure=procedure, enterprise=enterprise, subject=subject, files=[_file()], at=at
    )
    if scenario == "new":
        return dossier, True
    if scenario == "refused":
        refused = services.dossier_refuse(
            actor=staff,
            dossier=dossier,
            reason="Thiếu bản sao hộ chiếu còn giá trị của người lao động.",
            at=_morning(day, 10),
        )
        return refused, True
    return services.dossier_receive(actor=staff, dossier=dossier, at=_morning(day, 10)), False


def _supplemented(dossier: Dossier, staff: User, applicant: User, scenario: str) -> Dossier:
    """Handed on, asked for a supplement and (unless still waiting) supplemented four days later."""
    dossier = services.dossier_handoff(actor=staff, dossier=dossier, at=_later(dossier.clock_start, "0.5"))
    asked = _later(dossier.clock_start, 1)
    dossier = services.dossier_request_supplement(
        actor=staff,
        dossier=dossier,
        items="Bổ sung báo cáo tài chính năm gần nhất có kiểm toán.",
        internal_note="Thiếu báo cáo tài chính; đã gọi điện cho doanh nghiệp.",
        at=asked,
    )
    if scenario == "supplement_waiting":
        return dossier
    return services.dossier_supplement(
        actor=applicant, dossier=dossier, files=[_file("bao-cao-tai-chinh.pdf")], at=_later(asked, 4)
    )


def _finish_at(dossier: Dossier, scenario: str, due, moment, staff: User, leader: User) -> dt.datetime:
    """When the result is recorded in this scenario (the fee asked and paid, or the apology given,
    before it)."""
    if scenario == "fee_paid":
        dossier = services.dossier_request_fee(actor=staff, dossier=dossier, at=_later(moment, "0.5"))
        services.dossier_pay_fee(actor=staff, dossier=dossier, online=True, at=_later(moment, 1))
        return _later(moment, 2)
    if scenario == "early":
        finish = max(_later(moment, "0.5"), moment)
        return finish if clock.timing(finish, due) == "early" else _later(dossier.clock_start, "0.5")
    if scenario == "on_time":
        return clock.local(due) - dt.timedelta(hours=1)
    if scenario == "apology":
        services.dossier_apologise(
            actor=leader,
            dossier=dossier,
            reason="Phải lấy ý kiến Sở Xây dựng về quy hoạch chi tiết.",
            new_due_at=_later(due, 3),
            at=clock.local(due) - dt.timedelta(hours=2),
        )
        return _later(due, "0.5")
    return _later(due, 2)  # late


def _one(entry, staff: User, leader: User, enterprise_users: dict, now: dt.datetime) -> Dossier | None:
    subject, code, tax, channel, ago, scenario = entry
    procedure = Procedure.objects.filter(code=code).first()
    enterprise = Enterprise.objects.filter(tax_code=tax).first()
    if procedure is None or enterprise is None:
        return None
    day = add_working_days(timezone.localdate(now), -ago)
    at = _morning(day, 9 + ago % 6)
    if channel == "online" and scenario != "new":
        at = at - dt.timedelta(hours=14)  # submitted the evening before: counts from the next session
    applicant = enterprise_users.get(enterprise.unit_id)
    dossier, done = _arrive(procedure, enterprise, subject, channel, scenario, day, at, staff, applicant)
    if done:
        return dossier
    due = dossier.due_at
    if scenario == "stopped":
        dossier = services.dossier_withdraw(
            actor=applicant or staff,
            dossier=dossier,
            reason="Doanh nghiệp thay đổi phương án đầu tư.",
            at=_later(dossier.clock_start, 1),
        )
        return services.dossier_stop(actor=staff, dossier=dossier, at=_later(dossier.clock_start, "1.5"))
    if scenario in ("processing", "overdue"):
        _walk(dossier, staff, leader, now, last_step=False)
        return dossier
    if scenario in ("supplement", "supplement_waiting"):
        dossier = _supplemented(dossier, staff, applicant or staff, scenario)
        if scenario == "supplement_waiting":
            return dossier
        due = dossier.due_at
    if scenario == "fee_due":
        _walk(dossier, staff, leader, now)
        dossier.refresh_from_db()
        return services.dossier_request_fee(
            actor=staff, dossier=dossier, at=min(_later(dossier.clock_start, 3), now)
        )
    moment = _walk(dossier, staff, leader, now)
    dossier.refresh_from_db()
    finish = _finish_at(dossier, scenario, due, moment, staff, leader)
    if finish > now:
        dossier.refresh_from_db()
        return dossier
    dossier.refresh_from_db()
    dossier = services.dossier_process(
        actor=leader,
        dossier=dossier,
        result_summary=f"Đã cấp {dossier.version.result_document.lower()}.",
        files=[_file("ket-qua.pdf")],
        at=finish,
    )
    returned = _later(finish, "0.5")
    if returned <= now:
        dossier = services.dossier_return(actor=staff, dossier=dossier, at=returned)
    return dossier


def load_demo(stdout=None) -> str:
    load_catalogue()
    staff = User.objects.filter(username="chuyenvien").first()
    leader = User.objects.filter(username="lanhdao").first()
    if staff is None or leader is None:
        return "demo users missing: load core's demo first"
    enterprise_users = {
        u.unit_id: u for u in User.objects.filter(role="enterprise_user", is_active=True).order_by("pk")
    }
    now = timezone.now()
    made = 0
    for entry in DEMO:
        if Dossier.objects.filter(subject=entry[0]).exists():
            continue
        if _one(entry, staff, leader, enterprise_users, now) is not None:
            made += 1
    return f"{made} demo dossiers created, {len(DEMO)} in the demo set"
