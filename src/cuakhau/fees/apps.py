from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeesConfig(AppConfig):
    name = "cuakhau.fees"
    label = "fees"
    verbose_name = _("Phí hạ tầng cửa khẩu")

    def ready(self) -> None:
        from cuakhau.core.dashboard import register as register_card
        from cuakhau.core.loaders import register_demo, register_generator, register_reference

        from .reference import dashboard_cards, load_tariffs

        register_reference("tariffs", load_tariffs, order=30)
        register_card(dashboard_cards, order=40)
        register_generator("fees", "cuakhau.fees.generate.generate_receipts", order=20)

        from .demo import load_demo

        register_demo("fees", load_demo, order=40)
