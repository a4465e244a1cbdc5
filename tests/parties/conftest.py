import pytest
from django.utils import timezone

from cuakhau.core.roles import Role
from cuakhau.parties import services
from cuakhau.parties.models import IdKind, VehicleKind
from tests.factories import EnterpriseFactory, GateFactory, UserFactory, enterprise_user, user_at_gate


class World:
    """Two enterprises (A, B) with a vehicle and a driver each, a customs agent C acting for A, a
    Chinese truck with no owner, and one user per role."""


@pytest.fixture
def world(db):
    w = World()
    w.a = EnterpriseFactory(name="Công ty A")
    w.b = EnterpriseFactory(name="Công ty B")
    w.c = EnterpriseFactory(name="Đại lý C", is_customs_agent=True)
    w.mandate = services.mandate_grant(actor=None, agent=w.c, client=w.a, valid_from=timezone.localdate())
    w.vehicle_a = services.vehicle_register(actor=None, plate="12C-111.11", kind=VehicleKind.TRUCK, owner=w.a)
    w.vehicle_b = services.vehicle_register(actor=None, plate="12C-222.22", kind=VehicleKind.TRUCK, owner=w.b)
    w.vehicle_cn = services.vehicle_register(actor=None, plate="桂F·12345", kind=VehicleKind.TRUCK)
    w.driver_account = UserFactory(role=Role.DRIVER, unit=w.a.unit)
    w.driver_a = services.driver_register(
        actor=None,
        full_name="Hà Văn Sơn",
        id_kind=IdKind.CCCD,
        id_number="001234567889",
        employer=w.a,
        user=w.driver_account,
    )
    w.driver_b = services.driver_register(
        actor=None, full_name="Lục Văn Bình", id_kind=IdKind.CCCD, id_number="020085005678", employer=w.b
    )
    w.gate = GateFactory()
    w.users = {
        "board_leader": UserFactory(role=Role.BOARD_LEADER),
        "department_staff": UserFactory(role=Role.DEPARTMENT_STAFF),
        "admin": UserFactory(role=Role.ADMIN),
        "gate_operator": user_at_gate(Role.GATE_OPERATOR, w.gate),
        "gate_cashier": user_at_gate(Role.GATE_CASHIER, w.gate),
        "agency_officer": user_at_gate(Role.AGENCY_OFFICER, w.gate),
        "inspector": UserFactory(role=Role.INSPECTOR),
        "provincial_leader": UserFactory(role=Role.PROVINCIAL_LEADER),
        "user_a": enterprise_user(w.a),
        "user_b": enterprise_user(w.b),
        "user_c": enterprise_user(w.c),
        "driver_a": w.driver_account,
    }
    return w
