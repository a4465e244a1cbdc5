"""The demo dossiers: built through the services (each step a transition, each audited), every scenario
present, and idempotent."""

import pytest

from cuakhau.core.context import acting_as
from cuakhau.core.models import AuditEvent
from cuakhau.core.service import batch
from cuakhau.procedures.demo import DEMO, load_demo
from cuakhau.procedures.models import Dossier

pytestmark = pytest.mark.django_db


def test_demo_dossiers_cover_the_states_and_load_once(catalogue, demo_data):
    from cuakhau.parties.demo import load_demo as load_parties

    with acting_as(None, channel="cli"), batch():
        load_parties()
    with acting_as(None, channel="cli"), batch():
        load_demo()
    count = Dossier.objects.count()
    assert count == len(DEMO)
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {"new", "refused", "processing", "supplement", "fee_due", "returned", "stopped"} <= statuses
    assert Dossier.objects.filter(apology__isnull=False).exists()
    # Every step went through a service: one audit event for each of the dossier's history rows.
    for dossier in Dossier.objects.all():
        assert (
            dossier.events.count()
            == AuditEvent.objects.filter(object_type="procedures.dossier", object_id=str(dossier.pk)).count()
        ), dossier.subject
    with acting_as(None, channel="cli"), batch():
        load_demo()
    assert Dossier.objects.count() == count
