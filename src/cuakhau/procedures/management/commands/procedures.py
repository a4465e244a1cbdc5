import datetime

from django.core.management.base import BaseCommand, CommandError

from cuakhau.core.context import acting_as


class Command(BaseCommand):
    help = "One-stop procedures: `procedures warn` warns handling units of dossiers due within a working day."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        warn = sub.add_parser("warn", help="warn handling units of dossiers that would be late tomorrow")
        warn.add_argument("--date", help="as if today were this date (YYYY-MM-DD)")
        warn.add_argument("--enqueue", action="store_true", help="enqueue the background task instead")
        sub.add_parser("catalogue", help="seed the procedure catalogue (idempotent)")

    def handle(self, *args, **options):
        if options["action"] == "catalogue":
            from cuakhau.procedures.catalogue import load_catalogue

            with acting_as(None, channel="cli"):
                self.stdout.write(load_catalogue())
            return
        day = None
        if options.get("date"):
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: {options['date']!r} is not a date (YYYY-MM-DD)") from exc
        if options.get("enqueue"):
            from cuakhau.procedures.tasks import warn_due_dossiers

            result = warn_due_dossiers.enqueue(day.isoformat() if day else None)
            self.stdout.write(f"enqueued {result.id}")
            return
        from cuakhau.procedures.services import warnings_send

        with acting_as(None, channel="cli"):
            counts = warnings_send(today=day)
        self.stdout.write(f"{counts['warned']} dossiers warned, {counts['already_warned']} already warned")
