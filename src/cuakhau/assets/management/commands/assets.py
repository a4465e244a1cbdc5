from django.core.management.base import BaseCommand

from cuakhau.assets.services import lease_expiry_warnings_send, rent_reminders_send
from cuakhau.assets.tasks import send_lease_reminders
from cuakhau.core.management.scheduled import (
    add_date_argument,
    add_enqueue_argument,
    date_option,
    enqueue_or_run,
)


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
        add_date_argument(remind)
        add_enqueue_argument(remind)

    def handle(self, *args, **options):
        day = date_option(options)

        def run():
            reminded = rent_reminders_send(actor=None, today=day)
            warned = lease_expiry_warnings_send(actor=None, today=day)
            return f"{reminded} rent instalments reminded; {warned} leases ending soon reported to the Board"

        enqueue_or_run(
            self, options, task=send_lease_reminders, args=(day.isoformat() if day else None,), run=run
        )
