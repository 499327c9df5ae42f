from django import forms

from core.forms import DateInput, StyledFormMixin

MAX_UPLOAD_BYTES = 30 * 1024 * 1024


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="摸排表文件",
        help_text="Excel 工作簿（.xlsx），不超过30MB",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if name.endswith(".xls"):
            raise forms.ValidationError("这是旧版Excel（.xls）文件，请另存为.xlsx后再上传。")
        if not name.endswith((".xlsx", ".xlsm")):
            raise forms.ValidationError("请上传Excel工作簿（.xlsx）文件。")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件超过30MB，请分成多个文件上传。")
        return upload


class AsOfForm(StyledFormMixin, forms.Form):
    as_of = forms.DateField(
        label="交房记录日期",
        required=False,
        widget=DateInput(),
        help_text="已交房套数增加的项目，按此日期登记交房记录；留空则按表中的截至日期或导入当天。",
    )
