from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind, PeriodKind, Report


class DraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=Kind.choices)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2999)
    period_kind = forms.ChoiceField(
        label=_("Kỳ báo cáo"), choices=PeriodKind.choices, initial=PeriodKind.YEAR, required=False
    )
    period_number = forms.IntegerField(
        label=_("Quý hoặc tháng"),
        min_value=0,
        max_value=12,
        required=False,
        help_text=_("Để trống với báo cáo năm."),
    )


class EditForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = [
            "number",
            "results_text",
            "shortcomings_text",
            "next_text",
            "recipients",
            "signer_title",
            "signer_name",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 8}) for f in ("results_text", "shortcomings_text", "next_text")
        } | {"recipients": forms.Textarea(attrs={"rows": 5})}


class IssueForm(forms.Form):
    number = forms.CharField(label=_("Số ký hiệu"), max_length=40, help_text=_("ví dụ 15/BC-BQL"))
    issued_on = forms.DateField(
        label=_("Ngày ban hành"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)
