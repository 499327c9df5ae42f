from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm


class LoginForm(AuthenticationForm):
    """Django's login form in Chinese; the message never says which of the two was wrong."""

    error_messages = {
        "invalid_login": "用户名或密码错误。连续失败5次，该账号在本机将被锁定15分钟。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs.update(
            {
                "class": "form-control form-control-lg",
                "placeholder": "请输入用户名",
                "autofocus": True,
            }
        )
        self.fields["password"].widget.attrs.update(
            {"class": "form-control form-control-lg", "placeholder": "请输入密码"}
        )


class StyledFormMixin:
    """Bootstrap classes on every widget, so templates render fields with one include."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(widget, forms.Textarea) and str(widget.attrs.get("rows")) == "10":
                widget.attrs["rows"] = 3
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = "请选择"
            elif isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
                choices: list[Any] = list(field.choices)  # type: ignore[arg-type]
                if choices and choices[0][0] == "":
                    field.choices = [("", "请选择"), *choices[1:]]


class VersionedFormMixin:
    """An edit form carries the version it was opened at (core.versioning), in a hidden field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.fields["version"] = forms.IntegerField(  # type: ignore[attr-defined]
                widget=forms.HiddenInput, required=False, initial=instance.version
            )

    def expected_version(self) -> int:
        return int(self.cleaned_data.get("version") or 0)  # type: ignore[attr-defined]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)  # type: ignore[arg-type]


REASON_FIELD_KWARGS: dict[str, object] = {
    "label": "变更说明",
    "required": False,
    "max_length": 100,
    "help_text": "可选：说明本次修改的原因，将记入变更记录。",
}


class OwnPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    """Django's form with the platform's styling; saving it revokes the user's API tokens
    (core.receivers) and signs out the user's other sessions."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "当前密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"
