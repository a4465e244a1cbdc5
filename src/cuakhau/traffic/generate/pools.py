"""The synthetic enterprises, trucks and drivers that trips are drawn from, reused by later runs."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

SYNTHETIC = "[synthetic]"
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Hoàng", "Vi", "Lương", "Nông", "Hà", "Lăng", "Vy"]
MIDDLE = ["Văn", "Đức", "Minh", "Thị", "Quang", "Hữu", "Thanh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Long", "Nam", "Phong", "Quân", "Sơn", "Tuấn", "Việt"]
CN_NAMES = ["李伟", "王强", "张磊", "刘洋", "陈军", "杨勇", "黄涛", "赵斌", "周杰", "吴刚", "韦东", "农海"]
TRADES = ["Thương mại", "Xuất nhập khẩu", "Nông sản", "Logistics", "Vận tải", "Đầu tư và Thương mại"]
PLACES = ["Đồng Đăng", "Kỳ Lừa", "Hữu Nghị", "Tân Thanh", "Chi Lăng", "Cao Lộc", "Xứ Lạng", "Mẫu Sơn"]


@dataclass
class Pools:
    enterprises: list[tuple[int, int, str]]  # (enterprise pk, unit pk, name)
    vehicles: dict[str, list[tuple[int, str, str]]]  # country -> [(pk, plate, plate_key)]
    drivers: dict[int, int]  # vehicle pk -> driver pk


def _tax_codes(n: int) -> list[str]:
    """`n` valid tax codes 491xxxxxxc (a base whose check digit would be 10 has no valid code)."""
    from stdnum.vn import mst

    codes, i = [], 0
    while len(codes) < n:
        i += 1
        base = f"491{i:06d}"
        check = mst.calc_check_digit(base)
        if len(check) == 1:
            codes.append(base + check)
    return codes


def ensure_pools(*, vehicles_per_day: int, rnd: random.Random) -> Pools:
    """Synthetic enterprises (through the parties service, so each has its unit), trucks and drivers
    (in bulk), reused by later runs."""
    from cuakhau.parties.models import Driver, Enterprise, Vehicle
    from cuakhau.parties.plates import parse_plate
    from cuakhau.parties.selectors import driver_ids_by_id_number
    from cuakhau.parties.services import enterprise_register

    n_enterprises = max(12, min(400, vehicles_per_day // 8))
    existing = {e.tax_code: e for e in Enterprise.objects.filter(tax_code__startswith="491")}
    enterprises = []
    for i, code in enumerate(_tax_codes(n_enterprises), start=1):
        e = existing.get(code)
        if e is None:
            name = f"Công ty TNHH {TRADES[i % len(TRADES)]} {PLACES[i % len(PLACES)]} {i:03d} {SYNTHETIC}"
            e = enterprise_register(
                actor=None, tax_code=code, name=name, address="Lạng Sơn (dữ liệu giả lập)"
            )
        enterprises.append((e.pk, e.unit_id, e.name))

    n_vehicles = max(60, vehicles_per_day * 2)
    wanted = []
    for i in range(n_vehicles):
        if i % 10 < 7:  # Vietnamese trucks, Lạng Sơn and other provinces
            province = ("12", "12", "12", "29", "14", "98", "20", "15")[i % 8]
            series = "CDH"[i % 3]
            n = 10000 + i
            wanted.append(("VN", f"{province}{series}-{n // 100:03d}.{n % 100:02d}"))
        else:  # Guangxi trucks
            letter = "FPAKB"[i % 5]
            wanted.append(("CN", f"桂{letter}·{10000 + i:05d}"))
    plates = {parse_plate(p).key: (c, parse_plate(p).display) for c, p in wanted}
    have = set(Vehicle.objects.filter(plate_key__in=list(plates)).values_list("plate_key", flat=True))
    new = []
    for key, (country, display) in plates.items():
        if key not in have:
            owner = enterprises[rnd.randrange(len(enterprises))][0]
            new.append(
                Vehicle(
                    plate=display,
                    plate_key=key,
                    country=country,
                    kind="truck",
                    tonnage=Decimal(rnd.choice((15, 20, 25, 30, 34))),
                    owner_id=owner,
                )
            )
    Vehicle.objects.bulk_create(new, batch_size=2000)
    vehicles: dict[str, list] = {"VN": [], "CN": []}
    owners = {}
    for pk, plate, key, country, owner in Vehicle.objects.filter(plate_key__in=list(plates)).values_list(
        "pk", "plate", "plate_key", "country", "owner_id"
    ):
        vehicles[country].append((pk, plate, key))
        owners[pk] = owner
    numbers = [f"SYN{pk:09d}" for items in vehicles.values() for pk, _p, _k in items]
    drivers = driver_ids_by_id_number(numbers)
    new_drivers = []
    for country, items in vehicles.items():
        for pk, _plate, _key in items:
            number = f"SYN{pk:09d}"
            if number not in drivers:
                if country == "VN":
                    name = f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
                    kind, nationality = "cccd", "VN"
                else:
                    name, kind, nationality = rnd.choice(CN_NAMES), "cn_id", "CN"
                new_drivers.append(
                    Driver(
                        full_name=name,
                        id_kind=kind,
                        id_number=number,
                        nationality=nationality,
                        employer_id=owners.get(pk),
                    )
                )
    Driver.objects.bulk_create(new_drivers, batch_size=2000)
    by_number = driver_ids_by_id_number(numbers)
    return Pools(
        enterprises=enterprises,
        vehicles={k: sorted(v) for k, v in vehicles.items()},
        drivers={pk: by_number[f"SYN{pk:09d}"] for items in vehicles.values() for pk, _p, _k in items},
    )
