import datetime

from django.core.management.base import BaseCommand, CommandError

from cuakhau.core.context import acting_as


class Command(BaseCommand):
    help = "Traffic: `traffic close-crossed` completes the trips that crossed more than a day ago (run it nightly)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        close = sub.add_parser("close-crossed", help="complete trips that crossed more than --hours ago")
        close.add_argument("--hours", type=int, default=24, help="hours after crossing (default 24)")
        close.add_argument(
            "--enqueue", action="store_true", help="enqueue the background task instead of running here"
        )

    def handle(self, *args, **options):
        hours = options["hours"]
        if hours < 1:
            raise CommandError("--hours: at least 1")
        if options.get("enqueue"):
            if hours != 24:
                raise CommandError("--enqueue runs the nightly task, which closes after 24 hours")
            from cuakhau.traffic.tasks import close_crossed_trips

            result = close_crossed_trips.enqueue()
            self.stdout.write(f"enqueued {result.id}")
            return
        from cuakhau.traffic.services import crossed_close

        with acting_as(None, channel="cli"):
            closed = crossed_close(after=datetime.timedelta(hours=hours))
        self.stdout.write(f"{closed} crossed trips completed")
