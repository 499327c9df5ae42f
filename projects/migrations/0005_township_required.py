import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The link replaces the free text."""

    dependencies = [
        ("projects", "0004_township_data"),
    ]

    operations = [
        migrations.RemoveField(model_name="project", name="township"),
        migrations.RemoveField(model_name="historicalproject", name="township"),
        migrations.RenameField(model_name="project", old_name="township_ref", new_name="township"),
        migrations.RenameField(
            model_name="historicalproject", old_name="township_ref", new_name="township"
        ),
        migrations.AlterField(
            model_name="project",
            name="township",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="projects", to="projects.township", verbose_name="所在乡镇(街道)"),
        ),
        migrations.AlterField(
            model_name="historicalproject",
            name="township",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="projects.township", verbose_name="所在乡镇(街道)"),
        ),
    ]
