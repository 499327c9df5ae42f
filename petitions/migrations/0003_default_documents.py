"""The four formal notices of the 信访工作条例, as editable templates, and admin permissions."""

from django.db import migrations

from core.roles import sync_role_groups

DOCUMENTS = {
    "acceptance": (
        "信访事项受理告知书",
        "{{信访人}}：\n\n"
        "　　您于{{登记日期}}提出的信访事项（编号{{编号}}），内容为：{{诉求摘要}}\n\n"
        "　　经审查，该事项符合《信访工作条例》规定的受理条件，本机关已于{{受理日期}}依法受理，"
        "并交由{{承办部门}}办理。承办单位将在受理之日起60日内（即{{办理期限}}前）办结并书面答复。\n\n"
        "　　特此告知。\n\n{{单位}}\n{{今天}}",
    ),
    "non_acceptance": (
        "信访事项不予受理告知书",
        "{{信访人}}：\n\n"
        "　　您于{{登记日期}}提出的信访事项（编号{{编号}}），内容为：{{诉求摘要}}\n\n"
        "　　经审查，该事项不属于信访受理范围，理由如下：{{办理意见}}\n\n"
        "　　您可依照有关法律、行政法规规定的程序向有关机关提出。\n\n"
        "　　特此告知。\n\n{{单位}}\n{{今天}}",
    ),
    "extension": (
        "信访事项延期办理告知书",
        "{{信访人}}：\n\n"
        "　　您提出的信访事项（编号{{编号}}）已于{{受理日期}}受理。因{{延期理由}}，"
        "经批准，办理期限延长{{延期天数}}日，延长后的办理期限为{{办理期限}}。\n\n"
        "　　特此告知。\n\n{{单位}}\n{{今天}}",
    ),
    "reply": (
        "信访事项答复意见书",
        "{{信访人}}：\n\n"
        "　　您于{{登记日期}}提出的信访事项（编号{{编号}}），内容为：{{诉求摘要}}\n\n"
        "　　经{{承办部门}}调查核实，处理意见如下：\n\n{{办理意见}}\n\n"
        "　　如对本处理意见不服，可自收到本意见书之日起30日内向原办理机关的上一级机关请求复查。\n\n"
        "{{承办部门}}\n{{今天}}",
    ),
}


def forwards(apps, schema_editor):
    template = apps.get_model("petitions", "DocumentTemplate")
    for kind, (title, body) in DOCUMENTS.items():
        template.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0002_review_sequence_documents"),
        ("core", "0004_role_groups_saved_filters"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
