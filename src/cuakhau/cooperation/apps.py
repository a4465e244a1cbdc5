from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cuakhau.cooperation"
    label = "cooperation"
    verbose_name = _("Hợp tác với Quảng Tây")

    def ready(self) -> None:
        from cuakhau.core import navigation, policy

        from . import (
            actions,  # noqa: F401 (the workflow and audit actions register)
            permissions,
        )

        policy.register("cooperation", permissions)
        navigation.register(
            navigation.Module(
                "cooperation",
                _("Hợp tác với Quảng Tây"),
                "cooperation:index",
                "cooperation.open",
                order=90,
                issue="#6",
                description=_("Đối tác, hội đàm, thỏa thuận và cam kết với phía Quảng Tây (Trung Quốc)."),
            )
        )
        from cuakhau.core.dashboard import register as register_card
        from cuakhau.core.loaders import register_demo

        from .dashboard import dashboard_cards
        from .demo import load_demo

        register_demo("cooperation", load_demo, order=60)
        register_card(dashboard_cards, order=61)
