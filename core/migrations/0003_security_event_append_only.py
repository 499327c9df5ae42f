"""On PostgreSQL the security log refuses UPDATE and DELETE at the database itself."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_securityevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '安全日志只能追加，不能修改或删除';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_securityevent_append_only
    BEFORE UPDATE OR DELETE ON core_securityevent
    FOR EACH ROW EXECUTE FUNCTION core_securityevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS core_securityevent_append_only ON core_securityevent;
DROP FUNCTION IF EXISTS core_securityevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_role_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
