import json

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from cuakhau.core import personal_data, sealed
from cuakhau.core.audit import audit_record
from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import User


def sealed_columns():
    """(table, column, index column or None) of every SealedField in the installed apps."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, sealed.SealedField):
                index = next(
                    (
                        f.column
                        for f in model._meta.concrete_fields
                        if isinstance(f, sealed.BlindIndexField) and f.source == field.name
                    ),
                    None,
                )
                yield model._meta.db_table, field.column, index


class Command(BaseCommand):
    help = (
        "Personal data (docs/personal-data.md): export one person's records as JSON, list or erase "
        "(anonymise) the records past their retention period, rekey sealed ID numbers. Each is audited."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="every record about one person, as JSON")
        who = export.add_mutually_exclusive_group(required=True)
        who.add_argument("--id-number", help="an identity document number (CCCD, passport...)")
        who.add_argument("--user", help="a username")
        erase = sub.add_parser("erase", help="anonymise the records past their retention period")
        erase.add_argument("--due", action="store_true", required=True)
        erase.add_argument("--dry-run", action="store_true", help="only count them")
        sub.add_parser("rekey", help="reseal every ID number under the current key (after a rotation)")

    def handle(self, *args, action, **options):
        with acting_as(None, channel="cli"):
            if action == "export":
                user = None
                if options.get("user"):
                    user = User.objects.filter(username=options["user"]).first()
                    if user is None:
                        raise CommandError(f"--user: no user {options['user']!r}")
                try:
                    with transaction.atomic():
                        data = personal_data.export(
                            actor=None, id_number=options.get("id_number") or "", user=user
                        )
                except ServiceError as exc:
                    raise CommandError(exc.messages[0]) from exc
                self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            elif action == "erase":
                if options["dry_run"]:
                    for name, rows in personal_data.due().items():
                        self.stdout.write(f"{name}: {len(rows)}")
                    return
                counts = personal_data.erase_due(actor=None)
                for name, n in counts.items():
                    self.stdout.write(f"{name}: {n} anonymised")
                if not counts:
                    self.stdout.write("nothing is past its retention period")
            elif action == "rekey":
                with transaction.atomic():
                    counts = {
                        f"{table}.{column}": sealed.reseal_table(connection, table, column, index)
                        for table, column, index in sealed_columns()
                    }
                    audit_record(
                        action="core.personal_data.rekey",
                        after={"key_id": sealed.current_key_id(), "counts": counts},
                        object_type="personal_data",
                        actor=None,  # the command line: whoever runs the server
                    )
                for name, n in counts.items():
                    self.stdout.write(f"{name}: {n} resealed")
