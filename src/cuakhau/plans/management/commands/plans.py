from django.core.management.base import BaseCommand

from cuakhau.core.management.scheduled import (
    add_date_argument,
    add_enqueue_argument,
    date_option,
    enqueue_or_run,
)
from cuakhau.plans.services import reminders_send
from cuakhau.plans.tasks import send_deadline_reminders


class Command(BaseCommand):
    help = "Work plans: `plans remind` sends deadline reminders to the lead units (run it daily)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser(
            "remind", help="remind lead units of deadlines within 5 working days, and of overdue ones"
        )
        add_date_argument(remind)
        add_enqueue_argument(remind)

    def handle(self, *args, **options):
        day = date_option(options)

        def run():
            counts = reminders_send(actor=None, today=day)
            return (
                f"{counts['subjects']} tasks/actions due or overdue; {counts['created']} reminders sent, "
                f"{counts['already_sent']} already sent"
            )

        enqueue_or_run(
            self, options, task=send_deadline_reminders, args=(day.isoformat() if day else None,), run=run
        )
