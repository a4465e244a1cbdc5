"""The demo loader: realistic, valid, linked to the demo users, and idempotent."""

import pytest
from stdnum.vn import mst

from cuakhau.core.context import acting_as
from cuakhau.core.loaders import demo_loaders
from cuakhau.core.models import AuditEvent, User
from cuakhau.core.reference import DEMO_ENTERPRISE
from cuakhau.parties.demo import load_demo
from cuakhau.parties.models import AgencyMandate, Driver, Enterprise, Vehicle
from cuakhau.parties.plates import parse_plate

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Enterprise.objects.count(),
        AgencyMandate.objects.count(),
        Vehicle.objects.count(),
        Driver.objects.count(),
        AuditEvent.objects.count(),
    )


def test_demo_loader_is_registered_after_the_users():
    names = [name for name, _fn in demo_loaders()]
    assert names.index("parties") > names.index("users")


def test_demo_loader_twice_creates_nothing_new(demo_data):
    with acting_as(None, channel="cli"):
        load_demo()
        first = _counts()
        load_demo()
    assert _counts() == first
    enterprises, mandates, vehicles, drivers, _events = first
    assert enterprises >= 6 and mandates >= 2 and vehicles >= 15 and drivers >= 10


def test_demo_data_is_valid_and_linked(demo_data):
    with acting_as(None, channel="cli"):
        load_demo()
    demo = Enterprise.objects.get(unit__code=DEMO_ENTERPRISE["code"])
    assert demo.tax_code == DEMO_ENTERPRISE["tax_code"]
    for enterprise in Enterprise.objects.all():
        assert mst.is_valid(enterprise.tax_code), enterprise
    for vehicle in Vehicle.objects.all():
        assert parse_plate(vehicle.plate).key == vehicle.plate_key
    assert Vehicle.objects.filter(country="CN").count() >= 4
    assert Vehicle.objects.filter(plate_key__startswith="12").count() >= 5
    assert Vehicle.objects.filter(is_trailer=True).count() >= 3
    assert Driver.objects.filter(nationality="CN").count() >= 3
    laixe = User.objects.get(username="laixe")
    assert laixe.driver_profile.employer == demo
    # The demo enterprise user sees its own vehicles and its driver, through the scopes.
    doanhnghiep = User.objects.get(username="doanhnghiep")
    assert Vehicle.objects.for_user(doanhnghiep).count() == Vehicle.objects.filter(owner=demo).count() > 0
    assert list(Driver.objects.for_user(laixe)) == [laixe.driver_profile]
