from django import forms
from django.utils.translation import gettext_lazy as _

from cuakhau.core.models import Unit
from cuakhau.core.roles import UnitKind

from .models import Gate


class GateForm(forms.ModelForm):
    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị làm việc tại cửa khẩu"),
        queryset=Unit.objects.filter(kind__in=[UnitKind.GATE_CENTRE, UnitKind.AGENCY]),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Gate
        fields = [
            "code",
            "name",
            "name_en",
            "name_zh",
            "kind",
            "mode",
            "paired_gate_cn",
            "landmarks",
            "parent",
            "daily_vehicles",
            "latitude",
            "longitude",
            "sort_order",
            "is_active",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Gate.objects.filter(parent__isnull=True).exclude(pk=self.instance.pk)
        if self.instance.pk:
            self.fields["units"].initial = list(self.instance.units.all())
