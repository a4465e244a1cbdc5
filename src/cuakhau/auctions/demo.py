"""Demo assets, leases and auctions: the Hữu Nghị service building with its floors and spaces, land plots
at Hữu Nghị and Tân Thanh, two current leases (one with rent overdue), one auction posted and open for
registration, and one finished with its record signed and its chain head published. Parcel numbers,
areas and prices are invented for the demo. Idempotent: everything is looked up by its code first.

The finished auction is played through the real services with the auction clock set back, so its
dates, deposits, bids and chain are what the services would have written."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cuakhau.assets import services as asset_services
from cuakhau.assets.models import Asset, AssetKind, Lease, RentBasis
from cuakhau.assets.schedule import add_months
from cuakhau.core.workcal import add_working_days
from cuakhau.gates.models import Gate
from cuakhau.parties.models import Enterprise

from . import clock, services
from .models import Auction

BUILDING = "HN-NDV"
SPACES = [
    # code, name, floor, area, plan (unused for spaces)
    ("HN-NDV-101", "Ki-ốt 101 (tầng 1)", 1, "36"),
    ("HN-NDV-102", "Ki-ốt 102 (tầng 1)", 1, "36"),
    ("HN-NDV-103", "Mặt bằng dịch vụ ăn uống (tầng 1)", 1, "120"),
    ("HN-NDV-201", "Văn phòng 201 (tầng 2)", 2, "48"),
    ("HN-NDV-202", "Văn phòng 202 (tầng 2)", 2, "48"),
    ("HN-NDV-203", "Văn phòng 203 (tầng 2)", 2, "64"),
    ("HN-NDV-301", "Hội trường nhỏ (tầng 3)", 3, "150"),
]
PLOTS = [
    # code, name, gate, parcel, sheet, area, use, lat, lng, plan
    (
        "HN-LD-01",
        "Lô đất kho ngoại quan phía Bắc",
        "HUUNGHI",
        "112",
        "23",
        "5200",
        "Kho bãi, dịch vụ logistics",
        "21.978210",
        "106.707620",
        (40, 6, 26, 18),
    ),
    (
        "HN-LD-02",
        "Lô đất dịch vụ bãi đỗ xe chờ xuất",
        "HUUNGHI",
        "118",
        "23",
        "3400",
        "Bãi đỗ xe, dịch vụ hỗ trợ",
        "21.976900",
        "106.709150",
        (70, 6, 24, 16),
    ),
    (
        "TT-LD-01",
        "Lô đất kho lạnh Tân Thanh",
        "TANTHANH",
        "45",
        "7",
        "2800",
        "Kho lạnh bảo quản nông sản",
        "21.862410",
        "106.664300",
        (6, 8, 24, 18),
    ),
    (
        "TT-LD-02",
        "Lô đất dịch vụ thương mại Tân Thanh",
        "TANTHANH",
        "47",
        "7",
        "1900",
        "Dịch vụ thương mại",
        "21.861950",
        "106.665820",
        (36, 8, 20, 14),
    ),
]
OPEN_AUCTION = "DG-HN-LD-02"
DONE_AUCTION = "DG-TT-LD-02"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% demo dossier\n%%EOF\n", content_type="application/pdf")


def _board():
    """The demo's department staff member: the Board's writes are theirs (core's demo users load
    first)."""
    from cuakhau.core.models import User

    user = User.objects.filter(username="chuyenvien", is_active=True).first()
    if user is None:
        raise RuntimeError("the demo users must be loaded before the assets and auctions demo")
    return user


def _assets() -> None:
    huu_nghi = Gate.objects.get(code="HUUNGHI")
    if not Asset.objects.filter(code=BUILDING).exists():
        asset_services.asset_create(
            actor=_board(),
            kind=AssetKind.BUILDING,
            code=BUILDING,
            name="Nhà dịch vụ tổng hợp cửa khẩu Hữu Nghị",
            gate=huu_nghi,
            area_m2="1450",
            floors=3,
            address="Khu vực cửa khẩu quốc tế Hữu Nghị, Đồng Đăng",
            latitude=Decimal("21.977500"),
            longitude=Decimal("106.708300"),
            plan=(6, 6, 28, 22),
            planned_use="Nhà dịch vụ hỗ trợ xuất nhập khẩu",
        )
    building = Asset.objects.get(code=BUILDING)
    for code, name, floor, area in SPACES:
        if not Asset.objects.filter(code=code).exists():
            asset_services.asset_create(
                actor=_board(),
                kind=AssetKind.SPACE,
                code=code,
                name=name,
                gate=huu_nghi,
                parent=building,
                floor=floor,
                area_m2=area,
            )
    for code, name, gate, parcel, sheet, area, use, lat, lng, plan in PLOTS:
        if not Asset.objects.filter(code=code).exists():
            asset_services.asset_create(
                actor=_board(),
                kind=AssetKind.LAND_PLOT,
                code=code,
                name=name,
                gate=Gate.objects.get(code=gate),
                parcel_number=parcel,
                map_sheet=sheet,
                area_m2=area,
                planned_use=use,
                latitude=Decimal(lat),
                longitude=Decimal(lng),
                plan=plan,
            )


def _leases() -> None:
    from cuakhau.parties.demo import NONG_SAN, TAN_THANH

    today = timezone.localdate()
    if not Lease.objects.filter(number="HĐ-01/2025/HN-NDV-101").exists():
        start = today.replace(day=1) - datetime.timedelta(days=300)
        start = start.replace(day=1)
        lease = asset_services.lease_create(
            actor=_board(),
            number="HĐ-01/2025/HN-NDV-101",
            asset=Asset.objects.get(code="HN-NDV-101"),
            lessee=Enterprise.objects.get(tax_code=NONG_SAN),
            signed_on=start - datetime.timedelta(days=10),
            starts_on=start,
            ends_on=add_months(start, 36) - datetime.timedelta(days=1),
            rent_basis=RentBasis.PER_M2_MONTH,
            rent_rate=180_000,
            interval_months=3,
            escalation_percent="5",
            deposit_amount=19_440_000,
        )
        for inst in lease.instalments.filter(due_on__lt=today):
            asset_services.rent_payment_record(
                actor=_board(),
                instalment_id=inst.pk,
                amount=inst.amount,
                paid_on=inst.due_on,
                reference=f"CK{inst.due_on:%Y%m%d}",
            )
    if not Lease.objects.filter(number="HĐ-07/2025/TT-LD-01").exists():
        start = (today - datetime.timedelta(days=240)).replace(day=1)
        lease = asset_services.lease_create(
            actor=_board(),
            number="HĐ-07/2025/TT-LD-01",
            asset=Asset.objects.get(code="TT-LD-01"),
            lessee=Enterprise.objects.get(tax_code=TAN_THANH),
            signed_on=start - datetime.timedelta(days=7),
            starts_on=start,
            ends_on=add_months(start, 12) - datetime.timedelta(days=1),
            rent_basis=RentBasis.PER_M2_MONTH,
            rent_rate=25_000,
            interval_months=3,
            deposit_amount=210_000_000,
        )
        first = lease.instalments.order_by("seq").first()
        asset_services.rent_payment_record(
            actor=_board(),
            instalment_id=first.pk,
            amount=first.amount,
            paid_on=first.due_on,
            reference="CK-TT-01",
        )
        # The later instalments stay unpaid: overdue rent for the demo, and the lease ends within six
        # months, so it is listed for a new auction.


def _plan_dates(session: datetime.datetime) -> dict:
    day = timezone.localtime(session).date()
    first = day - datetime.timedelta(days=20)
    return {
        "session_start": session,
        "registration_closes_at": session - datetime.timedelta(days=3),
        "notice_1_on": first,
        "notice_2_on": add_working_days(first, 3),
        "viewing_from": day - datetime.timedelta(days=8),
        "viewing_to": day - datetime.timedelta(days=6),
    }


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _open_auction() -> None:
    if Auction.objects.filter(code=OPEN_AUCTION).exists():
        return
    session = _at(timezone.localdate() + datetime.timedelta(days=20), 9)
    plan = _plan_dates(session)
    plan["notice_1_on"] = timezone.localdate()
    plan["notice_2_on"] = add_working_days(plan["notice_1_on"], 2)
    auction = services.auction_create(
        actor=_board(),
        code=OPEN_AUCTION,
        title="Đấu giá quyền thuê lô đất bãi đỗ xe chờ xuất HN-LD-02",
        asset=Asset.objects.get(code="HN-LD-02"),
        starting_price=85_000_000,
        step=2_000_000,
        deposit=12_750_000,
        dossier_fee=500_000,
        lease_months=60,
        session_minutes=30,
        **plan,
    )
    services.auction_approve(
        actor=_board(),
        auction_id=auction.pk,
        decision_number="215/QĐ-BQLKKT",
        decision_date=timezone.localdate(),
    )
    services.auction_post(actor=_board(), auction_id=auction.pk)
    services.auction_registration_open(actor=_board(), auction_id=auction.pk)


def _finished_auction() -> None:
    """Three bidders; one withdraws its highest bid (forfeits), the auction continues from the next
    lower bid; the winner signs; the third bidder is refunded within 3 working days."""
    from cuakhau.core.reference import DEMO_ENTERPRISE
    from cuakhau.parties.demo import NONG_SAN, VAN_TAI

    if Auction.objects.filter(code=DONE_AUCTION).exists():
        return
    back = datetime.timedelta(days=45)
    clock.shift(-back)
    try:
        today = clock.today()
        session = _at(today + datetime.timedelta(days=21), 9)
        plan = _plan_dates(session)
        plan["notice_1_on"] = today
        plan["notice_2_on"] = add_working_days(today, 2)
        auction = services.auction_create(
            actor=_board(),
            code=DONE_AUCTION,
            title="Đấu giá quyền thuê lô đất dịch vụ thương mại Tân Thanh TT-LD-02",
            asset=Asset.objects.get(code="TT-LD-02"),
            starting_price=40_000_000,
            step=1_000_000,
            deposit=6_000_000,
            dossier_fee=500_000,
            lease_months=60,
            session_minutes=20,
            **plan,
        )
        services.auction_approve(
            actor=_board(), auction_id=auction.pk, decision_number="188/QĐ-BQLKKT", decision_date=today
        )
        services.auction_post(actor=_board(), auction_id=auction.pk)
        services.auction_registration_open(actor=_board(), auction_id=auction.pk)
        regs = []
        for tax, person in (
            (DEMO_ENTERPRISE["tax_code"], "Lê Thị Mai"),
            (NONG_SAN, "Nông Văn Kỳ"),
            (VAN_TAI, "Vi Văn Hùng"),
        ):
            reg = services.registration_submit(
                actor=_board(),
                auction_id=auction.pk,
                enterprise=Enterprise.objects.get(tax_code=tax),
                representative=person,
                documents=[_pdf("ho-so.pdf")],
            )
            services.deposit_receive(
                actor=_board(), registration_id=reg.pk, amount=6_500_000, reference=reg.deposit_reference
            )
            regs.append(reg)
        clock.shift(auction.registration_closes_at - clock.now() + datetime.timedelta(minutes=1))
        services.auction_registration_close(actor=_board(), auction_id=auction.pk)
        services.auction_deposits_check(actor=_board(), auction_id=auction.pk)
        for reg in regs:
            services.registration_decide(
                actor=_board(), registration_id=reg.pk, eligible=True, note="Hồ sơ hợp lệ"
            )
        services.auction_bidders_fix(actor=_board(), auction_id=auction.pk)
        clock.shift(auction.session_start - clock.now())
        services.auction_start(actor=_board(), auction_id=auction.pk)
        a, b, c = regs
        for reg, amount, minutes in (
            (a, 40_000_000, 1),
            (b, 41_000_000, 2),
            (c, 43_000_000, 3),
            (a, 44_000_000, 5),
            (b, 46_000_000, 8),
        ):
            clock.shift(
                datetime.timedelta(minutes=minutes)
                - (clock.now() - Auction.objects.get(pk=auction.pk).started_at)
            )
            services.bid_place(actor=_board(), auction_id=auction.pk, registration_id=reg.pk, amount=amount)
        clock.shift(datetime.timedelta(minutes=1))
        services.bid_withdraw(
            actor=_board(), auction_id=auction.pk, registration_id=b.pk
        )  # continues from a's 44.000.000
        clock.shift(datetime.timedelta(minutes=2))
        services.bid_place(actor=_board(), auction_id=auction.pk, registration_id=c.pk, amount=45_000_000)
        clock.shift(Auction.objects.get(pk=auction.pk).ends_at - clock.now() + datetime.timedelta(seconds=1))
        services.auction_close(actor=_board(), auction_id=auction.pk)
        services.auction_record_sign(actor=_board(), auction_id=auction.pk, record_number="03")
        services.auction_results_send(actor=_board(), auction_id=auction.pk)
        services.deposit_refund(actor=_board(), registration_id=a.pk, reference="HOAN-DG-01")
        clock.shift(datetime.timedelta(days=5))
        services.auction_contract_sign(
            actor=_board(),
            auction_id=auction.pk,
            number="HĐ-12/2026/TT-LD-02",
            signed_on=clock.today(),
            starts_on=clock.today() + datetime.timedelta(days=1),
        )
    finally:
        clock.reset()


def load_demo(stdout=None) -> str:
    from cuakhau.core.service import batch

    with batch():  # all or nothing, and inside the transaction `cuakhau demo load` gives each loader
        _assets()
        _leases()
        _open_auction()
        _finished_auction()
    return (
        f"{Asset.objects.count()} assets, {Lease.objects.count()} leases, {Auction.objects.count()} auctions"
    )
