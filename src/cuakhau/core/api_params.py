"""Typed query and path parameters that every API endpoint shares, so that a value out of range is a
422 naming the parameter and its bounds (cuakhau.api's validation handler) instead of reaching a date
constructor or an SQL OFFSET and failing there as a 500:

    def list_directives(request, year: Year | None = None): ...
    def list_receipts(request, limit: Limit = 100, offset: Offset = 0):
        return page(rows, limit=limit, offset=offset)

Years are those the working calendar covers (core.workcal.calendar.MIN_YEAR..MAX_YEAR)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from cuakhau.core.workcal.calendar import MAX_YEAR, MIN_YEAR

MAX_PAGE = 500
# SQLite and PostgreSQL both take a signed 64-bit OFFSET; no list here comes near a billion rows.
MAX_OFFSET = 1_000_000_000

Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, description=f"năm, {MIN_YEAR}–{MAX_YEAR}")]
Month = Annotated[int, Field(ge=1, le=12, description="tháng, 1–12")]
Limit = Annotated[int, Field(ge=1, le=MAX_PAGE, description=f"số dòng tối đa, 1–{MAX_PAGE}")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="bỏ qua bao nhiêu dòng đầu")]

__all__ = ["MAX_OFFSET", "MAX_PAGE", "Limit", "Month", "Offset", "Year", "page"]


def page(rows, *, limit: int, offset: int):
    """rows[offset:offset + limit], with the bounds the parameters above guarantee held here too."""
    offset = min(max(offset, 0), MAX_OFFSET)
    return rows[offset : offset + min(max(limit, 1), MAX_PAGE)]
