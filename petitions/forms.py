"""Forms of the petition register: fast registration and one small form per workflow step."""

from typing import Any

from django import forms
from django.utils import timezone

from core.forms import DateInput, StyledFormMixin
from core.models import Department, User
from core.roles import Role
from petitions.models import Petition
from petitions.services import MAX_EXTENSION_DAYS, REGISTER_FIELDS
from projects.models import Project


class RegistrationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Petition
        fields = REGISTER_FIELDS
        widgets = {
            "received_date": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "headcount": forms.NumberInput(attrs={"min": 1}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_date"].initial = timezone.localdate()
        self.fields["channel"].initial = Petition.Channel.PHONE
        self.fields["project"].help_text = "输入项目名称或编号查找；与项目无关可不选"
        self.fields["petitioner_id_number"].help_text = "18位，末位可为X；系统会核对末位校验码"
        self.fields["duplicate_of"].help_text = "与近期信访件重复时，选择关联的原件"
        # Thousands of projects and petitions: render only the chosen option, the rest loads
        # on demand from the search endpoints.
        for name, model in (("project", Project), ("duplicate_of", Petition)):
            chosen = self.data.get(name) or self.initial.get(name)
            widget = self.fields[name].widget
            widget.choices = [("", "请选择")]
            if chosen and str(chosen).isdigit():
                obj = model.objects.filter(pk=int(chosen)).first()
                if obj is not None:
                    widget.choices.append((obj.pk, str(obj)))
        self.fields["project"].widget.attrs["data-remote"] = "/projects/search.json"

    def clean_petitioner_id_number(self) -> str:
        return str(self.cleaned_data["petitioner_id_number"]).strip().upper()

    def clean_petitioner_phone(self) -> str:
        return str(self.cleaned_data["petitioner_phone"]).strip().replace(" ", "")

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in REGISTER_FIELDS}


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="办理意见", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AcceptForm(NoteForm):
    on = forms.DateField(label="受理日期", widget=DateInput(), initial=timezone.localdate)


class RejectForm(NoteForm):
    on = forms.DateField(label="不予受理日期", widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label="不予受理理由", widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(NoteForm):
    department = forms.ModelChoiceField(
        label="承办部门", queryset=Department.objects.order_by("name")
    )
    case_leader = forms.ModelChoiceField(
        label="包案领导（疑难件）",
        queryset=User.objects.filter(groups__name=Role.LEADER).order_by("username"),
        required=False,
    )


class ExtendForm(NoteForm):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=MAX_EXTENSION_DAYS)
    note = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(NoteForm):
    note = forms.CharField(label="答复意见", widget=forms.Textarea(attrs={"rows": 5}))
    on = forms.DateField(label="答复日期", widget=DateInput(), initial=timezone.localdate)
    backdate_reason = forms.CharField(
        label="补录原因",
        required=False,
        max_length=300,
        help_text="答复日期早于今天时必填；按期办结率按录入日计算",
    )


class CloseForm(NoteForm):
    satisfaction = forms.ChoiceField(
        label="信访人评价", choices=Petition.Satisfaction.choices, widget=forms.RadioSelect
    )
    on = forms.DateField(label="办结日期", widget=DateInput(), initial=timezone.localdate)


class ReviewForm(NoteForm):
    on = forms.DateField(label="申请日期", widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(
        label="信访人不服的理由", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


ACTION_FORMS: dict[str, type[NoteForm]] = {
    "accept": AcceptForm,
    "reject": RejectForm,
    "assign": AssignForm,
    "extend": ExtendForm,
    "reply": ReplyForm,
    "close": CloseForm,
    "review": ReviewForm,
}
