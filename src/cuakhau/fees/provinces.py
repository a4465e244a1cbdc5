"""The provinces a tariff can belong to, keyed by the codes the tariffs use (`Tariff.province`): the
provinces with land border gates to China, west to east. A tariff is set by its province's People's Council
(Law on Fees and Charges 97/2015/QH13 art. 21), so the code says whose resolution it follows.

Hà Giang keeps its own code next to Tuyên Quang: since the 2025 rearrangement of provinces (Resolution
202/2025/QH15) its territory belongs to Tuyên Quang, but its People's Council's fee resolutions stay in force
until the new province replaces them, and a tariff entered from one of them is Hà Giang's. Lào Cai's code is
unchanged by its merger with Yên Bái. A zone on another border is added here (and its settings'
FEES_PROVINCE is always offered)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PROVINCES: tuple[tuple[str, str], ...] = (
    ("dien_bien", _("Điện Biên")),
    ("lai_chau", _("Lai Châu")),
    ("lao_cai", _("Lào Cai")),
    ("ha_giang", _("Hà Giang (nghị quyết của tỉnh trước khi hợp nhất vào Tuyên Quang)")),
    ("tuyen_quang", _("Tuyên Quang")),
    ("cao_bang", _("Cao Bằng")),
    ("lang_son", _("Lạng Sơn")),
    ("quang_ninh", _("Quảng Ninh")),
)


def province_choices(*, keep: str = "") -> list[tuple[str, str]]:
    """The choices of a tariff's province: the list above, the zone's province (settings) if it is not on it,
    and `keep` (a draft's present code) likewise, so that an existing tariff never loses its value."""
    from .selectors import zone_province

    choices = list(PROVINCES)
    for code in (zone_province(), keep):
        if code and code not in {c for c, _label in choices}:
            choices.append((code, code))
    return choices


def is_known(code: str) -> bool:
    return code in {c for c, _label in province_choices()}
