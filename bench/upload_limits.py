"""Upload limits (security finding M3): how long core.uploads takes to refuse or read hostile and
ordinary spreadsheets, against openpyxl reading them unbounded as the upload did before.

    .venv/bin/python bench/upload_limits.py [--baseline] [--runs 5]

Prints, for each file, its packed and unpacked size, what the reader answered (rows read, or the
limit that refused it, by its setting's name) and the median time of --runs runs. With --baseline,
also the time openpyxl (read-only) takes to walk the same files with no limit: minutes of CPU for the
2,000,000-row files, so it is off by default. Nothing touches a database. Figures are for comparison
on one machine, not promises.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cuakhau.settings")

import django  # noqa: E402

django.setup()

from openpyxl import Workbook, load_workbook  # noqa: E402

from cuakhau.core import uploads  # noqa: E402
from cuakhau.core.errors import ServiceError  # noqa: E402
from tests.xlsx_bombs import empty_rows_xlsx  # noqa: E402


def ordinary(rows: int, columns: int = 20) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([f"col{c}" for c in range(columns)])
    for r in range(rows):
        ws.append([f"r{r}c{c}" if c % 2 else r * c for c in range(columns)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def unpacked(data: bytes) -> int:
    return sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())


def bounded(data: bytes) -> str:
    try:
        return f"read {len(uploads.read_table(data, 'f.xlsx')) - 1} rows"
    except ServiceError as exc:
        text = exc.messages[0]
        name = next(
            (w for w in text.replace(")", " ").replace(",", " ").split() if w.startswith("UPLOAD_")), "?"
        )
        return f"refused {exc.status} ({name})"


def unbounded(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    n = sum(1 for _row in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return f"walked {n} rows"


def timed(fn, data: bytes, runs: int) -> tuple[str, float]:
    times, answer = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        answer = fn(data)
        times.append(time.perf_counter() - started)
    return answer, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", action="store_true", help="also time openpyxl with no limit (slow)")
    args = parser.parse_args()
    files = {
        "2,000,000 empty rows, bare <row/> (zip bomb by ratio)": empty_rows_xlsx(2_000_000, numbered=False),
        "2,000,000 empty rows, numbered <row r=n/>": empty_rows_xlsx(2_000_000),
        "40 rows, dimension claiming A1:A2000000": empty_rows_xlsx(40, dimension=2_000_000),
        "ordinary: 500 rows x 20 columns": ordinary(500),
        "ordinary: 5,000 rows x 20 columns": ordinary(5_000),
    }
    print(f"load average {os.getloadavg()[0]:.2f}; median of {args.runs} runs")
    print(f"{'file':58} {'packed':>10} {'unpacked':>11}  {'core.uploads':32} {'time':>8}")
    for label, data in files.items():
        answer, took = timed(bounded, data, args.runs)
        line = f"{label:58} {len(data) / 1e3:>8.0f}KB {unpacked(data) / 1e6:>9.1f}MB  {answer:32} {took * 1e3:>6.1f}ms"
        if args.baseline:
            base, base_took = timed(unbounded, data, 1)
            line += f"   unbounded openpyxl: {base} in {base_took:.1f}s"
        print(line, flush=True)


if __name__ == "__main__":
    main()
