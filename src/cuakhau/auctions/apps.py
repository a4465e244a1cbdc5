from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuctionsConfig(AppConfig):
    name = "cuakhau.auctions"
    label = "auctions"
    verbose_name = _("Đấu giá quyền thuê tài sản")

    def ready(self) -> None:
        from cuakhau.core.dashboard import register as register_card
        from cuakhau.core.loaders import register_demo, register_reference

        from .dashboard import dashboard_cards
        from .demo import load_demo
        from .rules import load_rule_packs

        register_reference("auction_rules", load_rule_packs, order=95)
        register_demo("assets_auctions", load_demo, order=95)
        register_card(dashboard_cards, order=96)
