"""Synthetic trips for `cuakhau demo generate` (benchmarks and load tests, never production data).

SYNTHETIC DATA ONLY. This generator bypasses the per-row services (declaration_submit, approve, call
forward, the device gate events, fee_assess) and writes with bulk inserts (COPY on PostgreSQL,
bulk_create elsewhere): ten years at 2,000 vehicles a day are 7.3 million trips, which the services
would take days to write. What it writes is what those services would have left behind for trips that
are over:

* declarations in final states only (completed, or cancelled before arrival: about 1.5%), each with
  1-3 goods lines (HS code, quantity, weight, declared value in USD, CNY or VND) and its timestamps
  (submitted, approved, called, in the yard, crossed, completed); so no vehicle ever holds more than one
  active declaration, and no queue number is taken;
* two gate events per trip that crossed (into the gate's border yard, out across the border line),
  matched by QR code or plate;
* the fee assessment of each trip at gate-in, written by the fees app (`fees.generate.assessments_bulk`,
  traffic calls fees as the gate-in does); the fees generator then receipts them;
* one audit event per run summarising what it wrote (instead of one per row).

Volumes: each gate's share is its published vehicles a day (`Gate.daily_vehicles`, from
border_gates.csv; the notes' figures where the column is empty), its export share likewise; the days
follow weekends (Saturday 90%, Sunday 70%), Tết (the gates all but close for the first days of the
lunar year, with a rush in the ten days before it) and the fruit harvests, which lift exports and
decide which fruit is loaded (mango March-June, lychee late May-July, longan July-September, durian
May-September, dragon fruit all year with peaks in summer and before Tết), with 4% growth a year.
Each year's days are scaled so that the year averages `vehicles_per_day` (times its growth).
Deterministic for a seed. Trips are marked `[synthetic]` in their note; a range that already has
synthetic trips is not written twice.

One module a part: volumes (how many trips a gate has on a day: the gates' figures, weekends, Tết,
the fruit harvests), pools (the synthetic enterprises, trucks and drivers), trips (the trips
themselves, their goods lines, gate events and fee assessments, written a month at a time, and
`generate_trips`, which runs it all). Every name is re-exported here: core.loaders calls
`cuakhau.traffic.generate.generate_trips`.
"""

from .pools import CN_NAMES, GIVEN, MIDDLE, PLACES, SURNAMES, SYNTHETIC, TRADES, Pools, ensure_pools
from .trips import (
    APPROX_VND,
    DECLARATION_COLUMNS,
    EVENT_COLUMNS,
    EXPORT_FLOWS,
    EXPORT_GOODS,
    FRUIT,
    IMPORT_FLOWS,
    IMPORT_GOODS,
    LINE_COLUMNS,
    TONNES,
    generate_trips,
)
from .volumes import GROWTH, SEASONS, day_factor, fruit_weights, gate_volumes, harvest_factor

__all__ = [
    "APPROX_VND",
    "CN_NAMES",
    "DECLARATION_COLUMNS",
    "EVENT_COLUMNS",
    "EXPORT_FLOWS",
    "EXPORT_GOODS",
    "FRUIT",
    "GIVEN",
    "GROWTH",
    "IMPORT_FLOWS",
    "IMPORT_GOODS",
    "LINE_COLUMNS",
    "MIDDLE",
    "PLACES",
    "SEASONS",
    "SURNAMES",
    "SYNTHETIC",
    "TONNES",
    "TRADES",
    "Pools",
    "day_factor",
    "ensure_pools",
    "fruit_weights",
    "gate_volumes",
    "generate_trips",
    "harvest_factor",
]
