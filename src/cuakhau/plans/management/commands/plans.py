import datetime

from django.core.management.base import BaseCommand, CommandError

from cuakhau.core.context import acting_as


class Command(BaseCommand):
    help = "Work plans: `plans remind` sends deadline reminders to the lead units (run it daily)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser(
            "remind", help="remind lead units of deadlines within 5 working days, and of overdue ones"
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
            from cuakhau.plans.tasks import send_deadline_reminders

            result = send_deadline_reminders.enqueue(day.isoformat() if day else None)
            self.stdout.write(f"enqueued {result.id}")
            return
        from cuakhau.plans.services import reminders_send

        with acting_as(None, channel="cli"):
            counts = reminders_send(today=day)
        self.stdout.write(
            f"{counts['subjects']} tasks/actions due or overdue; {counts['created']} reminders sent, "
            f"{counts['already_sent']} already sent"
        )
