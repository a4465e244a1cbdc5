from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeesConfig(AppConfig):
    name = "cuakhau.fees"
    label = "fees"
    verbose_name = _("Phí hạ tầng cửa khẩu")

    def ready(self) -> None:
        from cuakhau.core import navigation, policy

        from . import actions, permissions, tariff_cache  # noqa: F401 (the workflow, the cache's signals)

        policy.register("fees", permissions)
        navigation.register(
            navigation.Module(
                "fees",
                _("Phí hạ tầng & biên lai"),
                "fees:home",
                "fees.open",
                order=40,
                issue="#4",
                description=_(
                    "Biểu phí theo nghị quyết, biên lai điện tử, thanh toán VietQR, đối soát, doanh thu."
                ),
            )
        )
        from cuakhau.core.dashboard import register as register_card
        from cuakhau.core.loaders import register_demo, register_generator, register_reference

        from .reference import dashboard_cards, load_tariffs

        register_reference("tariffs", load_tariffs, order=30)
        register_card(dashboard_cards, order=40)
        register_generator("fees", "cuakhau.fees.generate.generate_receipts", order=20)

        from .demo import load_demo

        register_demo("fees", load_demo, order=40)
        _register_sealed_rows()


def _register_sealed_rows() -> None:
    """The fees rows that carry money: the chain seals their legal fields (core.sealed_rows), so
    `cuakhau audit verify` names a receipt, payment or assessment edited in the database."""
    from cuakhau.core import sealed_rows

    from .documents import signed_xml_problems
    from .models import FeeAssessment, Payment, Receipt

    sealed_rows.register(
        Receipt,
        fields=[
            "series",
            "number",
            "form_symbol",
            "symbol",
            "name",
            "check_code",
            "assessment",
            "gate",
            "payer_unit",
            "collector_name",
            "collector_tax_code",
            "payer_name",
            "payer_tax_code",
            "payer_address",
            "lines",
            "amount",
            "amount_words",
            "method",
            "issued_at",
            "issued_on",
            "issued_by",
            "status",
            "replaces",
            "replace_reason",
        ],
        digest_fields=["signed_xml"],
        check=signed_xml_problems,
        describe=lambda v: f"{v['form_symbol']} {v['symbol']} {v['number']:08d}",
    )
    # A payment is sealed by its receipt's event (or its own, for a deposit).
    sealed_rows.register(
        Payment,
        fields=[
            "method",
            "amount",
            "assessment",
            "receipt",
            "gate",
            "payer_unit",
            "is_deposit",
            "reference",
            "statement_line",
            "shift",
            "received_at",
        ],
        sealed_by=lambda v: (
            ("fees.receipt", str(v["receipt_id"])) if v["receipt_id"] else ("fees.payment", str(v["pk"]))
        ),
    )
    # Its status moves by queryset updates (paid, exempt) and is shown by the receipt; what is sealed
    # is what was charged, to whom and why.
    sealed_rows.register(
        FeeAssessment,
        fields=[
            "source",
            "source_id",
            "gate",
            "payer_unit",
            "charged_on",
            "tariff",
            "tariff_code",
            "tariff_version",
            "flow",
            "rule_key",
            "amount",
            "payment_reference",
        ],
        describe=lambda v: v["payment_reference"],
    )
