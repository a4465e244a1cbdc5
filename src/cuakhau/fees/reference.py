"""The two tariffs the product ships, loaded from copies of the project's shared data (data/):
Cao Bằng 39/2019 complete, and Lạng Sơn 09/2025 with the published rules plus a demo table for the rows
not yet published (every such row is marked `is_demo` and shown as "giá trị minh họa")."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

from .models import MixedLoadRule, RuleKind, Tariff
from .services import resolution_ensure, tariff_create

DATA = Path(__file__).resolve().parent / "data"

AGRI = ["agricultural", "vegetables"]
# Cao Bằng's three cases. Case 2 ("transit and foreign origin") covers goods in transit or transshipment and
# exports of goods of foreign origin; case 3's 25,000 row covers Vietnamese farm produce and live animals
# exported, or imports subject to tax (two rules, since the two halves differ in flow and condition).
CB_FLOW_GROUPS = {
    "temporary_import_reexport_and_bonded_warehouse": [
        ("1", {"flows": ["temp_import_reexport", "bonded"]}, "Hàng tạm nhập tái xuất, gửi kho ngoại quan"),
    ],
    "transit_and_foreign_origin": [
        ("2a", {"flows": ["transit", "transshipment"]}, "Hàng quá cảnh, chuyển khẩu"),
        ("2b", {"flows": ["export"], "origin": "foreign"}, "Hàng xuất khẩu có xuất xứ nước ngoài"),
    ],
    "ordinary_export_import": [("3", {"flows": ["export", "import"]}, "Hàng xuất khẩu, nhập khẩu")],
}
CB_SPLIT_GOODS = {
    "vietnamese_agricultural_live_animals_poultry_export_or_taxable_import": [
        (
            "3a",
            {"flows": ["export"], "origin": "vn", "goods": ["agricultural", "vegetables", "live_animals"]},
            "Nông sản, gia súc, gia cầm sống xuất xứ Việt Nam xuất khẩu",
            "vn-agri-export",
        ),
        ("3b", {"flows": ["import"], "taxable": True}, "Hàng nhập khẩu chịu thuế", "taxable-import"),
    ],
}
CB_GOODS = {
    "any": ([], "", "mọi loại hàng"),
    "other": ([], "other", "các mặt hàng khác"),
    "fuel": (["fuel"], "fuel", "xăng dầu"),
    "agricultural": (AGRI, "agri", "nông sản"),
}
CB_VEHICLES = {
    "container_40ft": (["container_40"], "c40", "container 40 feet"),
    "container_20ft": (["container_20"], "c20", "container 20 feet"),
    "other_vehicle": ([], "other-vehicle", "phương tiện khác"),
    "any": ([], "", ""),
    "vehicle_18t_or_more_or_container_40ft": (
        ["18t_plus", "container_40"],
        "18t-c40",
        "xe từ 18 tấn trở lên hoặc container 40 feet",
    ),
    "vehicle_10t_to_under_18t_or_container_20ft": (
        ["10t_18t", "container_20"],
        "10t-c20",
        "xe từ 10 đến dưới 18 tấn hoặc container 20 feet",
    ),
}
CB_PRECEDENCE_NOTE = "Quy tắc nông sản được ưu tiên hơn quy tắc container (Nghị quyết 39/2019, mục 2)."


def _precedence(goods: list[str], vehicles: list[str]) -> int:
    # Specific goods rules beat container rules, which beat per-tonne rules by goods, which beat the rest.
    if goods and set(goods) & {"agricultural", "live_animals"}:
        return 30
    if any(v.startswith("container") for v in vehicles):
        return 20
    return 10 if goods else 0


def cao_bang_rules() -> tuple[list[dict], str]:
    rules: list[dict] = []
    mixed = MixedLoadRule.HIGHEST_DECLARED_VALUE
    with (DATA / "caobang_39_2019.csv").open(encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            source = f"caobang_39_2019.csv, dòng {line}"
            if row["goods"] == "mixed_load":
                mixed = MixedLoadRule.HIGHEST_DECLARED_VALUE
                continue
            vehicles, vslug, vlabel = CB_VEHICLES[row["vehicle_or_unit"]]
            variants = []
            if row["goods"] in CB_SPLIT_GOODS:
                for section, cond, label, slug in CB_SPLIT_GOODS[row["goods"]]:
                    variants.append((section, cond, label, slug))
            else:
                goods, gslug, glabel = CB_GOODS[row["goods"]]
                for section, cond, label in CB_FLOW_GROUPS[row["goods_flow"]]:
                    variants.append(
                        (section, cond | ({"goods": goods} if goods else {}), f"{label}: {glabel}", gslug)
                    )
            for section, cond, label, gslug in variants:
                goods = cond.get("goods", [])
                key = "-".join(p for p in ("cb", section, gslug, vslug) if p)
                full_label = f"{label}, {vlabel}" if vlabel else label
                rules.append(
                    {
                        "key": key,
                        "section": section,
                        "label": full_label,
                        "kind": RuleKind.RATE,
                        "flows": cond["flows"],
                        "goods": goods,
                        "vehicle_classes": vehicles,
                        "origin": cond.get("origin", ""),
                        "taxable": cond.get("taxable"),
                        "basis": row["basis"],
                        "amount": int(row["amount_vnd"]),
                        "precedence": 10 if section in ("3a", "3b") else _precedence(goods, vehicles),
                        "source": source,
                    }
                )
    return rules, mixed


def lang_son_rules() -> tuple[list[dict], int | None]:
    """The published figures of 09/2025 (not demo) and the demo table for the rest (demo)."""
    rules: list[dict] = []
    cap = None
    published = {
        "export_fresh_vegetables": {
            "key": "ls-a-vegetables-under-2t",
            "section": "A",
            "label": "Xe dưới 2 tấn xuất khẩu rau, quả tươi",
            "flows": ["export"],
            "goods": ["vegetables"],
            "precedence": 30,
        },
        "temporary_import_reexport_agricultural": {
            "key": "ls-b-agri-c40",
            "section": "B",
            "label": "Container 40 feet hàng nông sản tạm nhập tái xuất",
            "flows": ["temp_import_reexport"],
            "goods": AGRI,
            "precedence": 30,
        },
        "ordinary_export_ore": {
            "key": "ls-h-ore-export",
            "section": "H",
            "label": "Xe xuất khẩu quặng: 5 lần mức thu cơ bản",
            "flows": ["export"],
            "goods": ["ore"],
        },
        "import_delivered_inland": {
            "key": "ls-h-import-inland",
            "section": "H",
            "label": "Xe nhập khẩu vào nội địa giao hàng: 130% mức thu",
            "flows": ["import"],
            "delivered_inland": True,
        },
        "transshipment_at_yard_only": {
            "key": "ls-h-transship-only",
            "section": "H",
            "label": "Xe chỉ sang tải tại bãi, không vào nội địa: 30% mức thu",
            "transship_only": True,
        },
    }
    vehicles = {"vehicle_under_2t": ["under_2t"], "container_40ft": ["container_40"], "any": []}
    with (DATA / "langson_09_2025_partial.csv").open(encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            source = f"langson_09_2025_partial.csv, dòng {line}"
            if row["basis"] == "cap_per_trip":
                cap = int(row["amount_vnd"])
                continue
            rule = dict(published[row["goods_flow"]]) | {
                "source": source,
                "vehicle_classes": vehicles[row["vehicle_or_unit"]],
            }
            if row["basis"] == "per_trip":
                rule |= {"kind": RuleKind.RATE, "basis": "per_trip", "amount": int(row["amount_vnd"])}
            else:
                factor = int(row["amount_vnd"])
                percent = factor * 100 if row["basis"] == "multiplier_of_basic_rate" else factor
                rule |= {"kind": RuleKind.MULTIPLIER, "multiplier_percent": percent}
            rules.append(rule)
    with (DATA / "langson_09_2025_demo.csv").open(encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            rules.append(
                {
                    "key": row["key"],
                    "section": row["section"],
                    "label": row["label"],
                    "kind": row["kind"],
                    "flows": row["flows"].split(),
                    "goods": row["goods"].split(),
                    "vehicle_classes": row["vehicle_classes"].split(),
                    "basis": row["basis"],
                    "amount": int(row["amount"]) if row["amount"] else None,
                    "precedence": int(row["precedence"]),
                    "is_demo": True,
                    "source": f"langson_09_2025_demo.csv, dòng {line} (giá trị minh họa)",
                }
            )
    order = {"A": 0, "B": 1, "C": 2, "H": 3}
    rules.sort(key=lambda r: order[r["section"]])
    return rules, cap


def load_tariffs() -> str:
    """Both tariffs, once: a tariff already loaded is kept as staff left it (its versions are history)."""
    created = kept = 0
    if Tariff.objects.filter(code="CB-39-2019").exists():
        kept += 1
    else:
        resolution = resolution_ensure(
            actor=None,
            number="39/2019/NQ-HĐND",
            council="Hội đồng nhân dân tỉnh Cao Bằng",
            title="Mức thu phí sử dụng công trình kết cấu hạ tầng, công trình dịch vụ, tiện ích công cộng "
            "trong khu vực cửa khẩu trên địa bàn tỉnh Cao Bằng",
            effective_from=datetime.date(2020, 1, 1),
            source="caobang_39_2019.csv (báo Hải quan)",
        )
        rules, mixed = cao_bang_rules()
        tariff_create(
            actor=None,
            resolution=resolution,
            code="CB-39-2019",
            name="Phí hạ tầng cửa khẩu tỉnh Cao Bằng",
            province="cao_bang",
            rules=rules,
            mixed_load_rule=mixed,
            change_note="Nạp từ Nghị quyết 39/2019/NQ-HĐND. " + CB_PRECEDENCE_NOTE,
        )
        created += 1
    if Tariff.objects.filter(code="LS-09-2025").exists():
        kept += 1
    else:
        resolution = resolution_ensure(
            actor=None,
            number="09/2025/NQ-HĐND",
            council="Hội đồng nhân dân tỉnh Lạng Sơn",
            title="Mức thu phí sử dụng công trình kết cấu hạ tầng, công trình dịch vụ, tiện ích công cộng "
            "trong khu vực cửa khẩu trên địa bàn tỉnh Lạng Sơn",
            signed_on=datetime.date(2025, 4, 28),
            effective_from=datetime.date(2025, 5, 8),
            replaces="01/2019/NQ-HĐND",
            source="langson_09_2025_partial.csv (báo chí)",
        )
        rules, cap = lang_son_rules()
        tariff_create(
            actor=None,
            resolution=resolution,
            code="LS-09-2025",
            name="Phí hạ tầng cửa khẩu tỉnh Lạng Sơn",
            province="lang_son",
            rules=rules,
            cap_per_trip=cap,
            mixed_load_rule=MixedLoadRule.HIGHEST_DECLARED_VALUE,
            change_note="Nạp các mức đã công bố của Nghị quyết 09/2025/NQ-HĐND; các dòng chưa công bố "
            "là giá trị minh họa, Ban cần nhập lại theo nghị quyết.",
        )
        created += 1
    return f"{created} created, {kept} kept"


def dashboard_cards(user):
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from cuakhau.core.dashboard import Card

    tariffs = list(Tariff.objects.for_user(user).in_force_on(timezone.localdate()).order_by("code"))
    if not tariffs:
        return []
    rows = [
        (f"{t.code} v{t.version}", _("có giá trị minh họa") if t.has_demo_values else _("đủ số liệu"))
        for t in tariffs
    ]
    return [
        Card(
            title=_("Biểu phí đang áp dụng"),
            value=len(tariffs),
            url=reverse("fees:tariff_list"),
            hint=_("Phí sử dụng hạ tầng cửa khẩu"),
            rows=rows,
        )
    ]
