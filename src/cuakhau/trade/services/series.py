"""Series: the named statistics series and the reference data of the published ones."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from cuakhau.core.audit import audit_record, snapshot

from ..models import Series, SeriesKind
from ..parsing import MACHINE, read_records
from .imports import rows_import


@transaction.atomic
def series_ensure(*, code: str, name: str, kind: str, description: str = "", sort_order: int = 100) -> Series:
    """The series with this code, created if missing (reference data; staff edits are kept)."""
    series = Series.objects.filter(code=code).first()
    if series is not None:
        return series
    series = Series.objects.create(
        code=code, name=name, kind=kind, description=description, sort_order=sort_order
    )
    audit_record(action="trade.series.create", obj=series, after=snapshot(series))
    return series


SERIES = [
    # code, name, kind, description
    (
        "all_through_gates",
        "Kim ngạch XNK qua các cửa khẩu trên địa bàn tỉnh",
        SeriesKind.TURNOVER,
        "Toàn bộ hàng hóa xuất nhập khẩu qua các cửa khẩu của tỉnh, kể cả hàng khai báo ở nơi khác.",
    ),
    (
        "declared_at_langson_customs",
        "Kim ngạch XNK làm thủ tục tại Cục Hải quan Lạng Sơn",
        SeriesKind.TURNOVER,
        "Chỉ hàng hóa mở tờ khai tại Hải quan Lạng Sơn: một phần của chuỗi trên, không cộng với nó.",
    ),
    ("fees", "Thu phí sử dụng công trình hạ tầng tại cửa khẩu", SeriesKind.METRIC, ""),
    ("tasks", "Nhiệm vụ trọng tâm và kết quả đánh giá", SeriesKind.METRIC, ""),
]


def load_reference_series(path: Path | None = None) -> str:
    """The four series and the yearly figures of turnover_series.csv (kept with `derived` and `source`).
    Idempotent: figures already there are replaced by the same ones."""
    for order, (code, name, kind, description) in enumerate(SERIES):
        series_ensure(code=code, name=name, kind=kind, description=description, sort_order=(order + 1) * 10)
    path = path or Path(__file__).resolve().parent.parent / "data" / "turnover_series.csv"
    by_series: dict[str, list[tuple[int, dict]]] = {}
    for line, rec in read_records(path):
        if rec:
            by_series.setdefault(rec.get("series", ""), []).append((line, rec))
    written = 0
    for code, records in by_series.items():
        series = Series.objects.get(code=code)
        # Our own reference file, written by code in machine form (645.262 is 645,262 billion đồng).
        written += rows_import(series=series, records=records, name=path.name, lang=MACHINE)["rows"]
    return f"{len(SERIES)} series, {written} published figures"
