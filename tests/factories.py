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


# --- parties -------------------------------------------------------------------------------------

from cuakhau.parties.models import Driver, Enterprise, IdKind, Vehicle, VehicleKind  # noqa: E402


def make_tax_code(n: int, prefix: str = "48") -> str:
    """A 10-digit tax code with a correct check digit (stdnum.vn.mst), distinct for each n."""
    from stdnum.vn import mst

    while True:
        base = f"{prefix}{n % 10**7:07d}"
        digit = mst.calc_check_digit(base)
        if len(digit) == 1 and base[2:] != "0000000":
            return base + digit
        n += 10**6 + 1


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    tax_code = factory.Sequence(lambda n: make_tax_code(n + 1))
    name = factory.Sequence(lambda n: f"Công ty TNHH Thử nghiệm {n}")
    unit = factory.LazyAttribute(
        lambda o: UnitFactory(kind=UnitKind.ENTERPRISE, code=f"dn-{o.tax_code}", name=o.name)
    )
    is_customs_agent = False


def enterprise_user(enterprise: Enterprise, **kwargs) -> User:
    """A user of `enterprise` (role enterprise_user, in its unit)."""
    return UserFactory(role=Role.ENTERPRISE_USER, unit=enterprise.unit, **kwargs)


class VehicleFactory(DjangoModelFactory):
    class Meta:
        model = Vehicle

    plate = factory.Sequence(lambda n: f"12C-{100 + n // 100 % 900:03d}.{n % 100:02d}")
    plate_key = factory.LazyAttribute(lambda o: o.plate.replace("-", "").replace(".", ""))
    country = "VN"
    kind = VehicleKind.TRUCK
    owner = factory.SubFactory(EnterpriseFactory)


class DriverFactory(DjangoModelFactory):
    class Meta:
        model = Driver

    full_name = factory.Sequence(lambda n: f"Lái xe {n}")
    id_kind = IdKind.CCCD
    id_number = factory.Sequence(lambda n: f"020085{n % 10**6:06d}")
    nationality = "VN"
    employer = factory.SubFactory(EnterpriseFactory)
