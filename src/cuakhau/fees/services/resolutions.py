"""The resolutions that set tariffs (Law on Fees and Charges 97/2015/QH13, art. 21: the provincial
People's Council): one ensured as reference data, and the one a staff-entered tariff or draft belongs
to, checked, with the period a tariff may apply in."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.permissions import may_add
from cuakhau.core.service import service

from ..models import Resolution, Tariff


@service
def resolution_ensure(
    *,
    actor,
    number: str,
    council: str,
    effective_from: datetime.date,
    title: str = "",
    signed_on: datetime.date | None = None,
    effective_to: datetime.date | None = None,
    replaces: str = "",
    source: str = "",
) -> Resolution:
    """The resolution with this number, created if new (reference data; an existing one is kept). The
    Board's departments keep resolutions; the reference loaders act as the system (actor None)."""
    if actor is not None and not may_add(actor, Resolution):
        raise NotFound(_("Không tìm thấy nghị quyết."), field="resolution")
    resolution = Resolution.objects.filter(number=number).first()
    if resolution is not None:
        return resolution
    resolution = Resolution(
        number=number,
        council=council,
        title=title,
        signed_on=signed_on,
        effective_from=effective_from,
        effective_to=effective_to,
        replaces=replaces,
        source=source,
    )
    resolution.full_clean()
    resolution.save()
    audit_record(action="fees.resolution.create", obj=resolution, actor=actor, after=snapshot(resolution))
    return resolution


RESOLUTION_FIELDS = ("number", "council", "title", "signed_on", "effective_from", "effective_to")


def _clean_resolution(data: dict[str, Any]) -> dict[str, Any]:
    """A resolution's fields, checked. Errors name the form's fields (resolution_<name>)."""
    unknown = sorted(set(data) - set(RESOLUTION_FIELDS) - {"replaces", "source"})
    if unknown:
        raise ServiceError(
            _("Nghị quyết có trường không hợp lệ: %(names)s.") % {"names": ", ".join(unknown)},
            field="resolution",
        )
    clean = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    if not clean.get("number"):
        raise ServiceError(_("Cần số nghị quyết."), field="resolution_number")
    if not clean.get("council"):
        raise ServiceError(_("Cần cơ quan ban hành nghị quyết."), field="resolution_council")
    start, end, signed = clean.get("effective_from"), clean.get("effective_to"), clean.get("signed_on")
    if not isinstance(start, datetime.date):
        raise ServiceError(_("Cần ngày nghị quyết có hiệu lực."), field="resolution_effective_from")
    if end is not None and end <= start:
        raise ServiceError(
            _("Ngày hết hiệu lực phải sau ngày có hiệu lực (%(day)s).") % {"day": start.strftime("%d/%m/%Y")},
            field="resolution_effective_to",
        )
    if signed is not None and signed > start:
        raise ServiceError(
            _("Ngày ký không thể sau ngày nghị quyết có hiệu lực (%(day)s).")
            % {"day": start.strftime("%d/%m/%Y")},
            field="resolution_signed_on",
        )
    return clean


def _resolution_for(data: dict[str, Any], *, own: Tariff | None = None) -> Resolution:
    """The resolution a new tariff (or draft `own`) belongs to: the one with this number if it says the
    same (a resolution may set several tariffs), else a new one. A published resolution is law and is
    not changed; a resolution that only `own` uses is updated."""
    clean = _clean_resolution(data)
    existing = Resolution.objects.select_for_update().filter(number=clean["number"]).first()
    if existing is None:
        if own is not None and not own.resolution.tariffs.exclude(pk=own.pk).exists():
            resolution = own.resolution  # the draft's own resolution, renumbered
        else:
            resolution = Resolution()
    else:
        same = all(getattr(existing, k) == clean.get(k, getattr(existing, k)) for k in RESOLUTION_FIELDS)
        only_mine = own is not None and not existing.tariffs.exclude(pk=own.pk).exists()
        if same or not only_mine:
            if not same:
                raise ServiceError(
                    _("Nghị quyết số %(n)s đã có với nội dung khác (cơ quan ban hành, ngày ký, hiệu lực).")
                    % {"n": clean["number"]},
                    field="resolution_number",
                )
            return existing
        resolution = existing
    for name, value in clean.items():
        setattr(resolution, name, value)
    resolution.full_clean()
    resolution.save()  # recorded in the tariff's event (its "resolution"), one event per change
    return resolution


def _check_period(resolution: Resolution, effective_from: datetime.date | None) -> datetime.date:
    day = effective_from or resolution.effective_from
    if not isinstance(day, datetime.date) or day < resolution.effective_from:
        raise ServiceError(
            _("Biểu phí không thể áp dụng trước ngày nghị quyết có hiệu lực (%(day)s).")
            % {"day": resolution.effective_from.strftime("%d/%m/%Y")},
            field="effective_from",
        )
    if resolution.effective_to and day >= resolution.effective_to:
        raise ServiceError(
            _("Ngày áp dụng phải trước ngày nghị quyết hết hiệu lực (%(day)s).")
            % {"day": resolution.effective_to.strftime("%d/%m/%Y")},
            field="effective_from",
        )
    return day
