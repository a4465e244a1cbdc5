from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Flow, GoodsKind, MixedLoadRule, Origin, RuleKind, Tariff

DAY_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class CalculatorForm(forms.Form):
    tariff = forms.ChoiceField(label=_("Biểu phí"), required=False)
    flow = forms.ChoiceField(label=_("Loại hình"), choices=Flow.choices)
    goods = forms.ChoiceField(label=_("Loại hàng"), choices=[("", "—")] + GoodsKind.choices, required=False)
    tonnes = forms.DecimalField(
        label=_("Khối lượng hàng (tấn)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=3,
        localize=True,
    )
    m3 = forms.DecimalField(
        label=_("Thể tích hàng (m³)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=3,
        localize=True,
    )
    container = forms.TypedChoiceField(
        label=_("Container"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Không")), (20, _("20 feet")), (40, _("40 feet"))],
    )
    vehicle_tonnes = forms.DecimalField(
        label=_("Tải trọng xe (tấn)"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        localize=True,
        help_text=_("Để trống: tính theo khối lượng hàng."),
    )
    origin = forms.ChoiceField(label=_("Xuất xứ hàng"), choices=Origin.choices, initial=Origin.VN)
    taxable = forms.BooleanField(label=_("Hàng nhập khẩu chịu thuế"), required=False)
    delivered_inland = forms.BooleanField(label=_("Xe nhập khẩu vào nội địa giao hàng"), required=False)
    transship_only = forms.BooleanField(label=_("Xe chỉ sang tải tại bãi"), required=False)
    on = forms.DateField(
        label=_("Ngày tính phí"),
        required=False,
        input_formats=DAY_FORMATS,
        help_text=_("dd/mm/yyyy; để trống là hôm nay."),
    )

    def __init__(self, *args, tariffs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tariff"].choices = [("", _("Biểu phí của khu kinh tế đang áp dụng"))] + [
            (t.code, f"{t.code} — {t.name}") for t in tariffs
        ]


class TariffReviseForm(forms.Form):
    """A new version of a tariff: its day of effect, why, and the new figures of each rule."""

    effective_from = forms.DateField(
        label=_("Áp dụng từ ngày"), input_formats=DAY_FORMATS, help_text=_("dd/mm/yyyy")
    )
    change_note = forms.CharField(label=_("Lý do, căn cứ sửa đổi"), widget=forms.Textarea(attrs={"rows": 3}))
    cap_per_trip = forms.IntegerField(label=_("Mức thu tối đa mỗi lượt (đồng)"), required=False, min_value=1)
    mixed_load_rule = forms.ChoiceField(label=_("Quy tắc hàng ghép"), choices=MixedLoadRule.choices)

    def __init__(self, *args, tariff: Tariff, **kwargs):
        super().__init__(*args, **kwargs)
        self.tariff = tariff
        self.rules = list(tariff.rules.all())
        self.fields["cap_per_trip"].initial = tariff.cap_per_trip
        self.fields["mixed_load_rule"].initial = tariff.mixed_load_rule
        for rule in self.rules:
            if rule.kind == RuleKind.RATE:
                self.fields[f"amount_{rule.key}"] = forms.IntegerField(
                    label=rule.label, min_value=0, initial=rule.amount
                )
            elif rule.kind == RuleKind.MULTIPLIER:
                self.fields[f"multiplier_percent_{rule.key}"] = forms.IntegerField(
                    label=rule.label, min_value=1, max_value=10000, initial=rule.multiplier_percent
                )
            self.fields[f"is_demo_{rule.key}"] = forms.BooleanField(
                label=_("giá trị minh họa"), required=False, initial=rule.is_demo
            )

    def rule_rows(self):
        for rule in self.rules:
            value_name = ("amount_" if rule.kind == RuleKind.RATE else "multiplier_percent_") + rule.key
            yield {
                "rule": rule,
                "value": self[value_name] if value_name in self.fields else None,
                "demo": self[f"is_demo_{rule.key}"],
            }

    def rule_changes(self) -> dict:
        changes = {}
        for rule in self.rules:
            data = {"is_demo": self.cleaned_data[f"is_demo_{rule.key}"]}
            if rule.kind == RuleKind.RATE:
                data["amount"] = self.cleaned_data[f"amount_{rule.key}"]
            elif rule.kind == RuleKind.MULTIPLIER:
                data["multiplier_percent"] = self.cleaned_data[f"multiplier_percent_{rule.key}"]
            changes[rule.key] = data
        return changes
