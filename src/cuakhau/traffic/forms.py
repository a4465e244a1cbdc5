"""Forms for the traffic pages. They collect input; the services check it and say what is wrong."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cuakhau.core.fields import VNDecimalField, VNIntegerField
from cuakhau.gates.models import Gate
from cuakhau.parties.models import Driver, Enterprise

from .models import CheckStatus, ContainerSize, Direction, ExitMode, Flow

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"]


class DriverChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # The masked number only: a select list is not an audited reading.
        return f"{obj.full_name} · {obj.masked_id}"


class DeclarationForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Doanh nghiệp"), queryset=Enterprise.objects.none())
    gate = forms.ModelChoiceField(label=_("Cửa khẩu / đường chuyên dụng"), queryset=Gate.objects.none())
    flow = forms.ChoiceField(label=_("Loại hình"), choices=Flow.choices)
    direction = forms.ChoiceField(
        label=_("Hướng"),
        choices=[("", _("Theo loại hình"))] + list(Direction.choices),
        required=False,
        help_text=_("Chỉ cần chọn với quá cảnh, chuyển tải, kho ngoại quan, cư dân biên giới."),
    )
    vehicle = forms.CharField(
        label=_("Biển số xe"),
        max_length=32,
        help_text=_("Ví dụ 12C-123.45 hoặc 桂F·12345; xe phải đã đăng ký."),
    )
    trailer = forms.CharField(label=_("Biển rơ moóc"), max_length=32, required=False)
    driver = DriverChoice(label=_("Lái xe"), queryset=Driver.objects.none())
    planned_arrival = forms.DateTimeField(
        label=_("Dự kiến đến"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    two_way = forms.BooleanField(label=_("Xe hai chiều (chở hàng cả chiều về)"), required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args, enterprises, drivers, gates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["driver"].queryset = drivers
        self.fields["gate"].queryset = gates
        if enterprises.count() == 1:
            self.fields["enterprise"].initial = enterprises.first()


class LineForm(forms.Form):
    hs_code = forms.CharField(label=_("Mã HS (8 số)"), max_length=20)
    description = forms.CharField(label=_("Mô tả hàng"), max_length=255)
    # Numbers typed the reader's way (core.numbers): "1.200" is 1200 on a Vietnamese page and "1,200"
    # is refused on its own field, with its two readings; a page shown again keeps the text as typed,
    # and the edit page shows a saved 1200 as "1.200". The service checks the range.
    quantity = VNDecimalField(label=_("Số lượng"))
    unit = forms.CharField(label=_("ĐVT"), max_length=16)
    gross_kg = VNDecimalField(label=_("Trọng lượng (kg)"))
    value = VNDecimalField(label=_("Trị giá"))
    currency = forms.CharField(
        label=_("Tiền tệ"), max_length=3, required=False, widget=forms.TextInput(attrs={"placeholder": "VND"})
    )
    value_vnd = VNDecimalField(label=_("Quy ra đồng"), required=False)


class ContainerForm(forms.Form):
    number = forms.CharField(label=_("Số container"), max_length=16)
    size = forms.TypedChoiceField(label=_("Cỡ"), choices=[("", "—"), *ContainerSize.choices], coerce=int)


class RowFormSet(forms.BaseFormSet):
    """Rows the declarant adds and removes (static/cuakhau/formset.js). A row is removed by ticking
    its "remove" box, which the script does behind its button, so the page works without script too;
    `rows()` are the rows that carry input."""

    deletion_widget = forms.CheckboxInput(attrs={"data-row-delete": ""})

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Bỏ dòng này")

    def rows(self) -> list[forms.Form]:
        """The filled rows that are kept, in page order: a row first shown filled (the edit page) or
        changed since, and not removed. Call after is_valid()."""
        kept = []
        for i, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", {})
            if data.get("DELETE") or (i >= self.initial_form_count() and not form.has_changed()):
                continue
            kept.append(form)
        return kept


# A small extra so that the page works without script; the script adds more, up to max_num (the
# service's limits: 50 goods lines, 4 containers a vehicle).
LineFormSet = forms.formset_factory(LineForm, formset=RowFormSet, extra=1, max_num=50, can_delete=True)
ContainerFormSet = forms.formset_factory(
    ContainerForm, formset=RowFormSet, extra=1, max_num=4, can_delete=True
)


def enterprise_choices(user):
    from cuakhau.parties.permissions import acting_for

    from .permissions import may_declare_for_anyone

    if may_declare_for_anyone(user):
        return Enterprise.objects.filter(is_active=True)
    return Enterprise.objects.filter(pk__in=acting_for(user), is_active=True)


def driver_choices(user):
    """The drivers of the enterprises the user acts for, and drivers with no employer on record
    (Chinese drivers of Guangxi trucks)."""
    from cuakhau.parties.permissions import acting_for

    from .permissions import may_declare_for_anyone

    drivers = Driver.objects.filter(is_active=True)
    if may_declare_for_anyone(user):
        return drivers
    return drivers.filter(Q(employer__in=acting_for(user)) | Q(employer__isnull=True))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=500, required=False)


class CheckForm(forms.Form):
    status = forms.ChoiceField(choices=[(CheckStatus.PASSED, _("Đạt")), (CheckStatus.HELD, _("Tạm giữ"))])
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class CapacityForm(forms.Form):
    direction = forms.ChoiceField(label=_("Hướng"), choices=Direction.choices)
    daily_limit = VNIntegerField(label=_("Số xe tối đa mỗi ngày"), min_value=1)


class SlotForm(forms.Form):
    direction = forms.ChoiceField(label=_("Hướng"), choices=Direction.choices)
    starts = forms.TimeField(label=_("Từ giờ"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Đến giờ"), widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = VNIntegerField(label=_("Số xe"), min_value=1)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx) theo mẫu"))
    submit = forms.BooleanField(label=_("Gửi duyệt ngay sau khi nhập"), required=False)


class ExitRuleForm(forms.Form):
    """A gate's exit rule from a day on (services.exit_rule_set checks the day and the rest)."""

    gate = forms.ModelChoiceField(
        label=_("Cửa khẩu / đường chuyên dụng"), queryset=Gate.objects.filter(is_active=True)
    )
    mode = forms.ChoiceField(label=_("Quy định khi xe ra"), choices=ExitMode.choices)
    effective_from = forms.DateField(
        label=_("Áp dụng từ ngày"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    decision = forms.CharField(
        label=_("Căn cứ"), max_length=255, help_text=_("Số, ngày văn bản của Ban quyết định quy định này.")
    )


class ExitReleaseForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do cho xe ra khi chưa nộp phí"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
