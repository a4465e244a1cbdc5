"""Reads of the parties register, each starting from the user's scope."""

from __future__ import annotations

from django.db.models import Count, Q

from cuakhau.core.permissions import VIEW, get_for_user_or_404
from cuakhau.core.sealed import blind_index, index_candidates

from .models import AgencyMandate, Driver, Enterprise, Vehicle
from .plates import search_key


def enterprise_list(*, user, q: str = "", customs_agent: str = ""):
    enterprises = Enterprise.objects.for_user(user).select_related("unit")
    if q:
        condition = (
            Q(name__icontains=q)
            | Q(name_en__icontains=q)
            | Q(name_zh__icontains=q)
            | Q(tax_code__icontains=q)
        )
        compact = q.replace("-", "").replace(" ", "")
        if compact.isdigit():  # 0314409058002 finds 0314409058-002
            condition |= Q(tax_code__icontains=compact[:10])
        enterprises = enterprises.filter(condition)
    if customs_agent in ("1", "0"):
        enterprises = enterprises.filter(is_customs_agent=customs_agent == "1")
    return enterprises.annotate(
        vehicle_count=Count("vehicles", distinct=True), driver_count=Count("drivers", distinct=True)
    )


def enterprise_detail(*, user, tax_code: str, action: str = VIEW) -> Enterprise:
    return get_for_user_or_404(Enterprise.objects.select_related("unit"), user, action, tax_code=tax_code)


def mandates_for(*, user, enterprise: Enterprise):
    return (
        AgencyMandate.objects.for_user(user)
        .filter(Q(agent=enterprise) | Q(client=enterprise))
        .select_related("agent", "client")
    )


def vehicle_list(*, user, q: str = "", country: str = "", kind: str = "", owner: Enterprise | None = None):
    vehicles = Vehicle.objects.for_user(user).select_related("owner")
    if q:
        key = search_key(q)
        condition = Q(owner__name__icontains=q) | Q(plate__icontains=q)
        if key:
            condition |= Q(plate_key__contains=key)
        vehicles = vehicles.filter(condition)
    if country:
        vehicles = vehicles.filter(country=country)
    if kind:
        vehicles = vehicles.filter(kind=kind)
    if owner is not None:
        vehicles = vehicles.filter(owner=owner)
    return vehicles


def vehicle_detail(*, user, pk, action: str = VIEW) -> Vehicle:
    return get_for_user_or_404(Vehicle.objects.select_related("owner"), user, action, pk=pk)


def vehicle_by_plate(*, user, plate: str) -> Vehicle | None:
    """The vehicle whose normalised plate matches, within the user's scope (for gate matching)."""
    from .plates import plate_key

    key = plate_key(plate)
    return Vehicle.objects.for_user(user).filter(plate_key=key).first() if key else None


def driver_list(*, user, q: str = "", nationality: str = "", employer: Enterprise | None = None):
    # Searching by document number is deliberately not offered: it would reveal numbers by probing.
    drivers = Driver.objects.for_user(user).select_related("employer")
    if q:
        drivers = drivers.filter(
            Q(full_name__icontains=q) | Q(phone__icontains=q) | Q(employer__name__icontains=q)
        )
    if nationality:
        drivers = drivers.filter(nationality=nationality.upper())
    if employer is not None:
        drivers = drivers.filter(employer=employer)
    return drivers


def driver_detail(*, user, pk, action: str = VIEW) -> Driver:
    return get_for_user_or_404(Driver.objects.select_related("employer", "user"), user, action, pk=pk)


def drivers_with_id_number(drivers, number: str):
    """The drivers among `drivers` (a queryset) holding this document number, written any way. The
    column is sealed: the match is on the keyed blind index, never on the plaintext."""
    candidates = index_candidates(number)
    return drivers.filter(id_number_index__in=candidates) if candidates else drivers.none()


def driver_by_id_number(drivers, number: str) -> Driver | None:
    """The one active driver among `drivers` (the acting user's usable drivers: scope it first) with
    this document number; None when there is none, or more than one, so that a caller cannot tell a
    number registered outside its scope from one never registered."""
    found = list(drivers_with_id_number(drivers.filter(is_active=True), number)[:2])
    return found[0] if len(found) == 1 else None


def driver_ids_by_id_number(numbers) -> dict[str, int]:
    """{number: driver pk} for the numbers registered (bulk writers: `demo generate`), by index."""
    by_index = {blind_index(n): n for n in numbers if n}
    rows = Driver.objects.filter(id_number_index__in=list(by_index)).values_list("id_number_index", "pk")
    return {by_index[index]: pk for index, pk in rows}


def own_enterprise(user) -> Enterprise | None:
    """The enterprise this user belongs to (the enterprise of their unit), while it is active; None for
    anyone else. The one answer to "this user's enterprise" for every app."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.unit_id:
        return None
    return Enterprise.objects.filter(unit_id=user.unit_id, is_active=True).first()
