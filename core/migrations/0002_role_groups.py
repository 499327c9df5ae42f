"""Create the five role groups of DOMAIN.md with their permissions."""

from django.db import migrations

from core.roles import sync_role_groups


def forwards(apps, schema_editor):
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("projects", "0001_initial"),
        ("ledgers", "0001_initial"),
        ("petitions", "0001_initial"),
        ("dispatch", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
