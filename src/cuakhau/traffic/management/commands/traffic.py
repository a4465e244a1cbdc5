import datetime

from django.core.management.base import BaseCommand, CommandError

from cuakhau.core.management.scheduled import add_enqueue_argument, enqueue_or_run
from cuakhau.traffic.closing import crossed_close
from cuakhau.traffic.tasks import close_crossed_trips


class Command(BaseCommand):
    help = "Traffic: `traffic close-crossed` completes the trips that crossed more than a day ago (run it nightly)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        close = sub.add_parser("close-crossed", help="complete trips that crossed more than --hours ago")
        close.add_argument("--hours", type=int, default=24, help="hours after crossing (default 24)")
        add_enqueue_argument(close)

    def handle(self, *args, **options):
        hours = options["hours"]
        if hours < 1:
            raise CommandError("--hours: at least 1")
        if options.get("enqueue") and hours != 24:
            raise CommandError("--enqueue runs the nightly task, which closes after 24 hours")

        def run():
            closed = crossed_close(after=datetime.timedelta(hours=hours))
            return f"{closed} crossed trips completed"

        enqueue_or_run(self, options, task=close_crossed_trips, run=run)
