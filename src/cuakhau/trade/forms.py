from django import forms
from django.utils.translation import gettext_lazy as _

from cuakhau.core.fields import VNDecimalField

from .models import Series


class RateForm(forms.Form):
    day = forms.DateField(
        label=_("Ngày"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    currency = forms.CharField(label=_("Tiền tệ"), max_length=3, initial="USD")
    vnd_per_unit = VNDecimalField(label=_("Tỷ giá trung tâm (đồng)"), max_digits=18, decimal_places=4)
    source = forms.CharField(
        label=_("Nguồn"), max_length=255, required=False, initial=_("Ngân hàng Nhà nước Việt Nam")
    )


class ImportForm(forms.Form):
    series = forms.ModelChoiceField(label=_("Chuỗi số liệu"), queryset=Series.objects.none())
    file = forms.FileField(label=_("Tệp CSV hoặc Excel (.xlsx)"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = Series.objects.for_user(user, "change")
