"""Default beat schedules (Asia/Shanghai), kept in django-celery-beat so an admin can edit them."""

import json

from django.db import migrations

TZ = "Asia/Shanghai"

# (task name, periodic-task name, crontab fields, kwargs)
SCHEDULES = [
    (
        "dispatch.tasks.report_generate_scheduled",
        "周调度简报（每周一 07:30）",
        {"minute": "30", "hour": "7", "day_of_week": "1", "day_of_month": "*", "month_of_year": "*"},
        {"kind": "weekly"},
    ),
    (
        "dispatch.tasks.report_generate_scheduled",
        "月通报（每月1日 07:30）",
        {"minute": "30", "hour": "7", "day_of_week": "*", "day_of_month": "1", "month_of_year": "*"},
        {"kind": "monthly"},
    ),
    (
        "dispatch.tasks.report_generate_scheduled",
        "季度考核（每季度首日 07:30）",
        {
            "minute": "30",
            "hour": "7",
            "day_of_week": "*",
            "day_of_month": "1",
            "month_of_year": "1,4,7,10",
        },
        {"kind": "quarterly"},
    ),
    (
        "dispatch.tasks.reminders_send",
        "催报提醒（每周五 09:00）",
        {"minute": "0", "hour": "9", "day_of_week": "5", "day_of_month": "*", "month_of_year": "*"},
        {},
    ),
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for task, name, fields, kwargs in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(timezone=TZ, **fields)
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={"task": task, "crontab": crontab, "kwargs": json.dumps(kwargs), "enabled": True},
        )


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for _, name, _, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
