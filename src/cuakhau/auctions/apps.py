from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuctionsConfig(AppConfig):
    name = "cuakhau.auctions"
    label = "auctions"
    verbose_name = _("Đấu giá quyền thuê tài sản")

    def ready(self) -> None:
        from cuakhau.core import navigation, policy

        from . import actions, permissions  # noqa: F401 - actions registers the workflow and audit names

        policy.register("auctions", permissions)
        navigation.register(
            navigation.Module(
                "auctions",
                _("Tài sản & đấu giá"),
                "auctions:index",
                "auctions.open",
                order=100,
                issue="#7",
                description=_("Nhà dịch vụ, lô đất, hợp đồng thuê và đấu giá quyền thuê trực tuyến."),
            )
        )
        from cuakhau.core.dashboard import register as register_card
        from cuakhau.core.loaders import register_demo, register_reference

        from .dashboard import dashboard_cards
        from .demo import load_demo
        from .rules import load_rule_packs

        register_reference("auction_rules", load_rule_packs, order=95)
        register_demo("assets_auctions", load_demo, order=95)
        register_card(dashboard_cards, order=96)
        _register_sealed_rows()


def _register_sealed_rows() -> None:
    """Bids and deposit entries carry money: the audit chain seals them (core.sealed_rows), so
    `cuakhau audit verify` names one edited in the database."""
    from cuakhau.core import sealed_rows

    from .models import Bid, DepositEntry

    sealed_rows.register(
        Bid,
        fields=[
            "auction",
            "seq",
            "kind",
            "registration",
            "amount",
            "round",
            "withdraws_seq",
            "placed_at",
            "prev_hash",
            "hash",
        ],
        sealed_by=lambda v: ("auctions.auction", v["auction_id"]),
        describe=lambda v: f"auction {v['auction_id']} bid #{v['seq']}",
    )
    # Received from a statement, refunded, converted or forfeited: the event that follows is about the
    # registration, its auction, or the statement file (object type auctions.depositentry).
    sealed_rows.register(
        DepositEntry,
        fields=[
            "registration",
            "kind",
            "amount",
            "at",
            "due_on",
            "reason",
            "legal_basis",
            "reference",
            "recorded_by",
        ],
        context=["registration__auction_id"],
        sealed_by=lambda v: [
            ("auctions.registration", v["registration_id"]),
            ("auctions.auction", v["registration__auction_id"]),
            ("auctions.depositentry", "*"),
        ],
    )
