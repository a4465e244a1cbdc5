"""`cuakhau trade import FILE --series NAME` and friends. Progress goes to stderr as a plain bar; bad
lines are printed with their line and column and nothing is written."""

from __future__ import annotations

import csv
import datetime as dt
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from cuakhau.core.context import acting_as


class Progress:
    def __init__(self, total: int, stream=None, width: int = 30):
        self.total, self.stream, self.width = max(total, 1), stream or sys.stderr, width
        self.started = time.monotonic()

    def __call__(self, done: int) -> None:
        share = min(1.0, done / self.total)
        filled = int(share * self.width)
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {share * 100:5.1f}% {done}/{self.total} lines {elapsed:5.1f}s"
        )
        self.stream.flush()

    def end(self, label: str = "") -> None:
        self.stream.write(f"  {label}\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Trade statistics: import customs statistics, exchange rates; refresh computed turnover. "
        "Synthetic data: `cuakhau demo generate`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="import a CSV or Excel statistics file into one series (all or nothing)"
        )
        imp.add_argument("file")
        imp.add_argument("--series", required=True, help="series code, e.g. declared_at_langson_customs")
        imp.add_argument("--quiet", action="store_true", help="no progress bar")
        rates = sub.add_parser(
            "rates", help="import central rates: CSV with day (YYYY-MM-DD), currency, vnd_per_unit, source"
        )
        rates.add_argument("file")
        refresh = sub.add_parser("refresh", help="rebuild computed turnover (source a) and the rollups")
        refresh.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        refresh.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")

    def handle(self, *args, **options):
        with acting_as(None, channel="cli"):
            getattr(self, "do_" + options["action"])(options)

    def do_import(self, options):
        from cuakhau.trade.models import Series
        from cuakhau.trade.parsing import count_lines
        from cuakhau.trade.services import ImportRefused, stats_import

        series = Series.objects.filter(code=options["series"]).first()
        if series is None:
            known = ", ".join(Series.objects.values_list("code", flat=True))
            raise CommandError(f"no series '{options['series']}'; known: {known}")
        progress = None
        if not options["quiet"]:
            progress = Progress(count_lines(options["file"]), self.stderr._out)
        started = time.monotonic()
        try:
            summary = stats_import(series=series, path=options["file"], progress=progress)
        except ImportRefused as exc:
            if progress:
                progress.end("refused")
            for error in exc.line_errors:
                self.stderr.write(str(error))
            if exc.error_count > len(exc.line_errors):
                self.stderr.write(f"... and {exc.error_count - len(exc.line_errors)} more")
            raise CommandError(f"{exc.error_count} bad line(s); nothing was imported") from exc
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        if progress:
            progress.end("checked")
        self.stdout.write(
            f"{summary['rows']} rows imported into {series.code} ({summary['months']} months, "
            f"{summary['headline_figures']} headline figures, {summary['replaced']} replaced) in {time.monotonic() - started:.1f}s"
        )

    def do_rates(self, options):
        from cuakhau.trade.services import ImportRefused, rates_import

        with open(options["file"], encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        try:
            count = rates_import(rows=rows)
        except ImportRefused as exc:
            for error in exc.line_errors:
                self.stderr.write(str(error))
            raise CommandError(f"{exc.error_count} bad line(s); nothing was imported") from exc
        self.stdout.write(f"{count} rates entered")

    def do_refresh(self, options):
        from cuakhau.trade.services import computed_refresh

        summary = computed_refresh(
            start=dt.date.fromisoformat(options["start"]), end=dt.date.fromisoformat(options["end"])
        )
        self.stdout.write(
            f"computed turnover: {summary['lines']} goods lines in {summary['groups']} groups, "
            f"{summary['unconverted']} lines without a rate"
        )
