"""Give the admin role the permissions of the models added since 0002."""

from django.db import migrations

from core.roles import sync_role_groups


def forwards(apps, schema_editor):
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_security_event_append_only"),
        ("projects", "0002_derived_money_and_saved_filters"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
