"""`cuakhau trade import FILE --series NAME` and friends. Progress goes to stderr as a plain bar; bad
lines are printed with their line and column and nothing is written."""

from __future__ import annotations

import csv
import datetime as dt
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from cuakhau.core.context import acting_as
from cuakhau.core.management.scheduled import (
    add_date_argument,
    add_enqueue_argument,
    date_option,
    enqueue_or_run,
)

# The nightly catch-up covers the months of the last week: a device may send a gate event up to 7
# days late (traffic.services.gate_events.MAX_AGE), and rates entered late change recent days.
CATCH_UP_DAYS = 7


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
        "Trade statistics: import customs statistics, exchange rates; refresh the turnover computed from "
        "declarations (`trade refresh --enqueue`, nightly). Synthetic data: `cuakhau demo generate`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="import a CSV or Excel statistics file into one series (all or nothing)"
        )
        imp.add_argument("file")
        imp.add_argument("--series", required=True, help="series code, e.g. declared_at_langson_customs")
        imp.add_argument("--quiet", action="store_true", help="no progress bar")
        imp.add_argument(
            "--lang",
            choices=["vi", "en", "zh"],
            default="vi",
            help="how the file's numbers are written: vi 5.250,5 (default), en and zh 5,250.5",
        )
        rates = sub.add_parser(
            "rates", help="import central rates: CSV with day (YYYY-MM-DD), currency, vnd_per_unit, source"
        )
        rates.add_argument("file")
        rates.add_argument(
            "--lang",
            choices=["vi", "en", "zh"],
            default="vi",
            help="how vnd_per_unit is written: vi 25.450,5 (default), en and zh 25,450.5",
        )
        refresh = sub.add_parser(
            "refresh",
            help=(
                "rebuild the turnover computed from declarations (source a) for the months of the last "
                "--days days (nightly catch-up), or of --from .. --to"
            ),
        )
        refresh.add_argument("--from", dest="start", help="YYYY-MM-DD (with --to)")
        refresh.add_argument("--to", dest="end", help="YYYY-MM-DD (with --from)")
        refresh.add_argument(
            "--days",
            type=int,
            default=CATCH_UP_DAYS,
            help=f"the months of the last N days up to today or --date (default {CATCH_UP_DAYS}: a device may "
            "send a gate event up to 7 days late)",
        )
        add_date_argument(refresh)
        add_enqueue_argument(refresh)

    def handle(self, *args, **options):
        if options["action"] == "refresh":
            self.do_refresh(options)  # runs as the system itself, or enqueues
            return
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
            summary = stats_import(
                actor=None, series=series, path=options["file"], progress=progress, lang=options["lang"]
            )
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
            count = rates_import(actor=None, rows=rows, lang=options["lang"])
        except ImportRefused as exc:
            for error in exc.line_errors:
                self.stderr.write(str(error))
            raise CommandError(f"{exc.error_count} bad line(s); nothing was imported") from exc
        self.stdout.write(f"{count} rates entered")

    def do_refresh(self, options):
        from django.utils import timezone

        from cuakhau.trade.services import computed_refresh
        from cuakhau.trade.tasks import refresh_computed_turnover

        start, end = self._refresh_range(options, today=date_option(options) or timezone.localdate())

        def run():
            summary = computed_refresh(actor=None, start=start, end=end)
            return (
                f"computed turnover {summary['from']} .. {summary['to']}: {summary['lines']} goods lines "
                f"in {summary['groups']} groups, {summary['unconverted']} lines without a rate"
            )

        enqueue_or_run(
            self, options, task=refresh_computed_turnover, args=(start.isoformat(), end.isoformat()), run=run
        )

    @staticmethod
    def _refresh_range(options, *, today: dt.date) -> tuple[dt.date, dt.date]:
        if options["start"] or options["end"]:
            if not (options["start"] and options["end"]):
                raise CommandError("--from and --to go together")
            if options["date"]:
                raise CommandError("--date goes with --days, not with --from/--to")
            try:
                start, end = dt.date.fromisoformat(options["start"]), dt.date.fromisoformat(options["end"])
            except ValueError as exc:
                raise CommandError(f"--from/--to: {exc} (YYYY-MM-DD)") from exc
            if start > end:
                raise CommandError("--from is after --to")
            return start, end
        days = options["days"]
        if days < 1:
            raise CommandError("--days: at least 1")
        return today - dt.timedelta(days=days - 1), today
