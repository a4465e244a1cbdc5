"""Trade reference data: the named series and the published yearly figures (turnover_series.csv,
copied from the project's shared data, with `derived` and `source` kept)."""

from __future__ import annotations


def load_reference(stdout=None) -> str:
    from .services import load_reference_series

    return load_reference_series()
