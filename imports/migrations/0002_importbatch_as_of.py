from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="as_of",
            field=models.DateField(blank=True, help_text="导入人在预览中指定；为空时取表中的截至/填报日期，表中没有则为导入当天", null=True, verbose_name="交房记录日期"),
        ),
    ]
