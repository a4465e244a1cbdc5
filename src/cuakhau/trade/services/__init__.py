"""Writes to trade statistics. Each function is one transaction with one audit event; bad input raises
ServiceError (or ImportRefused with every bad line) and changes nothing.

Imports are all or nothing. The CLI checks the whole file, then writes it in one transaction (COPY on
PostgreSQL). The web import checks the file in chunks of lines, each chunk driven by the progress
page's poll (or by the background task when a worker runs), staging checked rows in StagedRow; when the
last chunk is checked, the staged rows replace the series' rows for the periods in the file in one
transaction, or, if any line was bad, are deleted and the batch is refused with its errors.

One module a concern: `series` (named series and the published reference figures), `exchange_rates`,
`imports` (a checked file written in one transaction, rollups rebuilt), `batches` (web imports in
chunks), `computed` (source (a) rebuilt from the declarations), and `common` (what they share).
Every public name is here too: `from cuakhau.trade.services import stats_import` keeps working.
"""

from cuakhau.core.errors import ServiceError  # callers catch services.ServiceError, as before the split

from .batches import WEB_CHUNK_LINES, batch_create, batch_run, batch_step
from .common import ROW_COLUMNS, ImportRefused
from .computed import DIRECTIONS, computed_refresh
from .exchange_rates import rate_set, rates_import
from .imports import ANALYZE_AFTER_ROWS, commit_parsed, rows_import, stats_import
from .series import SERIES, series_ensure

__all__ = [
    "ANALYZE_AFTER_ROWS",
    "DIRECTIONS",
    "ROW_COLUMNS",
    "SERIES",
    "ServiceError",
    "WEB_CHUNK_LINES",
    "ImportRefused",
    "batch_create",
    "batch_run",
    "batch_step",
    "commit_parsed",
    "computed_refresh",
    "rate_set",
    "rates_import",
    "rows_import",
    "series_ensure",
    "stats_import",
]
