"""Forms of the dispatch pages: meetings, supervision tasks and the steps of a task."""

from typing import Any

from django import forms
from django.utils import timezone

from core.forms import REASON_FIELD_KWARGS, DateInput, StyledFormMixin, VersionedFormMixin
from core.models import Department, User
from dispatch.models import DispatchMeeting, SupervisionTask
from dispatch.services import MEETING_FIELDS, MEETING_RELATIONS, TASK_FIELDS
from projects.models import Project

PROJECT_SEARCH_URL = "/projects/search.json"


def _active_users() -> Any:
    return User.objects.filter(is_active=True).order_by("username")


def _remote_projects(field: forms.Field, chosen: list[str], *, blank: bool = False) -> None:
    """Thousands of projects: render only the chosen ones; the rest load from the search."""
    ids = [int(v) for v in chosen if str(v).isdigit() and len(str(v)) < 12]
    field.widget.choices = [("", "请选择")] if blank else []
    field.widget.choices += [
        (p.pk, f"{p.code} {p.name}") for p in Project.objects.filter(pk__in=ids).order_by("code")
    ]
    field.widget.attrs["data-remote"] = PROJECT_SEARCH_URL


def _chosen(form: forms.BaseForm, name: str, multiple: bool) -> list[str]:
    if form.is_bound:
        data: Any = form.data
        return (
            list(data.getlist(name)) if multiple and hasattr(data, "getlist") else [data.get(name)]
        )
    value = form.initial.get(name)
    if value is None:
        return []
    values = value if isinstance(value, list | tuple) else [value]
    return [str(getattr(v, "pk", v)) for v in values]


class MeetingForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    change_reason = forms.CharField(**REASON_FIELD_KWARGS)  # type: ignore[arg-type]

    class Meta:
        model = DispatchMeeting
        fields = ["date", "title", "chair", "attendees", "projects", "minutes"]
        widgets = {"date": DateInput(), "minutes": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["change_reason"]
            self.fields["date"].initial = timezone.localdate()
            self.fields["title"].initial = "全县保交房工作周调度会"
        self.fields["chair"].queryset = _active_users()  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = _active_users()  # type: ignore[attr-defined]
        self.fields["projects"].queryset = Project.objects.all()  # type: ignore[attr-defined]
        for name in ("chair", "attendees"):
            self.fields[name].widget.attrs["data-picker"] = "users"
        _remote_projects(self.fields["projects"], _chosen(self, "projects", multiple=True))
        self.fields["projects"].help_text = "输入项目名称或编号查找，可选多个"
        self.fields["minutes"].help_text = "会议议定事项可在保存后逐项“交办督办事项”"

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in [*MEETING_FIELDS, *MEETING_RELATIONS]}


class TaskForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    """What is asked, of whom, by when; the source comes from the page that opened the form."""

    change_reason = forms.CharField(**REASON_FIELD_KWARGS)  # type: ignore[arg-type]

    class Meta:
        model = SupervisionTask
        fields = TASK_FIELDS
        widgets = {
            "deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self,
        *args: Any,
        project_fixed: bool = False,
        deadline_fixed: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["change_reason"]
        if deadline_fixed:
            self.fields["deadline"].disabled = True
            self.fields["deadline"].help_text = "完成时限只能由县领导或系统管理员调整"
        if project_fixed:
            del self.fields["project"]
        else:
            self.fields["project"].queryset = Project.objects.all()  # type: ignore[attr-defined]
            chosen = _chosen(self, "project", multiple=False)
            _remote_projects(self.fields["project"], chosen, blank=True)
            self.fields["project"].help_text = "输入项目名称或编号查找；与具体项目无关可不选"
        departments = Department.objects.order_by("name")
        self.fields["assignee_department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["assignee_user"].queryset = _active_users()  # type: ignore[attr-defined]
        self.fields["assignee_user"].widget.attrs["data-picker"] = "users"
        self.fields["assignee_user"].help_text = "责任部门与责任人至少填写一项"

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in TASK_FIELDS if name in self.fields}


class ProgressForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="办理情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="填写后状态变为“办理中”，每次填报都记入变更记录",
    )


class CompleteForm(StyledFormMixin, forms.Form):
    """The result; the day is today (the server's), unless the user may enter a 补录."""

    result = forms.CharField(label="办理结果", widget=forms.Textarea(attrs={"rows": 3}))
    done_date = forms.DateField(
        label="完成日期",
        widget=DateInput(),
        required=False,
        initial=timezone.localdate,
        help_text="早于今天即为补录：须说明理由，按期完成仍按登记日计算",
    )
    reason = forms.CharField(label="补录理由", max_length=100, required=False)

    def __init__(self, *args: Any, backdate: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not backdate:
            del self.fields["done_date"]
            del self.fields["reason"]


class ReopenForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="重新打开的理由", max_length=80, widget=forms.Textarea(attrs={"rows": 2})
    )


TASK_STEP_FORMS: dict[str, tuple[str, type[forms.Form]]] = {
    "progress": ("填报办理情况", ProgressForm),
    "complete": ("办结", CompleteForm),
    "reopen": ("重新打开", ReopenForm),
}
