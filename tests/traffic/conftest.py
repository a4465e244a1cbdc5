import datetime

import pytest
from django.utils import timezone

from cuakhau.core.roles import AgencyKind, Role, UnitKind
from cuakhau.core.services.org import token_create
from cuakhau.parties import services as parties
from cuakhau.parties.models import IdKind, VehicleKind
from cuakhau.traffic.models import ExitMode, GateExitRule
from tests.factories import (
    EnterpriseFactory,
    GateFactory,
    UnitFactory,
    UserFactory,
    YardFactory,
    declaration_draft,
    enterprise_user,
    user_at_gate,
)


class Trip:
    """Gate G (with a border-gate yard) and gate H; enterprises A and B, customs agent C acting for A;
    a truck and a driver each; the gate's operator, agency officers and a device token; H's operator
    and device."""

    def draft(self, **kwargs):
        kwargs.setdefault("actor", self.users["user_a"])
        kwargs.setdefault("enterprise", self.a)
        kwargs.setdefault("vehicle", self.vehicle_a)
        kwargs.setdefault("driver", self.driver_a)
        kwargs.setdefault("gate", self.gate)
        return declaration_draft(**kwargs)


def _officer(gate, kind):
    unit = UnitFactory(kind=UnitKind.AGENCY, agency_kind=kind)
    gate.units.add(unit)
    return UserFactory(role=Role.AGENCY_OFFICER, unit=unit)


@pytest.fixture
def trip(db):
    t = Trip()
    t.gate = GateFactory(code="GATE_G", name="Cửa khẩu G")
    t.other_gate = GateFactory(code="GATE_H", name="Cửa khẩu H")
    t.yard = YardFactory(gate=t.gate, code="bai-g", name="Bãi G")
    # Gate G asks nothing of the fee when a truck leaves (the Board's "none" rule, from yesterday), so
    # the tests of declarations, checks and events cross without paying; the exit-rule tests set its
    # rule from today (test_exit_rules.py). Gate H has no rule: the default, must pay, applies.
    GateExitRule.objects.create(
        gate=t.gate,
        mode=ExitMode.OPEN,
        effective_from=timezone.localdate() - datetime.timedelta(days=1),
        decision="Thử nghiệm",
    )
    t.a = EnterpriseFactory(name="Công ty A")
    t.b = EnterpriseFactory(name="Công ty B")
    t.c = EnterpriseFactory(name="Đại lý C", is_customs_agent=True)
    parties.mandate_grant(actor=None, agent=t.c, client=t.a, valid_from=timezone.localdate())
    t.vehicle_a = parties.vehicle_register(
        actor=None, plate="12C-111.11", kind=VehicleKind.TRUCK, owner=t.a, tonnage="15"
    )
    t.vehicle_a2 = parties.vehicle_register(actor=None, plate="12C-111.12", kind=VehicleKind.TRUCK, owner=t.a)
    t.trailer_a = parties.vehicle_register(
        actor=None, plate="12R-001.23", kind=VehicleKind.SEMI_TRAILER, owner=t.a
    )
    t.vehicle_b = parties.vehicle_register(actor=None, plate="12C-222.22", kind=VehicleKind.TRUCK, owner=t.b)
    t.driver_account = UserFactory(role=Role.DRIVER, unit=t.a.unit)
    t.driver_a = parties.driver_register(
        actor=None,
        full_name="Hà Văn Sơn",
        id_kind=IdKind.CCCD,
        id_number="020085001234",
        employer=t.a,
        user=t.driver_account,
    )
    t.driver_b = parties.driver_register(
        actor=None, full_name="Lục Văn Bình", id_kind=IdKind.CCCD, id_number="020085005678", employer=t.b
    )
    t.users = {
        "board_leader": UserFactory(role=Role.BOARD_LEADER),
        "department_staff": UserFactory(role=Role.DEPARTMENT_STAFF),
        "admin": UserFactory(role=Role.ADMIN),
        "gate_operator": user_at_gate(Role.GATE_OPERATOR, t.gate),
        "gate_cashier": user_at_gate(Role.GATE_CASHIER, t.gate),
        "customs": _officer(t.gate, AgencyKind.CUSTOMS),
        "border_guard": _officer(t.gate, AgencyKind.BORDER_GUARD),
        "medical": _officer(t.gate, AgencyKind.MEDICAL_QUARANTINE),
        "plant": _officer(t.gate, AgencyKind.PLANT_QUARANTINE),
        "customs_h": _officer(t.other_gate, AgencyKind.CUSTOMS),
        "operator_h": user_at_gate(Role.GATE_OPERATOR, t.other_gate),
        "inspector": UserFactory(role=Role.INSPECTOR),
        "provincial_leader": UserFactory(role=Role.PROVINCIAL_LEADER),
        "user_a": enterprise_user(t.a),
        "user_b": enterprise_user(t.b),
        "user_c": enterprise_user(t.c),
        "driver_a": t.driver_account,
    }
    t.device = UserFactory(
        role=Role.GATE_OPERATOR,
        unit=t.users["gate_operator"].unit,
        username="camera-g",
        is_service_account=True,
    )
    t.token, t.secret = token_create(actor=None, user=t.device, name="Camera G")
    t.device_h = UserFactory(
        role=Role.GATE_OPERATOR, unit=t.users["operator_h"].unit, username="camera-h", is_service_account=True
    )
    t.token_h, t.secret_h = token_create(actor=None, user=t.device_h, name="Camera H")
    return t


@pytest.fixture
def approved(trip):
    """A's export trip through G, submitted and approved (checks: customs, border guard, medical, plant)."""
    from cuakhau.traffic import services

    d = trip.draft()
    services.declaration_submit(actor=trip.users["user_a"], declaration=d)
    return services.declaration_approve(actor=trip.users["gate_operator"], declaration=d)
