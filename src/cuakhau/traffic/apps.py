from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrafficConfig(AppConfig):
    name = "cuakhau.traffic"
    label = "traffic"
    verbose_name = _("Phương tiện qua cửa khẩu: tờ khai, điều tiết, bãi")

    def ready(self) -> None:
        from cuakhau.core import navigation, policy

        from . import actions, permissions  # noqa: F401  (actions: the workflows and audit actions)

        policy.register("traffic", permissions)
        navigation.register(
            navigation.Module(
                "traffic",
                _("Phương tiện & tờ khai"),
                "traffic:index",
                "traffic.open",
                order=30,
                issue="#3",
                description=_(
                    "Khai báo trước khi đến, điều tiết hàng chờ công khai, sự kiện ra vào bãi từ thiết bị."
                ),
            )
        )
        from cuakhau.core.dashboard import register as register_card
        from cuakhau.core.loaders import register_demo, register_generator, register_reference

        from .dashboard import dashboard_cards
        from .demo import load_demo
        from .exit_reference import load_exit_rules

        register_reference("exit_rules", load_exit_rules, order=35)

        register_demo("traffic", load_demo, order=30)
        register_card(dashboard_cards, order=30)
        register_generator("traffic", "cuakhau.traffic.generate.generate_trips", order=10)
