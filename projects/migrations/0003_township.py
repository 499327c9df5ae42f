import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """乡镇/街道 becomes a list: the table, and a link beside today's free text (filled next)."""

    dependencies = [
        ("projects", "0002_derived_money_and_saved_filters"),
    ]

    operations = [
        migrations.CreateModel(
            name="Township",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50, unique=True, verbose_name="名称")),
                ("key", models.CharField(editable=False, help_text="全角半角、空格不计", max_length=50, unique=True, verbose_name="匹配键")),
                ("order", models.PositiveSmallIntegerField(default=0, help_text="小的在前", verbose_name="排序")),
            ],
            options={
                "verbose_name": "乡镇(街道)",
                "verbose_name_plural": "乡镇(街道)",
                "ordering": ["order", "name"],
            },
        ),
        migrations.AddField(
            model_name="project",
            name="township_ref",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="projects.township"),
        ),
        migrations.AddField(
            model_name="historicalproject",
            name="township_ref",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="projects.township"),
        ),
    ]
