from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "cuakhau.assets"
    label = "assets"
    verbose_name = _("Tài sản cho thuê: nhà dịch vụ, lô đất, hợp đồng thuê")

    def ready(self) -> None:
        from cuakhau.core import policy

        from . import actions, permissions  # noqa: F401 - actions registers the audit names

        policy.register("assets", permissions)
        from cuakhau.core.dashboard import register as register_card

        from .dashboard import dashboard_cards

        register_card(dashboard_cards, order=95)
        _register_sealed_rows()


def _register_sealed_rows() -> None:
    """Rent payments carry money: the audit chain seals them (core.sealed_rows), sealed by the event of
    their instalment."""
    from cuakhau.core import sealed_rows

    from .models import RentPayment

    sealed_rows.register(
        RentPayment,
        fields=["instalment", "amount", "paid_on", "reference", "recorded_by", "recorded_at"],
        sealed_by=lambda v: ("assets.rentinstalment", v["instalment_id"]),
    )
