"""Rules of a trip that several parts of traffic read (not writes)."""

from __future__ import annotations

from .models import CHECK_AGENCIES, Declaration, GoodsKind, goods_kind


def checks_needed(declaration: Declaration) -> list[str]:
    """The agencies a trip passes through (Decree 08/2015/ND-CP; Law on Plant Protection and
    Quarantine 2013; Law on Veterinary Medicine 2015; Decree 89/2018/ND-CP on border health
    quarantine): customs and border guard for every trip, the medical check of the driver, plant
    quarantine when a line is agricultural goods or vegetables, animal quarantine for live animals."""
    kinds = {goods_kind(code) for code in declaration.lines.values_list("hs_code", flat=True)}
    needed = ["customs", "border_guard", "medical_quarantine"]
    if kinds & {GoodsKind.AGRICULTURAL, GoodsKind.VEGETABLES}:
        needed.append("plant_quarantine")
    if GoodsKind.LIVE_ANIMALS in kinds:
        needed.append("animal_quarantine")
    return [k for k in CHECK_AGENCIES if k in needed]
