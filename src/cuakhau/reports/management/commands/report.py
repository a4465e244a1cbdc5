"""`cuakhau report annual --year 2017 --format docx|pdf|md --out PATH`: the year-end report from the
data (the saved report for that period when there is one, else generated on the fly). The same for a
quarter or a month (`report periodic --year 2024 --quarter 1`, `--month 3`) and the one-page leader's
summary of any of them (`report summary --year 2024 [--quarter Q | --month M]`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Write a Board report as .docx, .pdf or .md"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        for kind, text in (
            ("annual", "year-end report"),
            ("periodic", "quarterly or monthly report (--quarter or --month)"),
            ("summary", "one-page leader's summary of a year, a quarter (--quarter) or a month (--month)"),
        ):
            p = sub.add_parser(kind, help=text)
            p.add_argument("--year", type=int, required=True)
            if kind != "annual":
                group = p.add_mutually_exclusive_group(required=kind == "periodic")
                group.add_argument("--quarter", type=int)
                group.add_argument("--month", type=int)
            p.add_argument("--format", choices=["docx", "pdf", "md"], default="docx")
            p.add_argument("--out", required=True)

    def handle(self, *args, **options):
        from cuakhau.core.errors import ServiceError
        from cuakhau.reports import documents
        from cuakhau.reports.models import Report

        if options.get("quarter"):
            period_kind, number = "quarter", options["quarter"]
        elif options.get("month"):
            period_kind, number = "month", options["month"]
        else:
            period_kind, number = "year", 0
        report = Report.objects.filter(
            kind=options["kind"], year=options["year"], period_kind=period_kind, period_number=number
        ).first()
        if report is None:
            try:
                report = documents.unsaved(options["year"], options["kind"], period_kind, number)
            except ServiceError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
        if not report.results_text.strip():
            raise CommandError(
                f"no figures for {report.period_label}: load the series (cuakhau reference load) or generate data"
            )
        content, _type = documents.render(report, options["format"])
        Path(options["out"]).write_bytes(content)
        state = "issued" if report.is_issued else "draft"
        self.stdout.write(f"{options['out']}: {report} ({state}), {len(content)} bytes")
