"""Forms for the procedures pages. They collect input; the services check it and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cuakhau.core.fields import VNDecimalField, VNIntegerField
from cuakhau.core.models import User

from .models import DeadlineUnit, Procedure, ProcedureVersion

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y"]
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


FILES_HELP = _("PDF, JPG, PNG, DOCX hoặc XLSX; mỗi tệp tối đa 10 MB, tối đa 20 tệp một hồ sơ.")


def _procedures():
    return Procedure.objects.published()


class SubmitForm(forms.Form):
    procedure = forms.ModelChoiceField(
        label=_("Thủ tục"), queryset=Procedure.objects.none(), to_field_name="code"
    )
    subject = forms.CharField(
        label=_("Nội dung đề nghị"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    applicant_name = forms.CharField(
        label=_("Người nộp hồ sơ"),
        max_length=200,
        required=False,
        help_text=_("Bỏ trống để dùng tên doanh nghiệp."),
    )
    applicant_email = forms.EmailField(label=_("Thư điện tử nhận thông báo"), required=False)
    applicant_phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    files = MultipleFileField(label=_("Thành phần hồ sơ"), required=False, help_text=FILES_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = _procedures()


class DeskForm(SubmitForm):
    applicant_name = forms.CharField(label=_("Người nộp hồ sơ"), max_length=200)
    applicant_id = forms.CharField(label=_("Mã số thuế / số CCCD, hộ chiếu"), max_length=20)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    note = forms.CharField(
        label=_("Ghi chú nội bộ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))


class HandoffForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Cán bộ thụ lý (bước sau)"), queryset=User.objects.none(), required=False
    )
    internal_note = forms.CharField(
        label=_("Ghi chú nội bộ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            self.fields["assignee"].queryset = User.objects.filter(unit=unit, is_active=True)


class SupplementRequestForm(forms.Form):
    items = forms.CharField(
        label=_("Nội dung cần bổ sung (gửi người nộp)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    internal_note = forms.CharField(
        label=_("Ghi chú nội bộ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SupplementForm(forms.Form):
    files = MultipleFileField(label=_("Tệp bổ sung"), required=False, help_text=FILES_HELP)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FeeForm(forms.Form):
    amount = VNIntegerField(label=_("Số tiền (đồng)"), min_value=1, required=False)


class PayFeeForm(forms.Form):
    online = forms.BooleanField(label=_("Nộp trực tuyến"), required=False)


class ProcessForm(forms.Form):
    result_summary = forms.CharField(
        label=_("Kết quả giải quyết (công khai)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    files = MultipleFileField(label=_("Tệp kết quả"), required=False, help_text=FILES_HELP)
    internal_note = forms.CharField(
        label=_("Ghi chú nội bộ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApologyForm(forms.Form):
    reason = forms.CharField(label=_("Lý do quá hạn"), widget=forms.Textarea(attrs={"rows": 3}))
    new_due_at = forms.DateTimeField(
        label=_("Hẹn lại ngày trả kết quả"),
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
        required=False,
    )


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=64)
    key = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=20,
        help_text=_("In trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, cạnh mã hồ sơ."),
    )


def _label(name: str):
    return capfirst(ProcedureVersion._meta.get_field(name).verbose_name)


class VersionForm(forms.Form):
    """A new version of a procedure: what the Board confirms or corrects. The service checks the values."""

    valid_from = forms.DateTimeField(
        label=_label("valid_from"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    deadline = VNDecimalField(label=_label("deadline"))
    deadline_unit = forms.ChoiceField(label=_label("deadline_unit"), choices=DeadlineUnit.choices)
    fee = VNIntegerField(label=_label("fee"), min_value=0)
    fee_note = forms.CharField(label=_label("fee_note"), max_length=300, required=False)
    legal_basis = forms.CharField(label=_label("legal_basis"), widget=forms.Textarea(attrs={"rows": 4}))
    to_be_confirmed = forms.BooleanField(label=_label("to_be_confirmed"), required=False)


TRANSITION_FORMS = {
    "receive": NoteForm,
    "refuse": ReasonForm,
    "handoff": HandoffForm,
    "request_supplement": SupplementRequestForm,
    "supplement": SupplementForm,
    "request_fee": FeeForm,
    "pay_fee": PayFeeForm,
    "process": ProcessForm,
    "return": NoteForm,
    "withdraw": ReasonForm,
    "stop": NoteForm,
    "apologise": ApologyForm,
}
