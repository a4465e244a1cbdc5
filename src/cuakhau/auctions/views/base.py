"""What the auction pages share: who may open them, and whole-đồng amounts typed in a form."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from cuakhau.core import numbers
from cuakhau.core.errors import ServiceError

from ..permissions import is_bidder_user, is_manager, is_reader


def visible_or_404(user):
    if not (is_reader(user) or is_bidder_user(user)):
        raise Http404


def manager_or_404(user):
    if not is_manager(user):
        raise Http404


def parse_dong(value: str | None, field: str, label: str = "") -> int:
    """Whole đồng typed in the page's language by core.numbers' reader ("10.500.000" on a Vietnamese
    page, "10,500,000" on an English one); what it cannot read for sure, or a fraction, is refused
    naming the field, never guessed."""
    if value is None or not str(value).strip():
        raise ServiceError(_("Cần một số đồng nguyên."), field=field)
    try:
        return numbers.read_integer(str(value), label=label)
    except numbers.NumberReadError as exc:
        raise ServiceError(exc.message, field=field) from None
