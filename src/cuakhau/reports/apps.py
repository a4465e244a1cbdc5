from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "cuakhau.reports"
    label = "reports"
    verbose_name = _("Báo cáo")

    def ready(self) -> None:
        from cuakhau.core.loaders import register_demo

        from .demo import load_demo

        register_demo("reports", load_demo, order=80)
