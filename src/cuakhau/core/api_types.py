"""Number types for the API's input schemas: a JSON number is taken as it is; a number sent as a string
goes through the one reader (core.numbers) in the request's language, as a form's would, so that
"1.200" is 1200 for a Vietnamese caller instead of pydantic's 1.2, and "1,200" is refused with its
two readings. The refusal is a 422 naming the field (cuakhau.api's validation handler).

    class LineIn(Schema):
        quantity: ReadDecimal
        value_vnd: ReadInt | None = None
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from cuakhau.core import numbers

__all__ = ["ReadDecimal", "ReadInt"]


def _refused(exc: numbers.NumberReadError) -> PydanticCustomError:
    # A custom error keeps the reader's message as it is (a ValueError would be prefixed "Value error, ").
    return PydanticCustomError(f"number_{exc.code}", "{message}", {"message": exc.message})


def _read_decimal(value: Any) -> Any:
    if isinstance(value, str) and value.strip():
        try:
            return numbers.read_number(value)
        except numbers.NumberReadError as exc:
            raise _refused(exc) from None
    return value


def _read_int(value: Any) -> Any:
    if isinstance(value, str) and value.strip():
        try:
            return numbers.read_integer(value)
        except numbers.NumberReadError as exc:
            raise _refused(exc) from None
    return value


_NUMBER_OR_TEXT = {
    "anyOf": [
        {"type": "number"},
        {"type": "string", "description": "số viết theo ngôn ngữ của người gọi, ví dụ 1.200,5 (vi)"},
    ]
}
_INTEGER_OR_TEXT = {
    "anyOf": [
        {"type": "integer"},
        {"type": "string", "description": "số nguyên viết theo ngôn ngữ của người gọi, ví dụ 1.200.000 (vi)"},
    ]
}

ReadDecimal = Annotated[Decimal, BeforeValidator(_read_decimal), WithJsonSchema(_NUMBER_OR_TEXT)]
ReadInt = Annotated[int, BeforeValidator(_read_int), WithJsonSchema(_INTEGER_OR_TEXT)]
