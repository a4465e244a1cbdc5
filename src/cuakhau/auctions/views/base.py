"""What the auction pages share: who may open them, and whole-đồng amounts typed in a form."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError

from ..permissions import is_bidder_user, is_manager, is_reader


def visible_or_404(user):
    if not (is_reader(user) or is_bidder_user(user)):
        raise Http404


def manager_or_404(user):
    if not is_manager(user):
        raise Http404


def parse_dong(value: str, field: str) -> int:
    try:
        return int(str(value).replace(".", "").replace(" ", ""))
    except (TypeError, ValueError) as exc:
        raise ServiceError(_("Cần một số đồng nguyên."), field=field) from exc
