"""The Lạng Sơn gates and routes, from the data files shipped with the app (copied from the
project's shared reference data: border_gates.csv, plus which units work at each gate)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from cuakhau.core.models import Unit

from .models import Gate
from .services import gate_create, gate_update

DATA = Path(__file__).resolve().parent / "data"
VEHICLES_RE = re.compile(r"about (\d[\d,]*) vehicles/day")


def load_gates() -> str:
    extra = {
        row["gate"]: row
        for row in csv.DictReader((DATA / "gate_units.csv").read_text(encoding="utf-8").splitlines())
    }
    created = kept = 0
    rows = list(csv.DictReader((DATA / "border_gates.csv").read_text(encoding="utf-8").splitlines()))
    # parents first, so that routes can point at them
    rows.sort(key=lambda r: bool(extra.get(r["code"], {}).get("parent")))
    for row in rows:
        more = extra.get(row["code"], {})
        match = VEHICLES_RE.search(row["notes"])
        parent_code = more.get("parent") or ""
        data: dict[str, Any] = {
            "code": row["code"],
            "name": row["name_vi"],
            "name_en": row["name_en"],
            "name_zh": more.get("name_zh", ""),
            "kind": row["kind"],
            "mode": row["mode"],
            "paired_gate_cn": row["paired_gate_cn"],
            "landmarks": row["landmarks"],
            "notes": row["notes"],
            "daily_vehicles": int(match.group(1).replace(",", "")) if match else None,
            "parent": Gate.objects.get(code=parent_code) if parent_code else None,
            "sort_order": int(more.get("sort_order") or 100),
        }
        units = list(Unit.objects.filter(code__in=(more.get("units") or "").split()))
        gate = Gate.objects.filter(code=row["code"]).first()
        if gate is None:
            gate_create(actor=None, units=units, **data)
            created += 1
        elif not gate.units.exists() and units:
            # Staff edits to a gate are kept; a gate with no units yet gets the reference ones.
            gate_update(actor=None, gate=gate, units=units)
            kept += 1
        else:
            kept += 1
    return f"{created} created, {kept} kept"


def dashboard_cards(user):
    from django.db.models import Count
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from cuakhau.core.dashboard import Card

    gates = Gate.objects.for_user(user).active()
    by_kind = dict(gates.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    from .models import GateKind

    rows = [(label, by_kind[kind]) for kind, label in GateKind.choices if by_kind.get(kind)]
    return [
        Card(title=_("Cửa khẩu đang hoạt động"), value=gates.count(), url=reverse("gates:list"), rows=rows)
    ]
