from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "cuakhau.plans"
    label = "plans"
    verbose_name = _("Kế hoạch, nhiệm vụ, chỉ đạo, đánh giá phục vụ")

    def ready(self) -> None:
        from cuakhau.core.dashboard import register as register_card
        from cuakhau.core.loaders import register_demo

        from .dashboard import dashboard_cards
        from .demo import load_demo

        register_demo("plans", load_demo, order=50)
        register_card(dashboard_cards, order=50)
        self._provide_to_reports()

    @staticmethod
    def _provide_to_reports() -> None:
        """The year-end report reads the province's evaluation and next year's tasks from here when
        both apps are installed (reports' registry; plans works without it)."""
        from django.apps import apps

        if not apps.is_installed("cuakhau.reports"):
            return
        from cuakhau.reports.registry import register

        from .selectors import key_task_counts, next_year_tasks

        register("task_evaluation", key_task_counts)
        register("next_tasks", next_year_tasks)
