"""What the write modules share: the columns of a statistics row and the refusal of a whole file."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError

from ..parsing import LineError

ROW_COLUMNS = [
    "metric",
    "granularity",
    "period_start",
    "period_end",
    "gate_code",
    "flow",
    "hs_chapter",
    "value",
    "unit",
    "amount",
    "yoy_percent",
    "derived",
    "source",
]


class ImportRefused(ServiceError):
    """A file refused as a whole; `line_errors` names every bad line and column."""

    def __init__(self, errors: list[LineError], error_count: int | None = None):
        count = error_count if error_count is not None else len(errors)
        super().__init__(
            _("Tệp bị từ chối: %(n)d lỗi; không dòng nào được nhập.") % {"n": count}, field="file"
        )
        self.line_errors = errors
        self.error_count = count


def _gate_codes() -> set[str]:
    """The codes of every gate (a file's rows may name any, active or not)."""
    from cuakhau.gates.models import Gate

    return set(Gate.objects.values_list("code", flat=True))
