"""ISO 3166-1 alpha-2 country codes (from the tz database's iso3166.tab, public domain), for drivers'
nationality. Vietnam and China first: nearly every driver at the gates holds one or the other."""

from __future__ import annotations

import csv
import functools
from pathlib import Path

from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent / "data"
FIRST = [("VN", _("Việt Nam")), ("CN", _("Trung Quốc"))]


@functools.cache
def _rows() -> tuple[tuple[str, str], ...]:
    with (DATA / "countries.csv").open(encoding="utf-8") as fh:
        return tuple((row["code"], row["name"]) for row in csv.DictReader(fh))


def country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in _rows())


def country_choices() -> list[tuple[str, str]]:
    first = {code for code, _label in FIRST}
    return FIRST + [(code, f"{code} · {name}") for code, name in _rows() if code not in first]
