"""The audit table is append-only in the database too (PostgreSQL): no DELETE, and no UPDATE of a
sealed event; an unsealed event may only have its chain fields filled in, once, by the sealer.

TRUNCATE is not blocked here (test databases are flushed with it); production runs the application
under a role that does not own the table and has no TRUNCATE privilege. A truncated table still shows
up in `cuakhau audit verify`, because the chain head (core_auditseal) remembers the last sequence."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'core_auditevent is append-only: DELETE refused (event %)', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.chain_seq IS NOT NULL THEN
        RAISE EXCEPTION 'core_auditevent is append-only: event % is sealed', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.id, NEW.occurred_at, NEW.actor_id, NEW.actor_label, NEW.actor_role, NEW.unit_id, NEW.action,
        NEW.object_type, NEW.object_id, NEW.object_repr, NEW.before, NEW.after, NEW.request_id,
        NEW.client_ip, NEW.channel)
       IS DISTINCT FROM
       (OLD.id, OLD.occurred_at, OLD.actor_id, OLD.actor_label, OLD.actor_role, OLD.unit_id, OLD.action,
        OLD.object_type, OLD.object_id, OLD.object_repr, OLD.before, OLD.after, OLD.request_id,
        OLD.client_ip, OLD.channel) THEN
        RAISE EXCEPTION 'core_auditevent is append-only: only the sealer''s fields of event % may be set', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forward, reverse, elidable=False)]
