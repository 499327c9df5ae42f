"""The five roles of the task force, as Django Groups, and the model permissions each holds.

Model permissions say what kind of thing a role may touch; the per-object scope (own 专班, own
department) lives in each app's permissions.py.
"""

from typing import Any

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    LEADER = "leader", "县领导"
    TASKFORCE = "taskforce", "专班成员"
    PETITION = "petition", "信访专员"
    DEPARTMENT = "department", "部门人员"


_LEDGER_MODELS = [
    "projects.company",
    "projects.project",
    "projects.milestone",
    "ledgers.progressreport",
    "ledgers.problem",
    "ledgers.fundingrecord",
    "ledgers.deliveryrecord",
    "ledgers.inspection",
]
_READ_ALL = [
    *_LEDGER_MODELS,
    "projects.taskforce",
    "petitions.petition",
    "petitions.petitionevent",
    "dispatch.dispatchmeeting",
    "dispatch.supervisiontask",
    "dispatch.report",
    "dispatch.annualtarget",
]


def _perms(verbs: list[str], models_: list[str]) -> list[str]:
    out: list[str] = []
    for label in models_:
        app, model = label.split(".")
        out.extend(f"{app}.{verb}_{model}" for verb in verbs)
    return out


ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.LEADER: [*_perms(["view"], _READ_ALL), "dispatch.change_report"],
    Role.TASKFORCE: [
        *_perms(["view"], _READ_ALL),
        *_perms(["add", "change"], _LEDGER_MODELS),
        *_perms(["add", "change"], ["dispatch.dispatchmeeting", "dispatch.supervisiontask"]),
    ],
    Role.PETITION: [
        *_perms(["view"], ["projects.project", "projects.company", "projects.taskforce"]),
        *_perms(["view", "add", "change"], ["petitions.petition", "petitions.petitionevent"]),
        *_perms(["view", "add"], ["dispatch.supervisiontask"]),
    ],
    Role.DEPARTMENT: [
        *_perms(["view"], ["projects.project", "projects.company", "projects.taskforce"]),
        *_perms(["view", "change"], ["petitions.petition", "dispatch.supervisiontask"]),
        *_perms(["view", "add"], ["petitions.petitionevent"]),
    ],
}


def sync_role_groups(apps: Any) -> None:
    """Create the role groups and give each its permissions; safe to run again.

    Called from data migrations with the historical app registry. Permissions of models that
    do not exist yet at that point in the migration graph are skipped; a later migration that
    adds such a model calls this again.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    all_perms = permission_model.objects.all()
    for role in Role:
        group, _ = group_model.objects.get_or_create(name=role.value)
        if role == Role.ADMIN:
            group.permissions.set(all_perms)
            continue
        wanted = []
        for dotted in ROLE_PERMISSIONS[role]:
            app_label, codename = dotted.split(".")
            perm = all_perms.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)
