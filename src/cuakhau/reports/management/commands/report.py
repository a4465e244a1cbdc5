"""`cuakhau report annual --year 2017 --format docx|pdf|md --out PATH`: the year-end report from the
data (the saved report for that year when there is one, else generated on the fly)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Write a Board report as .docx, .pdf or .md"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        for kind, text in (("annual", "year-end report"), ("summary", "one-page leader's summary")):
            p = sub.add_parser(kind, help=text)
            p.add_argument("--year", type=int, required=True)
            p.add_argument("--format", choices=["docx", "pdf", "md"], default="docx")
            p.add_argument("--out", required=True)

    def handle(self, *args, **options):
        from cuakhau.reports import documents
        from cuakhau.reports.models import Report

        report = Report.objects.filter(kind=options["kind"], year=options["year"]).first()
        if report is None:
            report = documents.unsaved(options["year"], options["kind"])
        if not report.results_text.strip():
            raise CommandError(f"no figures for {options['year']}: load the series (cuakhau reference load)")
        content, _type = documents.render(report, options["format"])
        Path(options["out"]).write_bytes(content)
        state = "issued" if report.is_issued else "draft"
        self.stdout.write(f"{options['out']}: {report} ({state}), {len(content)} bytes")
