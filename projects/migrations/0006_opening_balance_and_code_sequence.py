from django.db import migrations, models

from core.roles import sync_role_groups


def roles(apps, schema_editor):
    """The admin role holds the new model's permissions too."""
    sync_role_groups(apps)


class Migration(migrations.Migration):
    """期初已交房 (units delivered before the project entered the ledger) and the code counter."""

    dependencies = [
        ("projects", "0005_township_required"),
        ("core", "0004_role_groups_saved_filters"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProjectCodeSequence",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="年份")),
                ("last", models.PositiveIntegerField(default=0, verbose_name="已用到的编号")),
            ],
            options={
                "verbose_name": "项目编号计数",
                "verbose_name_plural": "项目编号计数",
            },
        ),
        migrations.AddField(
            model_name="historicalproject",
            name="units_delivered_opening",
            field=models.PositiveIntegerField(default=0, help_text="纳入台账前已交付的套数：计入累计已交房和交房率，不计入任何时段的交房", verbose_name="期初已交房套数"),
        ),
        migrations.AddField(
            model_name="project",
            name="units_delivered_opening",
            field=models.PositiveIntegerField(default=0, help_text="纳入台账前已交付的套数：计入累计已交房和交房率，不计入任何时段的交房", verbose_name="期初已交房套数"),
        ),
        migrations.AlterField(
            model_name="historicalproject",
            name="units_delivered",
            field=models.PositiveIntegerField(default=0, help_text="期初已交房加交房记录，自动更新", verbose_name="已交房套数"),
        ),
        migrations.AlterField(
            model_name="project",
            name="units_delivered",
            field=models.PositiveIntegerField(default=0, help_text="期初已交房加交房记录，自动更新", verbose_name="已交房套数"),
        ),
        migrations.RunPython(roles, migrations.RunPython.noop),
    ]
