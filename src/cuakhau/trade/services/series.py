"""Series: the named statistics series and the reference data of the published ones."""

from __future__ import annotations

from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.models import User
from cuakhau.core.service import service

from ..models import Series, SeriesKind


@service
def series_ensure(
    *, actor: User | None, code: str, name: str, kind: str, description: str = "", sort_order: int = 100
) -> Series:
    """The series with this code, created if missing (reference data; staff edits are kept)."""
    series = Series.objects.filter(code=code).first()
    if series is not None:
        return series
    series = Series.objects.create(
        code=code, name=name, kind=kind, description=description, sort_order=sort_order
    )
    audit_record(action="trade.series.create", obj=series, after=snapshot(series), actor=actor)
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
