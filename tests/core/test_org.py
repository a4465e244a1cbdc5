"""Organisation: units, roles, scopes (for_user), user creation rules."""

import pytest
from django.http import Http404

from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent, Unit, User
from cuakhau.core.permissions import get_for_user_or_404, may_add
from cuakhau.core.roles import Role, UnitKind
from cuakhau.core.services import unit_upsert, user_create
from cuakhau.gates.models import Gate
from tests.factories import GateFactory, UnitFactory, UserFactory, user_at_gate

pytestmark = pytest.mark.django_db


def test_reference_units_and_gates_are_linked(reference_data):
    assert Gate.objects.count() == 9
    huunghi = Gate.objects.get(code="HUUNGHI")
    codes = set(huunghi.units.values_list("code", flat=True))
    assert {"ttqlck-huu-nghi", "hq-huu-nghi", "bp-huu-nghi", "kdyt-lang-son"} <= codes
    # Every gate is run by exactly one Border Gate Management Centre.
    for gate in Gate.objects.all():
        assert gate.units.filter(kind=UnitKind.GATE_CENTRE).count() == 1, gate.code
    # Agencies of all five kinds asked for by the issue exist.
    kinds = set(Unit.objects.filter(kind=UnitKind.AGENCY).values_list("agency_kind", flat=True))
    assert kinds >= {"customs", "border_guard", "medical_quarantine", "plant_quarantine", "traffic_police"}


def test_reference_load_is_idempotent(reference_data):
    from cuakhau.core.reference import load_units
    from cuakhau.gates.reference import load_gates

    before = (Unit.objects.count(), Gate.objects.count(), AuditEvent.objects.count())
    load_units()
    load_gates()
    assert (Unit.objects.count(), Gate.objects.count(), AuditEvent.objects.count()) == before


def test_gate_bound_user_acts_only_at_their_gates(reference_data):
    operator = UserFactory(role=Role.GATE_OPERATOR, unit=Unit.objects.get(code="ttqlck-huu-nghi"))
    assert set(Gate.objects.filter(pk__in=operator.gate_ids()).values_list("code", flat=True)) == {
        "HUUNGHI",
        "ROUTE_1119_1120",
    }
    customs = UserFactory(role=Role.AGENCY_OFFICER, unit=Unit.objects.get(code="hq-chi-ma"))
    assert set(Gate.objects.filter(pk__in=customs.gate_ids()).values_list("code", flat=True)) == {"CHIMA"}
    # A board leader is not gate-bound: the zone-wide scope does not go through gate ids.
    assert UserFactory(role=Role.BOARD_LEADER).gate_ids() == []


def test_units_scope_by_role(reference_data):
    leader = UserFactory(role=Role.BOARD_LEADER, unit=Unit.objects.get(code="ban-lanh-dao"))
    assert Unit.objects.for_user(leader).count() == Unit.objects.count()
    enterprise = UnitFactory(kind=UnitKind.ENTERPRISE, code="dn-a")
    other = UnitFactory(kind=UnitKind.ENTERPRISE, code="dn-b")
    ent_user = UserFactory(role=Role.ENTERPRISE_USER, unit=enterprise)
    assert list(Unit.objects.for_user(ent_user)) == [enterprise]
    with pytest.raises(Http404):
        get_for_user_or_404(Unit, ent_user, pk=other.pk)
    operator = UserFactory(role=Role.GATE_OPERATOR, unit=Unit.objects.get(code="ttqlck-huu-nghi"))
    visible = set(Unit.objects.for_user(operator).values_list("code", flat=True))
    assert "hq-huu-nghi" in visible and "hq-chi-ma" not in visible and "dn-a" not in visible
    # No duplicates although the scope crosses the gates relation.
    codes = list(Unit.objects.for_user(operator).values_list("code", flat=True))
    assert len(codes) == len(set(codes))


def test_read_only_roles_change_nothing(reference_data):
    for role in (Role.INSPECTOR, Role.PROVINCIAL_LEADER):
        user = UserFactory(role=role, unit=UnitFactory(kind=UnitKind.PROVINCIAL_LEADERSHIP))
        assert Gate.objects.for_user(user).count() == 9
        assert Gate.objects.for_user(user, "change").count() == 0
        assert not may_add(user, Gate)


def test_anonymous_and_inactive_users_see_nothing(reference_data):
    from django.contrib.auth.models import AnonymousUser

    assert Gate.objects.for_user(AnonymousUser()).count() == 0
    assert Gate.objects.for_user(None).count() == 0
    inactive = UserFactory(role=Role.BOARD_LEADER, is_active=False)
    assert Gate.objects.for_user(inactive).count() == 0


def test_gate_register_is_kept_by_departments():
    gate = GateFactory()
    staff = UserFactory(role=Role.DEPARTMENT_STAFF)
    operator = user_at_gate(Role.GATE_OPERATOR, gate)
    assert may_add(staff, Gate) and not may_add(operator, Gate)
    assert Gate.objects.for_user(staff, "change").filter(pk=gate.pk).exists()
    assert not Gate.objects.for_user(operator, "change").exists()


def test_user_create_checks_role_unit_and_password():
    dept = UnitFactory(kind=UnitKind.BOARD_DEPARTMENT)
    with pytest.raises(ServiceError) as err:
        user_create(
            actor=None, username="a1", password="Strong-pass-2026", role=Role.GATE_OPERATOR, unit=dept
        )
    assert "unit" in err.value.message_dict
    with pytest.raises(ServiceError) as err:
        user_create(actor=None, username="a2", password="12345", role=Role.DEPARTMENT_STAFF, unit=dept)
    assert "password" in err.value.message_dict
    with pytest.raises(ServiceError) as err:
        user_create(actor=None, username="a3", password="Strong-pass-2026", role="emperor", unit=dept)
    assert "role" in err.value.message_dict
    assert not User.objects.filter(username__in=["a1", "a2", "a3"]).exists()
    user = user_create(
        actor=None, username="a4", password="Strong-pass-2026", role=Role.DEPARTMENT_STAFF, unit=dept
    )
    assert user.check_password("Strong-pass-2026")
    event = AuditEvent.objects.get(action="core.user.create", object_id=str(user.pk))
    assert "password" not in event.after
    with pytest.raises(ServiceError):
        user_create(
            actor=None, username="A4", password="Strong-pass-2026", role=Role.DEPARTMENT_STAFF, unit=dept
        )


def test_unit_tax_code_is_checked():
    with pytest.raises(ServiceError) as err:
        unit_upsert(actor=None, code="dn-x", name="X", kind=UnitKind.ENTERPRISE, tax_code="0100233480")
    assert "tax_code" in err.value.message_dict
    unit = unit_upsert(actor=None, code="dn-y", name="Y", kind=UnitKind.ENTERPRISE, tax_code="0314409058-002")
    assert unit.tax_code == "0314409058002"


def test_only_an_administrator_manages_units_and_accounts():
    leader = UserFactory(role=Role.BOARD_LEADER)
    dept = UnitFactory(kind=UnitKind.BOARD_DEPARTMENT)
    with pytest.raises(ServiceError) as refused:
        user_create(
            actor=leader, username="x1", password="Strong-pass-2026", role=Role.DEPARTMENT_STAFF, unit=dept
        )
    assert refused.value.status == 403
    with pytest.raises(ServiceError) as refused:
        unit_upsert(actor=leader, code="p-x", name="X", kind=UnitKind.BOARD_DEPARTMENT)
    assert refused.value.status == 403
    assert not User.objects.filter(username="x1").exists() and not Unit.objects.filter(code="p-x").exists()
    admin = UserFactory(role=Role.ADMIN)
    created = user_create(
        actor=admin, username="x2", password="Strong-pass-2026", role=Role.DEPARTMENT_STAFF, unit=dept
    )
    assert AuditEvent.objects.get(action="core.user.create", object_id=str(created.pk)).actor == admin
