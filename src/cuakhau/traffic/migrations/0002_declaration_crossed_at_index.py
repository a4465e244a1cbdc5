"""An index on declarations' crossed_at: the trade app's nightly refresh of computed turnover reads the
crossings of a day. Built CONCURRENTLY on PostgreSQL, so gate events keep writing declarations while it
builds (millions of rows after a few years); SQLite has no such thing and builds it plainly."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("traffic", "0001_initial")]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="declaration",
            index=models.Index(fields=["crossed_at"], name="decl_crossed_at"),
        ),
    ]
