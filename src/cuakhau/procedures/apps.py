from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "cuakhau.procedures"
    label = "procedures"
    verbose_name = _("Thủ tục hành chính một cửa")

    def ready(self) -> None:
        from cuakhau.core.dashboard import register as register_card
        from cuakhau.core.loaders import register_demo, register_reference

        from .catalogue import load_catalogue
        from .dashboard import dashboard_cards
        from .demo import load_demo

        register_reference("procedures", load_catalogue, order=90)
        register_demo("procedures", load_demo, order=90)
        register_card(dashboard_cards, order=90)

        from .personal_data import register as register_personal_data

        register_personal_data()
