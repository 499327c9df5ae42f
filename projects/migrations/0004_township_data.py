from collections import Counter

from django.db import migrations

from core.roles import sync_role_groups
from projects.townships import township_display, township_key


def link_townships(apps, schema_editor):
    """One Township per matching key of today's free text (history included); the spelling used
    most often names it. Suffix variants (城关 / 城关镇) stay two rows: whether they are one
    place is the administrator's call (系统管理 → 乡镇(街道) shows them as possible duplicates)."""
    Township = apps.get_model("projects", "Township")
    Project = apps.get_model("projects", "Project")
    HistoricalProject = apps.get_model("projects", "HistoricalProject")
    spellings: dict[str, Counter[str]] = {}
    for model in (Project, HistoricalProject):
        for text in model.objects.values_list("township", flat=True).iterator():
            key = township_key(text) or township_key("未填写")
            name = township_display(text) or "未填写"
            spellings.setdefault(key, Counter())[name] += 1
    by_key = {}
    for order, key in enumerate(sorted(spellings), start=1):
        name = spellings[key].most_common(1)[0][0]
        by_key[key] = Township.objects.create(name=name, key=key, order=order)
    for model in (Project, HistoricalProject):
        texts = model.objects.values_list("township", flat=True).distinct()
        for text in list(texts):
            township = by_key[township_key(text) or township_key("未填写")]
            model.objects.filter(township=text).update(township_ref=township)


def unlink_townships(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    HistoricalProject = apps.get_model("projects", "HistoricalProject")
    Township = apps.get_model("projects", "Township")
    for township in Township.objects.all():
        for model in (Project, HistoricalProject):
            model.objects.filter(township_ref=township).update(township=township.name)


def give_admins_townships(apps, schema_editor):
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_township"),
        ("core", "0005_notification"),
    ]

    operations = [
        migrations.RunPython(link_townships, unlink_townships),
        migrations.RunPython(give_admins_townships, migrations.RunPython.noop),
    ]
