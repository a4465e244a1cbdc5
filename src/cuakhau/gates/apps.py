from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatesConfig(AppConfig):
    name = "cuakhau.gates"
    label = "gates"
    verbose_name = _("Cửa khẩu")

    def ready(self) -> None:
        from cuakhau.core import navigation, policy

        from . import permissions

        policy.register("gates", permissions)
        navigation.register(
            navigation.Module(
                "gates", _("Cửa khẩu"), "gates:list", "gates.open", order=10, issue="", description=""
            )
        )
        from cuakhau.core.dashboard import register as register_card
        from cuakhau.core.loaders import register_reference

        from .reference import dashboard_cards, load_gates

        register_reference("gates", load_gates, order=20)
        register_card(dashboard_cards, order=10)
