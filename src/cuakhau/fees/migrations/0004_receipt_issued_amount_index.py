"""A partial covering index for the sums of issued receipts over a date range (year-end report, revenue).

On PostgreSQL the index is built CONCURRENTLY (the migration is not atomic): on a table of millions of
receipts a plain CREATE INDEX would block the counters' inserts for the whole build. Other databases get
the ordinary index (SQLite keeps the partial index and ignores INCLUDE)."""

from django.db import migrations, models

INDEX = models.Index(
    condition=models.Q(("status", "issued")),
    fields=["issued_on"],
    include=("amount",),
    name="fees_receipt_issued_amount",
)


def create(apps, schema_editor):
    receipt = apps.get_model("fees", "Receipt")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(receipt, INDEX, concurrently=True)
    else:
        schema_editor.add_index(receipt, INDEX)


def drop(apps, schema_editor):
    receipt = apps.get_model("fees", "Receipt")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(receipt, INDEX, concurrently=True)
    else:
        schema_editor.remove_index(receipt, INDEX)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("fees", "0003_receipts_payments"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="receipt", index=INDEX)],
            database_operations=[migrations.RunPython(create, drop)],
        ),
    ]
