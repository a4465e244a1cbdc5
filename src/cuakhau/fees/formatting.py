"""Amounts and explanations as people read them: the tariff's labels, and numbers grouped in the reader's
language (cuakhau.core.l10n: 6.500.000 đ on Vietnamese pages, 6,500,000 VND on English ones)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from cuakhau.core.l10n import format_number
from cuakhau.core.l10n import format_vnd as format_vnd

from .engine import Assessment
from .models import Basis, GoodsKind, VehicleClass


def format_quantity(value: Decimal) -> str:
    """12 -> '12', 27.1 -> '27,1', 1234.5 -> '1.234,5' (no trailing zeros; '1,234.5' in English)."""
    return format_number(Decimal(value).normalize())


def explain(assessment: Assessment) -> list[str]:
    """The explanation, line by line: which tariff, rule, basis, quantity, multiplier and cap."""
    lines = [
        _("Biểu phí %(code)s, phiên bản %(version)s: %(name)s")
        % {
            "code": assessment.tariff_code,
            "version": assessment.tariff_version,
            "name": assessment.tariff_name,
        }
    ]
    if assessment.vehicle_class:
        lines.append(_("Loại phương tiện: %(v)s") % {"v": VehicleClass(assessment.vehicle_class).label})
    if assessment.mixed_load_note:
        lines.append(assessment.mixed_load_note)
    for part in assessment.parts:
        kind = GoodsKind(part.goods_kind).label if part.goods_kind else _("không khai loại hàng")
        lines.append(
            _("Quy tắc %(key)s — %(label)s (loại hàng: %(kind)s)")
            % {"key": part.rule_key, "label": part.rule_label, "kind": kind}
        )
        if part.exempt:
            lines.append(_("Miễn thu."))
            continue
        lines.append(
            _("%(qty)s × %(price)s (%(basis)s) = %(amount)s")
            % {
                "qty": format_quantity(part.quantity),
                "price": format_vnd(part.unit_price),
                "basis": Basis(part.basis).label,
                "amount": format_vnd(part.base_amount),
            }
        )
        for m in part.multipliers:
            lines.append(
                _("Hệ số %(percent)s%% — %(label)s (%(key)s)")
                % {"percent": m.percent, "label": m.label, "key": m.key}
            )
        if part.multipliers:
            lines.append(_("Sau hệ số: %(amount)s") % {"amount": format_vnd(part.amount)})
    if assessment.cap_applied:
        lines.append(
            _("Áp mức tối đa mỗi lượt %(cap)s (trước đó %(before)s).")
            % {"cap": format_vnd(assessment.cap), "before": format_vnd(assessment.amount_before_cap)}
        )
    if assessment.is_demo:
        lines.append(_("Có giá trị minh họa: mức thu chưa được Ban nhập theo nghị quyết."))
    return lines
