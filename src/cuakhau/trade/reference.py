"""Trade reference data: the named series and the published yearly figures (turnover_series.csv,
copied from the project's shared data, with `derived` and `source` kept)."""

from __future__ import annotations

from pathlib import Path

from .models import Series
from .parsing import MACHINE, read_records
from .services import SERIES, rows_import, series_ensure


def load_reference(stdout=None) -> str:
    return load_reference_series()


def load_reference_series(path: Path | None = None) -> str:
    """The four series and the yearly figures of turnover_series.csv (kept with `derived` and `source`).
    Idempotent: figures already there are replaced by the same ones."""
    for order, (code, name, kind, description) in enumerate(SERIES):
        series_ensure(
            actor=None, code=code, name=name, kind=kind, description=description, sort_order=(order + 1) * 10
        )
    path = path or Path(__file__).resolve().parent / "data" / "turnover_series.csv"
    by_series: dict[str, list[tuple[int, dict]]] = {}
    for line, rec in read_records(path):
        if rec:
            by_series.setdefault(rec.get("series", ""), []).append((line, rec))
    written = 0
    for code, records in by_series.items():
        series = Series.objects.get(code=code)
        # Our own reference file, written by code in machine form (645.262 is 645,262 billion đồng).
        written += rows_import(actor=None, series=series, records=records, name=path.name, lang=MACHINE)[
            "rows"
        ]
    return f"{len(SERIES)} series, {written} published figures"
