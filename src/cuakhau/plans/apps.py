from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "cuakhau.plans"
    label = "plans"
    verbose_name = _("Kế hoạch, nhiệm vụ, chỉ đạo, đánh giá phục vụ")

    def ready(self) -> None:
        from cuakhau.core import navigation, policy

        from . import (
            actions,  # noqa: F401 (the workflows and audit actions register)
            permissions,
        )

        policy.register("plans", permissions)
        navigation.register(
            navigation.Module(
                "plans",
                _("Kế hoạch & nhiệm vụ"),
                "plans:index",
                "plans.open",
                order=70,
                issue="#6",
                description=_("Kế hoạch công tác năm, nhiệm vụ trọng tâm, đánh giá; chỉ đạo của lãnh đạo."),
            )
        )
        from cuakhau.core.dashboard import register as register_card
        from cuakhau.core.loaders import register_demo

        from .dashboard import dashboard_cards
        from .demo import load_demo

        register_demo("plans", load_demo, order=50)
        register_card(dashboard_cards, order=50)
