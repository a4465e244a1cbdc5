from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "cuakhau.parties"
    label = "parties"
    verbose_name = _("Doanh nghiệp, phương tiện, lái xe")

    def ready(self) -> None:
        from cuakhau.core import navigation, policy

        from . import actions, permissions  # noqa: F401  (actions: the audit actions register)

        policy.register("parties", permissions)
        navigation.register(
            navigation.Module(
                "parties",
                _("Doanh nghiệp, phương tiện, lái xe"),
                "parties:index",
                "parties.open",
                order=20,
                issue="",
                description="",
            )
        )
        from cuakhau.core.dashboard import register as register_card
        from cuakhau.core.loaders import register_demo

        from .dashboard import dashboard_cards
        from .demo import load_demo

        register_demo("parties", load_demo, order=20)
        register_card(dashboard_cards, order=20)

        from .personal_data import register as register_personal_data

        register_personal_data()
