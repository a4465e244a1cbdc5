"""Core reference data (the zone's units) and demo users, one per role."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .actions import audit_actions
from .audit_names import LOGIN_FAILED
from .dashboard import Card
from .models import AuditEvent, Unit, User
from .roles import READ_ONLY_ROLES, ZONE_WIDE_ROLES, Role, UnitKind
from .services import installation_mark_demo, unit_upsert, user_create
from .services.twofactor import otp_demo_enrol
from .twofactor import has_second_factor, must_use

DATA = Path(__file__).resolve().parent / "data"

# The demo enterprise's tax code is a valid one from the project's test vectors.
DEMO_ENTERPRISE = {
    "code": "dn-demo-0100233488",
    "name": "Công ty TNHH Thương mại Xuất nhập khẩu Demo Lạng Sơn",
    "name_en": "Demo Lang Son Import-Export Trading Co., Ltd.",
    "tax_code": "0100233488",
}
DEMO_PASSWORD = "CuaKhau@2026-demo"
DEMO_USERS = [
    # username, role, unit code, full name
    ("lanhdao", Role.BOARD_LEADER, "ban-lanh-dao", "Hoàng Văn Minh"),
    ("chuyenvien", Role.DEPARTMENT_STAFF, "phong-ke-hoach", "Nông Thị Hà"),
    ("dieuhanh", Role.GATE_OPERATOR, "ttqlck-huu-nghi", "Lương Văn Tuấn"),
    ("thungan", Role.GATE_CASHIER, "ttqlck-huu-nghi", "Vi Thị Lan"),
    ("haiquan", Role.AGENCY_OFFICER, "hq-huu-nghi", "Trần Quốc Khánh"),
    ("doanhnghiep", Role.ENTERPRISE_USER, DEMO_ENTERPRISE["code"], "Lê Thị Mai"),
    ("laixe", Role.DRIVER, DEMO_ENTERPRISE["code"], "Hà Văn Sơn"),
    ("thanhtra", Role.INSPECTOR, "phong-ke-hoach", "Đinh Văn Bình"),
    ("tinh", Role.PROVINCIAL_LEADER, "ubnd-tinh", "Lãnh đạo UBND tỉnh (demo)"),
    ("quantri", Role.ADMIN, "van-phong", "Quản trị hệ thống"),
]


def load_units() -> str:
    rows = list(csv.DictReader((DATA / "units.csv").read_text(encoding="utf-8").splitlines()))
    before = Unit.objects.count()
    for row in rows:  # parents are listed before their children
        parent = Unit.objects.get(code=row["parent"]) if row["parent"] else None
        existing = Unit.objects.filter(code=row["code"]).first()
        if existing is None:
            unit_upsert(
                actor=None,
                code=row["code"],
                name=row["name"],
                name_en=row["name_en"],
                kind=row["kind"],
                agency_kind=row["agency_kind"],
                parent=parent,
            )
    return f"{Unit.objects.count() - before} created, {len(rows)} in the reference list"


def load_demo_installation(stdout=None) -> str:
    """The first demo loader: the installation is a demo before any demo document exists."""
    installation_mark_demo(actor=None)
    return "marked as a demo installation: documents are printed as samples"


def load_demo_users(stdout=None) -> str:
    if not Unit.objects.filter(code=DEMO_ENTERPRISE["code"]).exists():
        unit_upsert(actor=None, kind=UnitKind.ENTERPRISE, **DEMO_ENTERPRISE)
    created = 0
    for username, role, unit_code, full_name in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        user_create(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            unit=Unit.objects.get(code=unit_code),
            full_name=full_name,
            is_superuser=role == Role.ADMIN,
        )
        created += 1
    # Staff must use a second factor (core.twofactor): each demo staff account has an authenticator
    # with the demo's known secret, and `cuakhau otp code USERNAME` prints its current code (on a
    # demo installation only).
    for username, *_rest in DEMO_USERS:
        user = User.objects.get(username=username)
        if must_use(user) and not has_second_factor(user):
            otp_demo_enrol(actor=None, user=user)
    if stdout is not None:
        stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, unit_code, _name in DEMO_USERS:
            stdout.write(f"  {username:<12} {role:<18} {unit_code}")
        stdout.write("Staff accounts also ask for a code: `cuakhau otp code USERNAME` prints it (demo only).")
    return f"{created} demo users created"


def dashboard_cards(user) -> list[Card]:
    cards: list[Card] = []
    if user.role in ZONE_WIDE_ROLES or user.role in READ_ONLY_ROLES or user.is_superuser:
        by_kind = dict(
            Unit.objects.for_user(user).values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
        )
        cards.append(
            Card(
                title=_("Đơn vị"),
                value=sum(by_kind.values()),
                rows=[(label, by_kind.get(kind, 0)) for kind, label in UnitKind.choices if by_kind.get(kind)],
            )
        )
        cards.append(
            Card(
                title=_("Người dùng đang hoạt động"),
                value=User.objects.for_user(user).filter(is_active=True).count(),
            )
        )
    if AuditEvent.objects.for_user(user).exists() or user.role == Role.INSPECTOR:
        today = timezone.localdate()
        start = timezone.make_aware(timezone.datetime(today.year, today.month, today.day))
        events = AuditEvent.objects.for_user(user).filter(occurred_at__gte=start)
        cards.append(
            Card(
                title=_("Sự kiện nhật ký hôm nay"),
                value=events.count(),
                url=reverse("core:audit"),
                rows=[
                    (
                        _("Đăng nhập sai"),
                        events.filter(action__in=audit_actions.aliases(LOGIN_FAILED)).count(),
                    )
                ],
            )
        )
    return cards
