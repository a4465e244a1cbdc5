"""The demo data: trips in every state, the demo driver's active trip, a held check, an unmatched
plate; loading twice changes nothing."""

import pytest

from cuakhau.core.context import acting_as
from cuakhau.traffic.models import ACTIVE_STATUSES, AgencyCheck, Declaration, GateException, Yard

pytestmark = pytest.mark.django_db


def test_demo_trips_are_loaded_once(demo_data):
    from cuakhau.fees.reference import load_tariffs
    from cuakhau.parties.demo import load_demo as load_parties
    from cuakhau.traffic.demo import load_demo

    with acting_as(None, channel="cli"):
        load_tariffs()
        load_parties()
        load_demo()
    assert Declaration.objects.count() == 40
    statuses = set(Declaration.objects.values_list("status", flat=True))
    assert statuses >= {
        "draft",
        "submitted",
        "returned",
        "approved",
        "called",
        "in_yard",
        "crossed",
        "completed",
        "cancelled",
    }
    laixe = Declaration.objects.get(driver__user__username="laixe", status__in=ACTIVE_STATUSES)
    assert laixe.status == "approved" and laixe.queue_number
    assert AgencyCheck.objects.filter(status="held").exclude(note="").exists()
    assert GateException.objects.filter(reason="unmatched", status="open").exists()
    assert Yard.objects.filter(gate__code="HUUNGHI").exists()
    assert Declaration.objects.filter(fee_assessment__isnull=False).exists()
    with acting_as(None, channel="cli"):
        load_demo()
    assert Declaration.objects.count() == 40
