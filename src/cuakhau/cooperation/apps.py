from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cuakhau.cooperation"
    label = "cooperation"
    verbose_name = _("Hợp tác với Quảng Tây")

    def ready(self) -> None:
        from cuakhau.core.dashboard import register as register_card
        from cuakhau.core.loaders import register_demo

        from .dashboard import dashboard_cards
        from .demo import load_demo

        register_demo("cooperation", load_demo, order=60)
        register_card(dashboard_cards, order=61)
