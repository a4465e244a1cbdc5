from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "cuakhau.reports"
    label = "reports"
    verbose_name = _("Báo cáo")

    def ready(self) -> None:
        from cuakhau.core import navigation, policy

        from . import permissions

        policy.register("reports", permissions)
        navigation.register(
            navigation.Module(
                "reports",
                _("Báo cáo"),
                "reports:list",
                "reports.open",
                order=60,
                issue="#5",
                description=_("Báo cáo tổng kết năm theo thể thức Nghị định 30/2020, lập từ số liệu."),
            )
        )
        from cuakhau.core.loaders import register_demo

        from .demo import load_demo

        register_demo("reports", load_demo, order=80)
