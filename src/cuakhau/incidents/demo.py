"""Demo incidents for a living zone: a few across types, gates and states, spread over the current
year's months; one from the public with a small generated photo. Invented events, marked as demo in
their text. Each goes through the services (so each has its audit events), then its dates are moved
back to its month. Idempotent: each is looked up by its fixed tracking code first."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cuakhau.core.context import acting_as
from cuakhau.core.models import Unit, User
from cuakhau.core.service import batch
from cuakhau.gates.models import Gate

from . import services
from .models import Incident, IncidentEvent

# code, months back, day, hour, source, gate, kind, severity, description, steps
DEMO = [
    (
        "VV-DEMA-0022",
        0,
        2,
        8,
        "public",
        "HUUNGHI",
        "congestion",
        "",
        "(Demo) Xe tải chờ xuất khẩu xếp hàng dài trên quốc lộ 1A trước cổng bãi, hai làn đều bị chiếm.",
        [],
    ),
    (
        "VV-DEMA-0023",
        0,
        1,
        14,
        "staff",
        "HUUNGHI",
        "security",
        "high",
        "(Demo) Hai lái xe xô xát tại khu vực chờ làm thủ tục, cần lực lượng giữ trật tự.",
        [("triage", {}), ("hand", {"force_kind": "border_guard", "unit": "bp-huu-nghi"}), ("start", {})],
    ),
    (
        "VV-DEMA-0024",
        1,
        12,
        9,
        "staff",
        "HUUNGHI",
        "smuggling",
        "high",
        "(Demo) Nghi vận chuyển hàng hóa không khai báo qua đường mòn gần bãi xe.",
        [
            ("triage", {}),
            ("hand", {"force_kind": "customs", "unit": "hq-huu-nghi"}),
            ("start", {}),
            (
                "resolve",
                {
                    "resolution": "(Demo) Kiểm tra, lập biên bản, chuyển hồ sơ xử lý theo quy định.",
                    "public_note": "Lực lượng chức năng đã kiểm tra và xử lý theo quy định.",
                },
            ),
            ("close", {}),
        ],
    ),
    (
        "VV-DEMA-0025",
        2,
        20,
        16,
        "staff",
        "TANTHANH",
        "environment",
        "medium",
        "(Demo) Rác thải, vỏ bao bì nông sản đổ thành đống cạnh bãi xe chờ nhập.",
        [
            ("triage", {}),
            ("hand", {"force_kind": "environment"}),
            ("start", {}),
            (
                "resolve",
                {
                    "resolution": "(Demo) Đơn vị vệ sinh đã thu gom, đặt thêm thùng rác.",
                    "public_note": "Đã thu gom rác và bố trí thêm thùng rác.",
                },
            ),
            ("close", {}),
        ],
    ),
    (
        "VV-DEMA-0026",
        3,
        5,
        10,
        "public",
        "COCNAM",
        "other",
        "",
        "(Demo) abc abc abc abc quảng cáo dịch vụ",
        [("reject", {"reason": "spam", "note": "(Demo) Nội dung không liên quan."})],
    ),
    (
        "VV-DEMA-0027",
        4,
        8,
        7,
        "staff",
        "CHIMA",
        "congestion",
        "low",
        "(Demo) Ùn ứ xe chở thanh long đầu vụ tại cổng vào bãi.",
        [
            ("triage", {}),
            ("hand", {"force_kind": "border_guard", "unit": "bp-chi-ma"}),
            ("start", {}),
            ("resolve", {"resolution": "(Demo) Phân luồng, điều tiết xe vào bãi theo lượt."}),
            ("close", {}),
        ],
    ),
    (
        "VV-DEMA-0028",
        5,
        15,
        11,
        "staff",
        "ROUTE_1119_1120",
        "congestion",
        "medium",
        "(Demo) Xe đỗ dừng sai quy định trên đường chuyên dụng mốc 1119-1120.",
        [
            ("triage", {}),
            ("hand", {"force_kind": "police", "unit": "csgt-lang-son"}),
            ("start", {}),
            ("resolve", {"resolution": "(Demo) Cảnh sát giao thông nhắc nhở, xử lý vi phạm."}),
        ],
    ),
]


def demo_photo() -> SimpleUploadedFile:
    """A small JPEG drawn here: a grey road, a lane line and a red truck box."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), (186, 196, 206))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 120, 320, 200), fill=(90, 96, 104))
    draw.line((0, 160, 320, 160), fill=(240, 240, 240), width=3)
    for x in (20, 120, 220):
        draw.rectangle((x, 95, x + 80, 140), fill=(178, 34, 34))
        draw.rectangle((x + 60, 105, x + 80, 140), fill=(60, 60, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile("demo.jpg", out.getvalue(), content_type="image/jpeg")


def _when(months_back: int, day: int, hour: int) -> datetime.datetime:
    today = timezone.localdate()
    month = today.month - months_back
    year = today.year
    if month < 1:  # early in the year: keep within the current year, in January
        month = 1
    day = min(day, 28)
    if month == today.month:
        day = min(day, today.day)
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 15))


def load_demo(stdout=None) -> str:
    board = User.objects.filter(username="chuyenvien").first()
    operator = User.objects.filter(username="dieuhanh").first()
    officer = User.objects.filter(username="haiquan").first()
    if board is None:
        return "skipped: demo users are not loaded"
    created = 0
    for code, back, day, hour, source, gate_code, kind, severity, text, steps in DEMO:
        if Incident.objects.filter(tracking_code=code).exists():
            continue
        gate = Gate.objects.filter(code=gate_code).first()
        if gate is None:
            continue
        with batch(), acting_as(channel="cli"):
            staff = operator if operator is not None and gate.pk in operator.gate_ids() else board
            if source == "public":
                incident = services.incident_report_public(
                    actor=None,
                    gate=gate,
                    kind=kind,
                    description=text,
                    reporter_name="(Demo) Người dân",
                    photo=demo_photo() if code == "VV-DEMA-0022" else None,
                    place="Quốc lộ 1A, trước cổng bãi" if code == "VV-DEMA-0022" else "",
                    latitude="21.970750" if code == "VV-DEMA-0022" else None,
                    longitude="106.703300" if code == "VV-DEMA-0022" else None,
                )
            else:
                incident = services.incident_record(
                    actor=staff, gate=gate, kind=kind, description=text, severity=severity
                )
            for action, data in steps:
                data = dict(data)
                actor = staff
                if (
                    action in ("start", "resolve")
                    and officer is not None
                    and incident.force_unit_id == officer.unit_id
                ):
                    actor = officer
                if action == "triage":
                    services.incident_triage(
                        actor=actor,
                        incident=incident,
                        kind=kind,
                        severity=severity or "medium",
                        gate=gate,
                    )
                elif action == "hand":
                    unit = Unit.objects.filter(code=data.pop("unit", "")).first()
                    services.incident_hand(actor=actor, incident=incident, force_unit=unit, **data)
                else:
                    getattr(services, f"incident_{action}")(actor=actor, incident=incident, **data)
                incident.refresh_from_db()
            _backdate(incident, code, _when(back, day, hour))
        created += 1
    return f"{created} demo incidents created"


def _backdate(incident: Incident, code: str, at: datetime.datetime) -> None:
    """Demo only: move the incident and its steps back to its month, a few hours apart."""
    updates = {"tracking_code": code, "reported_at": at}
    step = datetime.timedelta(hours=3)
    for field in ("handed_at", "resolved_at", "closed_at"):
        if getattr(incident, field):
            updates[field] = at + step * (("handed_at", "resolved_at", "closed_at").index(field) + 1)
    Incident.objects.filter(pk=incident.pk).update(**updates)
    for n, event in enumerate(IncidentEvent.objects.filter(incident=incident).order_by("id")):
        IncidentEvent.objects.filter(pk=event.pk).update(at=at + datetime.timedelta(hours=n))
