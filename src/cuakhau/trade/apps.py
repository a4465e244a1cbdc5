from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeConfig(AppConfig):
    name = "cuakhau.trade"
    label = "trade"
    verbose_name = _("Thống kê kim ngạch")

    def ready(self) -> None:
        from cuakhau.core import navigation, policy

        from . import permissions

        policy.register("trade", permissions)
        navigation.register(
            navigation.Module(
                "trade",
                _("Thống kê kim ngạch"),
                "trade:statistics",
                "trade.open",
                order=50,
                issue="#5",
                description=_("Kim ngạch xuất nhập khẩu theo cửa khẩu, loại hình, nhóm hàng; tăng trưởng."),
            )
        )
        from cuakhau.core import hooks
        from cuakhau.core.dashboard import register as register_card
        from cuakhau.core.loaders import register_demo, register_generator, register_reference

        from .dashboard import dashboard_cards
        from .demo import load_demo
        from .reference import load_reference
        from .tasks import on_trips_crossed

        register_reference("trade", load_reference, order=70)
        register_demo("trade", load_demo, order=70)
        register_card(dashboard_cards, order=70)
        register_generator("trade", "cuakhau.trade.synthetic.generate_customs_statistics", order=90)
        # The turnover computed from declarations follows the trips that cross (trade.tasks).
        hooks.listen(hooks.TRIPS_CROSSED, on_trips_crossed)
