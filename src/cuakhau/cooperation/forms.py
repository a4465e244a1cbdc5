"""Forms for the cooperation pages. They collect input; the services check it and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cuakhau.core.models import Unit
from cuakhau.core.roles import UnitKind

from .models import (
    ActionStatus,
    Agreement,
    AgreementKind,
    Counterpart,
    CounterpartKind,
    FileLanguage,
    Meeting,
    MilestoneStatus,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
ZH = {"lang": "zh-Hans"}


def _counterparts_field():
    return forms.ModelMultipleChoiceField(
        label=_("Đối tác phía Trung Quốc"),
        queryset=Counterpart.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )


def owner_units():
    return Unit.objects.filter(is_active=True).exclude(
        kind__in=[UnitKind.ENTERPRISE, UnitKind.PROVINCIAL_LEADERSHIP]
    )


class CounterpartForm(forms.Form):
    code = forms.SlugField(
        label=_("Mã"), max_length=40, help_text=_("Chữ không dấu, số, gạch ngang; ví dụ pingxiang.")
    )
    name_vi = forms.CharField(label=_("Tên tiếng Việt"), max_length=255)
    name_zh = forms.CharField(label=_("Tên tiếng Trung"), max_length=255, widget=forms.TextInput(attrs=ZH))
    kind = forms.ChoiceField(label=_("Loại"), choices=CounterpartKind.choices)
    region = forms.CharField(label=_("Địa phương"), max_length=120, initial="Quảng Tây (广西)")
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_active = forms.BooleanField(label=_("Đang quan hệ"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=255)
    held_on = forms.DateField(label=_("Ngày"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    place = forms.CharField(label=_("Địa điểm"), max_length=255)
    counterparts = None  # set in __init__ (the queryset is read per request)
    participants_vn = forms.CharField(
        label=_("Thành phần phía Việt Nam"), widget=forms.Textarea(attrs={"rows": 3})
    )
    participants_cn = forms.CharField(
        label=_("Thành phần phía Trung Quốc"), widget=forms.Textarea(attrs={"rows": 3, **ZH})
    )
    minutes_vi = forms.CharField(
        label=_("Biên bản (tiếng Việt)"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    minutes_zh = forms.CharField(
        label=_("Biên bản (tiếng Trung)"), required=False, widget=forms.Textarea(attrs={"rows": 8, **ZH})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counterparts"] = _counterparts_field()
        self.order_fields(["title", "held_on", "place", "counterparts"])


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255)
    language = forms.ChoiceField(label=_("Ngôn ngữ"), choices=FileLanguage.choices)
    upload = forms.FileField(label=_("Tệp"), help_text=_("PDF, Word, Excel hoặc ảnh JPEG/PNG; tối đa 20 MB."))


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=AgreementKind.choices)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=64, required=False)
    title_vi = forms.CharField(label=_("Tên (tiếng Việt)"), max_length=255)
    title_zh = forms.CharField(
        label=_("Tên (tiếng Trung)"), max_length=255, required=False, widget=forms.TextInput(attrs=ZH)
    )
    signed_on = forms.DateField(label=_("Ngày ký"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    signed_place = forms.CharField(label=_("Nơi ký"), max_length=255, required=False)
    parties_vn = forms.CharField(label=_("Bên Việt Nam"), max_length=500)
    meeting = forms.ModelChoiceField(
        label=_("Ký tại cuộc hội đàm"), queryset=Meeting.objects.all(), required=False
    )
    valid_until = forms.DateField(
        label=_("Hiệu lực đến"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )
    text_vi = forms.CharField(
        label=_("Nội dung (tiếng Việt)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    text_zh = forms.CharField(
        label=_("Nội dung (tiếng Trung)"), required=False, widget=forms.Textarea(attrs={"rows": 6, **ZH})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counterparts"] = _counterparts_field()
        self.order_fields(
            [
                "kind",
                "number",
                "title_vi",
                "title_zh",
                "signed_on",
                "signed_place",
                "parties_vn",
                "counterparts",
            ]
        )


class CommitmentForm(forms.Form):
    text_vi = forms.CharField(label=_("Cam kết (tiếng Việt)"), widget=forms.Textarea(attrs={"rows": 2}))
    text_zh = forms.CharField(
        label=_("Cam kết (tiếng Trung)"), required=False, widget=forms.Textarea(attrs={"rows": 2, **ZH})
    )
    owner_unit = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=Unit.objects.none())
    due_on = forms.DateField(label=_("Hạn"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = owner_units()


class ReportForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), choices=ActionStatus.choices)
    note = forms.CharField(label=_("Nội dung báo cáo"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, statuses: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if statuses is not None:  # only where the action may go, for this user
            self.fields["status"].choices = [c for c in ActionStatus.choices if c[0] in statuses]


class MilestoneForm(forms.Form):
    on = forms.DateField(label=_("Ngày (hoặc ngày dự kiến)"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    title_vi = forms.CharField(label=_("Mốc (tiếng Việt)"), max_length=255)
    title_zh = forms.CharField(
        label=_("Mốc (tiếng Trung)"), max_length=255, required=False, widget=forms.TextInput(attrs=ZH)
    )
    status = forms.ChoiceField(label=_("Trạng thái"), choices=MilestoneStatus.choices)
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label=_("Nguồn"), max_length=500, required=False)
    agreement = forms.ModelChoiceField(
        label=_("Văn bản liên quan"), queryset=Agreement.objects.all(), required=False
    )
