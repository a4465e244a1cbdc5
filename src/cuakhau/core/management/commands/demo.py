from django.core.management.base import BaseCommand
from django.db import transaction

from cuakhau.core.context import acting_as
from cuakhau.core.loaders import demo_loaders


class Command(BaseCommand):
    help = "Demo data for a living zone. `demo load` is idempotent and prints the demo logins."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="load every module's demo records and one user per role")

    def handle(self, *args, **options):
        with acting_as(None, channel="cli"):
            for name, loader in demo_loaders():
                with transaction.atomic():
                    result = loader(stdout=self.stdout)
                if result:
                    self.stdout.write(f"{name}: {result}")
