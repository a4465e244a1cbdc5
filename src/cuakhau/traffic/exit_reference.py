"""The zone's first exit rules, loaded with the reference data (`cuakhau reference load`): every gate
gets one from the day it is loaded, so no gate runs on the default unseen. The main road gates, where
the centres collect at a counter and by VietQR at the barrier, want the fee paid before a truck
leaves; the smaller gates let enterprises with a deposit or an approved debt limit leave owing. The
Board changes them on the exit rules page (services.exit_rule_set). Idempotent: a gate that has any
rule is left as it is."""

from __future__ import annotations

from django.utils import timezone

from cuakhau.gates.models import Gate

from .models import ExitMode, GateExitRule
from .services import exit_rule_set

MUST_PAY_GATES = frozenset({"HUUNGHI", "ROUTE_1119_1120", "TANTHANH", "DONGDANG_RAIL"})
DECISION = "Quy định ban đầu khi đưa hệ thống vào sử dụng (dữ liệu tham chiếu)"


def load_exit_rules(stdout=None) -> str:
    created = 0
    for gate in Gate.objects.filter(is_active=True).order_by("sort_order", "code"):
        if GateExitRule.objects.filter(gate=gate).exists():
            continue
        exit_rule_set(
            actor=None,
            gate=gate,
            mode=ExitMode.MUST_PAY if gate.code in MUST_PAY_GATES else ExitMode.DEPOSIT_OR_CREDIT,
            effective_from=timezone.localdate(),
            decision=DECISION,
        )
        created += 1
    return f"{created} gate exit rules created"
