from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "cuakhau.procedures"
    label = "procedures"
    verbose_name = _("Thủ tục hành chính một cửa")

    def ready(self) -> None:
        from cuakhau.core import navigation, policy

        from . import actions, permissions  # noqa: F401 (actions: the workflow and its audit names)

        policy.register("procedures", permissions)
        navigation.register(
            navigation.Module(
                "procedures",
                _("Thủ tục hành chính"),
                "procedures:index",
                "procedures.open",
                order=110,
                issue="#8",
                description=_(
                    "Một cửa: hồ sơ trực tuyến, hạn giải quyết theo ngày làm việc, tra cứu công khai."
                ),
            )
        )
        from cuakhau.core.dashboard import register as register_card
        from cuakhau.core.loaders import register_demo, register_reference

        from .catalogue import load_catalogue
        from .dashboard import dashboard_cards
        from .demo import load_demo

        register_reference("procedures", load_catalogue, order=90)
        register_demo("procedures", load_demo, order=90)
        register_card(dashboard_cards, order=90)

        from .personal_data import register as register_personal_data

        register_personal_data()
        _register_sealed_rows()


def _register_sealed_rows() -> None:
    """A dossier's decision (status, result, reasons, fee) and each step of its history are sealed by
    the audit chain (core.sealed_rows): `cuakhau audit verify` names a decision edited in the database."""
    from cuakhau.core import sealed_rows

    from .models import Dossier, DossierEvent

    sealed_rows.register(
        Dossier,
        fields=[
            "code",
            "version",
            "status",
            "fee_amount",
            "processed_at",
            "returned_at",
            "result_summary",
            "refuse_reason",
            "stop_reason",
        ],
        describe=lambda v: v["code"],
    )
    sealed_rows.register(
        DossierEvent,
        fields=["dossier", "action", "from_status", "to_status", "actor", "public_note", "at"],
        sealed_by=lambda v: ("procedures.dossier", v["dossier_id"]),
    )
