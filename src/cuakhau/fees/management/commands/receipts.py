from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cuakhau.fees.selectors import verify_sequence


class Command(BaseCommand):
    help = "E-receipts: check that each series' numbers run without gaps or duplicates."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify-sequence", help="print OK, or each gap and duplicate")
        verify.add_argument("--year", type=int, default=None, help="YYYY (default: this year)")

    def handle(self, *args, **options):
        year = options["year"] or timezone.localdate().year
        if not 2000 <= year <= 2999:
            raise CommandError("--year: bốn chữ số, ví dụ 2026")
        problems = verify_sequence(year=year)
        if not problems:
            self.stdout.write("OK")
            return
        for line in problems:
            self.stdout.write(line)
        raise CommandError(f"{len(problems)} problem(s) in {year}'s receipt numbers")
