from django.core.management.base import BaseCommand

from cuakhau.core.context import acting_as
from cuakhau.core.management.scheduled import (
    add_date_argument,
    add_enqueue_argument,
    date_option,
    enqueue_or_run,
)
from cuakhau.procedures.services import warnings_send
from cuakhau.procedures.tasks import warn_due_dossiers


class Command(BaseCommand):
    help = "One-stop procedures: `procedures warn` warns handling units of dossiers due within a working day."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        warn = sub.add_parser("warn", help="warn handling units of dossiers that would be late tomorrow")
        add_date_argument(warn)
        add_enqueue_argument(warn)
        sub.add_parser("catalogue", help="seed the procedure catalogue (idempotent)")

    def handle(self, *args, **options):
        if options["action"] == "catalogue":
            from cuakhau.procedures.catalogue import load_catalogue

            with acting_as(None, channel="cli"):
                self.stdout.write(load_catalogue())
            return
        day = date_option(options)

        def run():
            counts = warnings_send(actor=None, today=day)
            return f"{counts['warned']} dossiers warned, {counts['already_warned']} already warned"

        enqueue_or_run(
            self, options, task=warn_due_dossiers, args=(day.isoformat() if day else None,), run=run
        )
