from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cuakhau.core"
    label = "core"
    verbose_name = _("Nền tảng")

    def ready(self) -> None:
        from . import permissions, policy

        policy.register("core", permissions)
        # Each app's workflows and audit actions (core.actions), registered before any request.
        autodiscover_modules("actions")
        from . import audit_names, checks, signals  # noqa: F401  (core audit actions; checks; login audit)
        from .dashboard import register as register_card
        from .loaders import register_demo, register_reference
        from .reference import dashboard_cards, load_demo_installation, load_demo_users, load_units
        from .workcal.reference import load_holidays

        register_reference("units", load_units, order=10)
        register_reference("holidays", load_holidays, order=15)
        register_demo("installation", load_demo_installation, order=0)
        register_demo("users", load_demo_users, order=10)
        register_card(dashboard_cards, order=90)
