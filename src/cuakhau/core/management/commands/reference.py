from django.core.management.base import BaseCommand

from cuakhau.core.context import acting_as
from cuakhau.core.loaders import reference_loaders
from cuakhau.core.service import batch


class Command(BaseCommand):
    help = "Load the zone's reference data (gates, units, holidays...). Safe to run again."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="load or update every app's reference data")

    def handle(self, *args, **options):
        with acting_as(None, channel="cli"):
            for name, loader in reference_loaders():
                with batch():  # one loader, all or nothing: its services join this transaction
                    result = loader()
                self.stdout.write(f"{name}: {result}")
