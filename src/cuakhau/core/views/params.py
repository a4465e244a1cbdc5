"""Query-string parameters that pages read outside a form (a pre-filled id, a year): a value that is
not what the page expects answers 400 naming the parameter and the rule (the error page shows the
message), never a ValueError deep in the ORM (a 500)."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

# The largest value a 64-bit signed id column holds.
MAX_ID = 2**63 - 1


class BadParameter(BadRequest):
    """A query parameter that cannot be used; Django answers it with handler400 (status 400)."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.message = message
        self.field = field


def query_id(request, name: str) -> int | None:
    """The positive id in `?name=`, None when it is absent or empty; anything else is refused."""
    return _id(request.GET.get(name, ""), name)


def posted_id(request, name: str) -> int | None:
    """The positive id a button posts as `name` (a hidden field), as `query_id` reads it."""
    return _id(request.POST.get(name, ""), name)


def _id(value: str, name: str) -> int | None:
    raw = (value or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= MAX_ID:
        raise BadParameter(
            _("Tham số “%(name)s” phải là một mã số (số nguyên dương), không phải “%(value)s”.")
            % {"name": name, "value": raw[:40]},
            field=name,
        )
    return int(raw)
