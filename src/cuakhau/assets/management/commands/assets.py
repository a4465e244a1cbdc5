import datetime

from django.core.management.base import BaseCommand, CommandError

from cuakhau.core.context import acting_as


class Command(BaseCommand):
    help = (
        "Leases: `assets remind` e-mails rent reminders to the lessees and warns the Board of leases "
        "ending within 180 days (run it daily)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser(
            "remind",
            help="rent due within 7 days or overdue (to the lessees); leases ending soon (to the Board)",
        )
        remind.add_argument("--date", help="as if today were this date (YYYY-MM-DD)")
        remind.add_argument(
            "--enqueue", action="store_true", help="enqueue the background task instead of running here"
        )

    def handle(self, *args, **options):
        day = None
        if options.get("date"):
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: {options['date']!r} is not a date (YYYY-MM-DD)") from exc
        if options.get("enqueue"):
            from cuakhau.assets.tasks import send_lease_reminders

            result = send_lease_reminders.enqueue(day.isoformat() if day else None)
            self.stdout.write(f"enqueued {result.id}")
            return
        from cuakhau.assets.services import lease_expiry_warnings_send, rent_reminders_send

        with acting_as(None, channel="cli"):
            reminded = rent_reminders_send(today=day)
            warned = lease_expiry_warnings_send(today=day)
        self.stdout.write(
            f"{reminded} rent instalments reminded; {warned} leases ending soon reported to the Board"
        )
