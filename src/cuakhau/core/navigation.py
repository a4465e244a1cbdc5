"""The navigation: every module of the mission, built or not. A module not built yet leads to a page
that says so plainly; nothing invents figures for it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role

ALL = frozenset(Role.values)
STAFF = frozenset(Role.values) - {Role.ENTERPRISE_USER, Role.DRIVER}
BOARD = frozenset(
    {Role.BOARD_LEADER, Role.DEPARTMENT_STAFF, Role.ADMIN, Role.INSPECTOR, Role.PROVINCIAL_LEADER}
)


@dataclass(frozen=True)
class Module:
    key: str
    label: object
    url_name: str | None  # None: not built yet
    roles: frozenset
    issue: str = ""  # what will build it, for the "not built yet" page
    description: object = ""


MODULES: list[Module] = [
    Module("dashboard", _("Tổng quan"), "dashboard", ALL),
    Module("gates", _("Cửa khẩu"), "gates:list", ALL),
    Module(
        "parties", _("Doanh nghiệp, phương tiện, lái xe"), "parties:index", ALL - {Role.PROVINCIAL_LEADER}
    ),
    Module(
        "traffic",
        _("Phương tiện & tờ khai"),
        "traffic:index",
        ALL - {Role.PROVINCIAL_LEADER},
        "#3",
        _("Khai báo trước khi đến, điều tiết hàng chờ công khai, sự kiện ra vào bãi từ thiết bị."),
    ),
    Module(
        "fees",
        _("Phí hạ tầng & biên lai"),
        "fees:home",
        ALL - {Role.DRIVER},
        "#4",
        _("Biểu phí theo nghị quyết, biên lai điện tử, thanh toán VietQR, đối soát, doanh thu."),
    ),
    Module(
        "trade",
        _("Thống kê kim ngạch"),
        "trade:statistics",
        STAFF,
        "#5",
        _("Kim ngạch xuất nhập khẩu theo cửa khẩu, loại hình, nhóm hàng; tăng trưởng."),
    ),
    Module(
        "reports",
        _("Báo cáo"),
        "reports:list",
        BOARD,
        "#5",
        _("Báo cáo tổng kết năm theo thể thức Nghị định 30/2020, lập từ số liệu."),
    ),
    Module(
        "plans",
        _("Kế hoạch & nhiệm vụ"),
        "plans:index",
        BOARD,
        "#6",
        _("Kế hoạch công tác năm, nhiệm vụ trọng tâm, đánh giá; chỉ đạo của lãnh đạo."),
    ),
    Module(
        "incidents",
        _("An ninh, trật tự, vệ sinh"),
        "incidents:list",
        STAFF,
        "#6",
        _("Vụ việc tại khu vực cửa khẩu: tiếp nhận, phân loại, chuyển lực lượng, theo dõi đến khi xong."),
    ),
    Module(
        "cooperation",
        _("Hợp tác với Quảng Tây"),
        "cooperation:index",
        BOARD,
        "#6",
        _("Đối tác, hội đàm, thỏa thuận và cam kết với phía Quảng Tây (Trung Quốc)."),
    ),
    Module(
        "auctions",
        _("Tài sản & đấu giá"),
        "auctions:index",
        BOARD | {Role.ENTERPRISE_USER},
        "#7",
        _("Nhà dịch vụ, lô đất, hợp đồng thuê và đấu giá quyền thuê trực tuyến."),
    ),
    Module(
        "procedures",
        _("Thủ tục hành chính"),
        "procedures:index",
        BOARD | {Role.ENTERPRISE_USER},
        "#8",
        _("Một cửa: hồ sơ trực tuyến, hạn giải quyết theo ngày làm việc, tra cứu công khai."),
    ),
    Module("calendar", _("Lịch làm việc"), "core:calendar", STAFF),
    Module("audit", _("Nhật ký hệ thống"), "core:audit", frozenset({Role.INSPECTOR, Role.ADMIN})),
    Module(
        "tokens",
        _("Khóa API"),
        "core:tokens",
        frozenset({Role.ADMIN, Role.BOARD_LEADER, Role.DEPARTMENT_STAFF}),
    ),
]


def menu_for(user) -> list[dict]:
    role = Role.ADMIN if user.is_superuser else user.role
    items = []
    for module in MODULES:
        if role not in module.roles:
            continue
        if module.url_name:
            try:
                url = reverse(module.url_name)
            except NoReverseMatch:
                url = reverse("module_planned", args=[module.key])
        else:
            url = reverse("module_planned", args=[module.key])
        items.append({"key": module.key, "label": module.label, "url": url, "built": bool(module.url_name)})
    return items


def module(key: str) -> Module | None:
    return next((m for m in MODULES if m.key == key), None)
