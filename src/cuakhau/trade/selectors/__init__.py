"""Reads of trade statistics. Pages, the API, the Excel exports and the reports all take their figures
from here, so they agree.

Imported series (source (b)): month rows are added up through the rollups (the naive sum over raw
rows gives the same figures and is used when a filter combination has no rollup); quarter, year and
other-period rows are headline figures as published, shown apart and never added to month rows.
Computed turnover (source (a)) comes from ComputedTurnover and is never added to a series.

One module a concern: `tables` (filters, totals, tables and their labels), `growth`, `series` (the
statistics queries on the imported series and the statistics page's figures), `headlines` (published
figures and the reports' figures), `computed` (source (a)), `exchange_rates`, `import_jobs`. Every
public name is here too: `from cuakhau.trade.selectors import Table` keeps working.
"""

from .computed import (
    computed_amounts,
    computed_latest_year,
    computed_period_totals,
    computed_queryset,
    computed_table,
    computed_totals,
)
from .exchange_rates import rates
from .growth import growth, summary_lines
from .headlines import (
    HEADLINE_GRANULARITIES,
    Figure,
    annual_figure,
    latest_year_figure,
    period_figure,
    published,
)
from .import_jobs import imports
from .series import (
    PeriodAmounts,
    Statistics,
    amounts,
    latest_year,
    months_with_data,
    period_amounts,
    series_get,
    series_list,
    statistics,
    summary,
    table,
    totals,
)
from .tables import (
    COMPUTED_DIMENSIONS,
    DIMENSIONS,
    EXPORT,
    IMPORT,
    KEY_FIELD,
    ZERO,
    Filters,
    Table,
    TableRow,
    Totals,
    build_table,
    labels,
    shares,
)

__all__ = [
    "COMPUTED_DIMENSIONS",
    "DIMENSIONS",
    "EXPORT",
    "HEADLINE_GRANULARITIES",
    "IMPORT",
    "KEY_FIELD",
    "ZERO",
    "Figure",
    "Filters",
    "PeriodAmounts",
    "Statistics",
    "Table",
    "TableRow",
    "Totals",
    "amounts",
    "annual_figure",
    "build_table",
    "computed_amounts",
    "computed_latest_year",
    "computed_period_totals",
    "computed_queryset",
    "computed_table",
    "computed_totals",
    "growth",
    "imports",
    "labels",
    "latest_year_figure",
    "latest_year",
    "months_with_data",
    "period_amounts",
    "period_figure",
    "published",
    "rates",
    "series_get",
    "series_list",
    "shares",
    "statistics",
    "summary",
    "summary_lines",
    "table",
    "totals",
]
