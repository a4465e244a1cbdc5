"""The demo data: trips in every state, the demo driver's active trip, a held check, an unmatched
plate, a refused exit and a release; loading twice changes nothing."""

import pytest

from cuakhau.core.context import acting_as
from cuakhau.fees.models import PayerCreditLimit
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
    # Exits follow the gates' rules: one truck stands refused at Hữu Nghị with its fee unpaid, one was
    # let out by the Board's leader with a reason, one carrier has an approved debt limit.
    refused = GateException.objects.get(reason="unpaid", status="open")
    assert refused.declaration.status == "in_yard" and refused.declaration.vehicle.plate == "98C-345.67"
    released = (
        GateException.objects.filter(
            reason="unpaid", status="released", declaration__vehicle__plate="桂F·12345"
        )
        .order_by("-pk")
        .first()
    )
    assert released.resolved_by.username == "lanhdao" and released.note
    assert released.declaration.status == "crossed"
    assert PayerCreditLimit.objects.filter(unit__enterprise__tax_code="4900998758", amount__gt=0).exists()
    with acting_as(None, channel="cli"):
        load_demo()
    assert Declaration.objects.count() == 40
