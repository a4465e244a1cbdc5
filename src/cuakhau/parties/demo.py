"""Demo parties for a living zone: the demo enterprise's record, a few invented Lạng Sơn import-export
firms and customs agents (names invented; tax codes generated with a correct check digit, in the
Lạng Sơn 49 range), vehicles with Vietnamese and Guangxi plates, drivers of both nationalities, and the
demo user `laixe` linked to a driver. Idempotent: everything is looked up by its natural key first.

The identity numbers are invented too: well-formed (CCCD province 020 is Lạng Sơn; the Chinese ones
carry a correct check digit and a Guangxi birth place), belonging to nobody we know of."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from cuakhau.core.models import Unit, User
from cuakhau.core.reference import DEMO_ENTERPRISE

from . import services
from .models import AgencyMandate, Driver, Enterprise, IdKind, Vehicle, VehicleKind
from .plates import parse_plate
from .selectors import drivers_with_id_number

DEMO_TAX = DEMO_ENTERPRISE["tax_code"]
NONG_SAN = "4900998719"
TAN_THANH = "4900998726"
TAN_THANH_BRANCH = "4900998726-001"
DAI_LY = "4900998733"
CHI_LANG = "4900998740"
VAN_TAI = "4900998758"

ENTERPRISES = [
    # tax code, name, English name, Chinese name, address, phone, customs agent
    (
        NONG_SAN,
        "Công ty TNHH Xuất nhập khẩu Nông sản Kỳ Lừa",
        "Ky Lua Agricultural Import-Export Co., Ltd.",
        "谅山祺罗农产品进出口有限公司",
        "Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn",
        "0205 3710 101",
        False,
    ),
    (
        TAN_THANH,
        "Công ty Cổ phần Thương mại Tân Thanh Xanh",
        "Tan Thanh Xanh Trading JSC",
        "新清绿贸易股份公司",
        "Khu vực cửa khẩu Tân Thanh, tỉnh Lạng Sơn",
        "0205 3710 202",
        False,
    ),
    (
        TAN_THANH_BRANCH,
        "Chi nhánh Công ty Cổ phần Thương mại Tân Thanh Xanh tại Cao Lộc",
        "Tan Thanh Xanh Trading JSC – Cao Loc Branch",
        "",
        "Cao Lộc, tỉnh Lạng Sơn",
        "0205 3710 203",
        False,
    ),
    (
        DAI_LY,
        "Công ty TNHH Đại lý Hải quan Đồng Đăng Việt",
        "Dong Dang Viet Customs Brokerage Co., Ltd.",
        "同登越海关代理有限公司",
        "Thị trấn Đồng Đăng, tỉnh Lạng Sơn",
        "0205 3710 303",
        True,
    ),
    (
        CHI_LANG,
        "Công ty TNHH Dịch vụ Khai báo Hải quan Chi Lăng Phát",
        "Chi Lang Phat Customs Services Co., Ltd.",
        "",
        "Chi Lăng, tỉnh Lạng Sơn",
        "0205 3710 404",
        True,
    ),
    (
        VAN_TAI,
        "Công ty TNHH Vận tải Quốc tế Cốc Nam Sao Mai",
        "Coc Nam Sao Mai International Transport Co., Ltd.",
        "谷南晨星国际运输有限公司",
        "Văn Lãng, tỉnh Lạng Sơn",
        "0205 3710 505",
        False,
    ),
]

VEHICLES = [
    # plate as typed, kind, tonnage, owner tax code
    ("12C-123.45", VehicleKind.TRUCK, "15", DEMO_TAX),
    ("12C-234.56", VehicleKind.CONTAINER_TRUCK, "30", DEMO_TAX),
    ("12C-345.67", VehicleKind.TRACTOR, "40", DEMO_TAX),
    ("12R-001.23", VehicleKind.SEMI_TRAILER, "32", DEMO_TAX),
    ("12C 456.78", VehicleKind.TRUCK, "8.5", NONG_SAN),
    ("12C-0789", VehicleKind.TRUCK, "5", NONG_SAN),
    ("12C12321", VehicleKind.CONTAINER_TRUCK, "30", TAN_THANH),
    ("12R-004.56", VehicleKind.SEMI_TRAILER, "30", TAN_THANH),
    ("12A-135.79", VehicleKind.CAR, None, DAI_LY),
    ("29LD-123.45", VehicleKind.TRACTOR, "38", VAN_TAI),
    ("29R-054.32", VehicleKind.TRAILER, "20", VAN_TAI),
    ("98C-345.67", VehicleKind.TRUCK, "18", VAN_TAI),
    ("桂F·12345", VehicleKind.TRUCK, "20", None),
    ("桂F·A8Z26", VehicleKind.CONTAINER_TRUCK, "30", None),
    ("桂A·56789", VehicleKind.TRACTOR, "40", None),
    ("桂P·23456", VehicleKind.TRUCK, "15", None),
    ("桂F·1234挂", VehicleKind.SEMI_TRAILER, "30", None),
]

DRIVERS = [
    # full name, id kind, id number, nationality, phone, employer tax code, demo username
    ("Hà Văn Sơn", IdKind.CCCD, "020085001234", "VN", "0912 345 601", DEMO_TAX, "laixe"),
    ("Hoàng Văn Dũng", IdKind.CCCD, "020082004321", "VN", "0912 345 602", DEMO_TAX, None),
    ("Nông Thị Thu", IdKind.CCCD, "020190007788", "VN", "0912 345 603", NONG_SAN, None),
    ("Lộc Văn Thắng", IdKind.CCCD, "020087005566", "VN", "0912 345 604", TAN_THANH, None),
    ("Vi Văn Hùng", IdKind.CCCD, "020079002233", "VN", "0912 345 605", VAN_TAI, None),
    ("Nguyễn Văn Nam", IdKind.CCCD, "001088009911", "VN", "0912 345 606", VAN_TAI, None),
    ("黄志强 (Hoàng Chí Cường)", IdKind.CN_ID, "452101198003151239", "CN", "+86 138 0771 2301", None, None),
    ("农国平 (Nông Quốc Bình)", IdKind.CN_ID, "452101197807220450", "CN", "+86 138 0771 2302", None, None),
    ("李海 (Lý Hải)", IdKind.CN_ID, "450102198501090672", "CN", "+86 138 0771 2303", None, None),
    ("陈伟 (Trần Vĩ)", IdKind.PASSPORT, "E12345678", "CN", "+86 138 0771 2304", None, None),
    ("梁文 (Lương Văn)", IdKind.CN_ID, "450602199506110312", "CN", "", VAN_TAI, None),
]


def load_demo(stdout=None) -> str:
    created = {"enterprises": 0, "mandates": 0, "vehicles": 0, "drivers": 0}
    by_tax: dict[str, Enterprise] = {}

    demo_unit = Unit.objects.filter(code=DEMO_ENTERPRISE["code"]).first()
    if demo_unit is not None:
        enterprise = Enterprise.objects.filter(unit=demo_unit).first()
        if enterprise is None:
            enterprise = services.enterprise_register(
                actor=None,
                tax_code=DEMO_TAX,
                name=DEMO_ENTERPRISE["name"],
                name_en=DEMO_ENTERPRISE["name_en"],
                name_zh="谅山演示进出口贸易有限公司",
                address="Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn",
                phone="0205 3710 100",
                email="demo@example.vn",
                unit=demo_unit,
            )
            created["enterprises"] += 1
        by_tax[DEMO_TAX] = enterprise

    for tax_code, name, name_en, name_zh, address, phone, agent in ENTERPRISES:
        enterprise = Enterprise.objects.filter(tax_code=tax_code).first()
        if enterprise is None:
            enterprise = services.enterprise_register(
                actor=None,
                tax_code=tax_code,
                name=name,
                name_en=name_en,
                name_zh=name_zh,
                address=address,
                phone=phone,
                is_customs_agent=agent,
            )
            created["enterprises"] += 1
        by_tax[tax_code] = enterprise

    today = timezone.localdate()
    mandates = [
        (DAI_LY, DEMO_TAX, today.replace(month=1, day=1), None, "ĐL-2026/001"),
        (
            DAI_LY,
            TAN_THANH,
            today - datetime.timedelta(days=90),
            today + datetime.timedelta(days=275),
            "ĐL-2026/014",
        ),
        (
            CHI_LANG,
            NONG_SAN,
            today - datetime.timedelta(days=400),
            today - datetime.timedelta(days=35),
            "CLP-2025/07",
        ),
    ]
    for agent, client, valid_from, valid_to, reference in mandates:
        if agent not in by_tax or client not in by_tax:
            continue
        if not AgencyMandate.objects.filter(
            agent=by_tax[agent], client=by_tax[client], reference=reference
        ).exists():
            services.mandate_grant(
                actor=None,
                agent=by_tax[agent],
                client=by_tax[client],
                valid_from=valid_from,
                valid_to=valid_to,
                reference=reference,
            )
            created["mandates"] += 1

    for plate, kind, tonnage, owner in VEHICLES:
        if Vehicle.objects.filter(plate_key=parse_plate(plate).key).exists():
            continue
        services.vehicle_register(
            actor=None,
            plate=plate,
            kind=kind,
            tonnage=Decimal(tonnage) if tonnage else None,
            owner=by_tax.get(owner) if owner else None,
        )
        created["vehicles"] += 1

    for full_name, id_kind, id_number, nationality, phone, employer, username in DRIVERS:
        user = User.objects.filter(username=username).first() if username else None
        driver = drivers_with_id_number(
            Driver.objects.filter(id_kind=id_kind, nationality=nationality), id_number
        ).first()
        if driver is None:
            driver = services.driver_register(
                actor=None,
                full_name=full_name,
                id_kind=id_kind,
                id_number=id_number,
                nationality=nationality,
                phone=phone,
                employer=by_tax.get(employer) if employer else None,
                user=user if user is not None and not Driver.objects.filter(user=user).exists() else None,
            )
            created["drivers"] += 1
        elif user is not None and driver.user_id is None and not Driver.objects.filter(user=user).exists():
            services.driver_update(actor=None, driver=driver, user=user)

    return ", ".join(f"{n} {name}" for name, n in created.items()) + " created"
