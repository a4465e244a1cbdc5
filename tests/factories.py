"""Test factories: the one place tests make objects."""

import factory
from factory.django import DjangoModelFactory

from cuakhau.core.models import Unit, User
from cuakhau.core.roles import AgencyKind, Role, UnitKind
from cuakhau.gates.models import Gate, GateKind, GateMode

PASSWORD = "Test-password-2026!"

ROLE_UNIT_KIND = {
    Role.BOARD_LEADER: UnitKind.BOARD_LEADERSHIP,
    Role.DEPARTMENT_STAFF: UnitKind.BOARD_DEPARTMENT,
    Role.GATE_OPERATOR: UnitKind.GATE_CENTRE,
    Role.GATE_CASHIER: UnitKind.GATE_CENTRE,
    Role.AGENCY_OFFICER: UnitKind.AGENCY,
    Role.ENTERPRISE_USER: UnitKind.ENTERPRISE,
    Role.DRIVER: UnitKind.ENTERPRISE,
    Role.INSPECTOR: UnitKind.BOARD_DEPARTMENT,
    Role.PROVINCIAL_LEADER: UnitKind.PROVINCIAL_LEADERSHIP,
    Role.ADMIN: UnitKind.BOARD_DEPARTMENT,
}


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = UnitKind.BOARD_DEPARTMENT
    agency_kind = factory.LazyAttribute(lambda o: AgencyKind.CUSTOMS if o.kind == UnitKind.AGENCY else "")


class GateFactory(DjangoModelFactory):
    class Meta:
        model = Gate
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"GATE_{n}")
    name = factory.Sequence(lambda n: f"Cửa khẩu {n}")
    kind = GateKind.MAIN
    mode = GateMode.ROAD


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    role = Role.DEPARTMENT_STAFF
    unit = factory.LazyAttribute(lambda o: UnitFactory(kind=ROLE_UNIT_KIND[o.role]))
    is_staff = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)
    is_superuser = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


def user_at_gate(role: str, gate: Gate, **kwargs) -> User:
    """A gate-bound user (operator, cashier, agency officer) whose unit works at `gate`."""
    unit = UnitFactory(kind=ROLE_UNIT_KIND[role])
    gate.units.add(unit)
    return UserFactory(role=role, unit=unit, **kwargs)
