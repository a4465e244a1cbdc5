from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "cuakhau.assets"
    label = "assets"
    verbose_name = _("Tài sản cho thuê: nhà dịch vụ, lô đất, hợp đồng thuê")

    def ready(self) -> None:
        from cuakhau.core.dashboard import register as register_card

        from .dashboard import dashboard_cards

        register_card(dashboard_cards, order=95)
