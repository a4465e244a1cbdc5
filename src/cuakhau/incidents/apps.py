from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "cuakhau.incidents"
    label = "incidents"
    verbose_name = _("An ninh, trật tự, vệ sinh tại khu vực cửa khẩu")

    def ready(self) -> None:
        from cuakhau.core import navigation, policy

        from . import actions, permissions  # noqa: F401 (actions: the workflow and its audit names)

        policy.register("incidents", permissions)
        navigation.register(
            navigation.Module(
                "incidents",
                _("An ninh, trật tự, vệ sinh"),
                "incidents:list",
                "incidents.open",
                order=80,
                issue="#6",
                description=_(
                    "Vụ việc tại khu vực cửa khẩu: tiếp nhận, phân loại, chuyển lực lượng, theo dõi đến khi xong."
                ),
            )
        )
        from cuakhau.core.dashboard import register as register_card
        from cuakhau.core.loaders import register_demo

        from .dashboard import dashboard_cards
        from .demo import load_demo

        register_demo("incidents", load_demo, order=60)
        register_card(dashboard_cards, order=60)

        from .personal_data import register as register_personal_data

        register_personal_data()
