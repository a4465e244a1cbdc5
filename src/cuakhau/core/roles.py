"""Roles and unit kinds: the vocabulary every scope speaks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BOARD_LEADER = "board_leader", _("Lãnh đạo Ban")
    DEPARTMENT_STAFF = "department_staff", _("Cán bộ phòng chuyên môn")
    GATE_OPERATOR = "gate_operator", _("Điều hành viên cửa khẩu")
    GATE_CASHIER = "gate_cashier", _("Thu ngân cửa khẩu")
    AGENCY_OFFICER = "agency_officer", _("Cán bộ lực lượng chức năng")
    ENTERPRISE_USER = "enterprise_user", _("Người dùng doanh nghiệp")
    DRIVER = "driver", _("Lái xe")
    INSPECTOR = "inspector", _("Thanh tra")
    PROVINCIAL_LEADER = "provincial_leader", _("Lãnh đạo tỉnh")
    ADMIN = "admin", _("Quản trị hệ thống")


class UnitKind(models.TextChoices):
    BOARD_LEADERSHIP = "board_leadership", _("Lãnh đạo Ban")
    BOARD_DEPARTMENT = "board_department", _("Phòng chuyên môn của Ban")
    GATE_CENTRE = "gate_centre", _("Trung tâm Quản lý cửa khẩu")
    AGENCY = "agency", _("Lực lượng chức năng tại cửa khẩu")
    PROVINCIAL_LEADERSHIP = "provincial_leadership", _("Lãnh đạo tỉnh")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")


class AgencyKind(models.TextChoices):
    CUSTOMS = "customs", _("Hải quan")
    BORDER_GUARD = "border_guard", _("Biên phòng")
    MEDICAL_QUARANTINE = "medical_quarantine", _("Kiểm dịch y tế")
    PLANT_QUARANTINE = "plant_quarantine", _("Kiểm dịch thực vật")
    ANIMAL_QUARANTINE = "animal_quarantine", _("Kiểm dịch động vật")
    TRAFFIC_POLICE = "traffic_police", _("Cảnh sát giao thông")


# Roles that belong to the Board and see the whole zone's internal data.
ZONE_WIDE_ROLES = frozenset({Role.BOARD_LEADER, Role.DEPARTMENT_STAFF, Role.ADMIN})
# Roles that read everything and change nothing.
READ_ONLY_ROLES = frozenset({Role.INSPECTOR, Role.PROVINCIAL_LEADER})
# Roles that act only at the gates their unit works at.
GATE_BOUND_ROLES = frozenset({Role.GATE_OPERATOR, Role.GATE_CASHIER, Role.AGENCY_OFFICER})
# Roles from outside the Board.
EXTERNAL_ROLES = frozenset({Role.ENTERPRISE_USER, Role.DRIVER})
# Roles a device or system account (User.is_service_account) may hold: devices at the gates and the
# Board's departments' systems. Never an administrator, a leader or an outside party (core.keys).
SERVICE_ACCOUNT_ROLES = frozenset(
    {Role.GATE_OPERATOR, Role.GATE_CASHIER, Role.AGENCY_OFFICER, Role.DEPARTMENT_STAFF}
)
# Which unit kinds a role may belong to (checked by user_create).
ROLE_UNIT_KINDS: dict[str, frozenset[str]] = {
    Role.BOARD_LEADER: frozenset({UnitKind.BOARD_LEADERSHIP}),
    Role.DEPARTMENT_STAFF: frozenset({UnitKind.BOARD_DEPARTMENT}),
    Role.GATE_OPERATOR: frozenset({UnitKind.GATE_CENTRE}),
    Role.GATE_CASHIER: frozenset({UnitKind.GATE_CENTRE}),
    Role.AGENCY_OFFICER: frozenset({UnitKind.AGENCY}),
    Role.ENTERPRISE_USER: frozenset({UnitKind.ENTERPRISE}),
    Role.DRIVER: frozenset({UnitKind.ENTERPRISE}),
    Role.INSPECTOR: frozenset(
        {UnitKind.BOARD_LEADERSHIP, UnitKind.BOARD_DEPARTMENT, UnitKind.PROVINCIAL_LEADERSHIP}
    ),
    Role.PROVINCIAL_LEADER: frozenset({UnitKind.PROVINCIAL_LEADERSHIP}),
    Role.ADMIN: frozenset({UnitKind.BOARD_DEPARTMENT, UnitKind.BOARD_LEADERSHIP}),
}
