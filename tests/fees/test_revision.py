"""A tariff in force is never edited: a revision is a new version, with history and an audit event."""

import datetime
from decimal import Decimal

import pytest

from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent
from cuakhau.core.roles import Role
from cuakhau.fees.engine import simple_charge
from cuakhau.fees.models import ImmutableTariff, Tariff, TariffStatus
from cuakhau.fees.selectors import fee_quote, rule_changes
from cuakhau.fees.services import tariff_revise
from tests.factories import UserFactory

LS = "LS-09-2025"
NEW_DAY = datetime.date(2026, 1, 1)


def _revise(tariff, **kwargs):
    staff = UserFactory(role=Role.DEPARTMENT_STAFF)
    kwargs.setdefault("effective_from", NEW_DAY)
    kwargs.setdefault("change_note", "Nhập mức thu theo Nghị quyết 09/2025, Phụ lục I")
    kwargs.setdefault("rule_changes", {"ls-a-18t-plus": {"amount": 1_000_000, "is_demo": False}})
    with acting_as(staff, channel="web"):
        return tariff_revise(actor=staff, tariff=tariff, **kwargs), staff


def test_revision_is_a_new_version_and_the_old_one_is_untouched(tariffs):
    v1 = Tariff.objects.get(code=LS, version=1)
    rules_before = list(v1.rules.values())
    v2, staff = _revise(v1)
    v1.refresh_from_db()
    assert (v1.status, v1.effective_to) == (TariffStatus.REPLACED, NEW_DAY)
    assert list(v1.rules.values()) == rules_before
    assert (v2.version, v2.status, v2.previous_id, v2.effective_from) == (
        2,
        TariffStatus.IN_FORCE,
        v1.pk,
        NEW_DAY,
    )
    assert v2.created_by == staff
    new_rule = v2.rules.get(key="ls-a-18t-plus")
    assert (new_rule.amount, new_rule.is_demo) == (1_000_000, False)
    assert v1.rules.get(key="ls-a-18t-plus").amount == 1_200_000
    assert rule_changes(tariff=v2) == {"ls-a-18t-plus": {"amount": 1_200_000, "is_demo": True}}
    event = AuditEvent.objects.get(action="fees.tariff.revise")
    assert event.object_id == str(v2.pk) and event.actor == staff
    assert event.before["status"] == "in_force"


def test_charges_before_the_revision_day_keep_the_old_rate(tariffs):
    _revise(Tariff.objects.get(code=LS, version=1))

    def amount(day):
        charge = simple_charge(flow="export", goods="other", tonnes=Decimal(20), tariff_code=LS, on=day)
        return fee_quote(charge)[0]

    before, after = amount(NEW_DAY - datetime.timedelta(days=1)), amount(NEW_DAY)
    assert (before.amount, before.tariff_version) == (1_200_000, 1)
    assert (after.amount, after.tariff_version) == (1_000_000, 2)


def test_rules_of_a_tariff_in_force_cannot_be_saved_or_deleted(tariffs):
    rule = Tariff.objects.get(code=LS, version=1).rules.get(key="ls-a-18t-plus")
    rule.amount = 1
    with pytest.raises(ImmutableTariff):
        rule.save()
    with pytest.raises(ImmutableTariff):
        rule.delete()


def test_only_the_version_in_force_is_revised_and_only_forward(tariffs):
    v1 = Tariff.objects.get(code=LS, version=1)
    with pytest.raises(ServiceError) as exc:
        _revise(v1, effective_from=datetime.date(2025, 5, 8))
    assert exc.value.field == "effective_from"
    with pytest.raises(ServiceError) as exc:
        _revise(v1, change_note="  ")
    assert exc.value.field == "change_note"
    with pytest.raises(ServiceError) as exc:
        _revise(v1, rule_changes={"ls-a-18t-plus": {"amount": 1_200_000}})
    assert exc.value.field == "rules"  # nothing changed
    with pytest.raises(ServiceError) as exc:
        _revise(v1, rule_changes={"ls-a-18t-plus": {"amount": -5}})
    assert exc.value.field == "amount_ls-a-18t-plus"
    with pytest.raises(ServiceError) as exc:
        _revise(v1, rule_changes={"ls-a-18t-plus": {"label": "x"}})
    assert exc.value.field == "rules"
    assert Tariff.objects.filter(code=LS).count() == 1  # refused revisions changed nothing
    _revise(v1)
    with pytest.raises(ServiceError) as exc:
        _revise(v1, effective_from=datetime.date(2026, 6, 1))
    assert exc.value.field == "tariff"


def test_a_revision_can_change_the_cap(tariffs):
    v2, _ = _revise(Tariff.objects.get(code=LS, version=1), rule_changes={}, cap_per_trip=4_000_000)
    charge = simple_charge(flow="export", goods="ore", tonnes=Decimal(25), tariff_code=LS, on=NEW_DAY)
    assert fee_quote(charge)[0].amount == 4_000_000
    assert v2.cap_per_trip == 4_000_000


def test_loading_the_tariffs_again_keeps_staff_revisions(tariffs):
    from cuakhau.fees.reference import load_tariffs

    _revise(Tariff.objects.get(code=LS, version=1))
    with acting_as(None, channel="cli"):
        assert load_tariffs() == "0 created, 2 kept"
    assert Tariff.objects.filter(code=LS).count() == 2
    assert Tariff.objects.filter(code="CB-39-2019").count() == 1
