"""Forms for incident pages. They collect input; the services check it and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cuakhau.core.models import Unit
from cuakhau.gates.models import Gate

from .models import ForceKind, Kind, RejectReason, Severity

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
PHOTO_WIDGET = forms.ClearableFileInput(
    attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}
)


def _with_blank(choices, label=None):
    return [("", label or _("— Chọn —")), *choices]


class LocationMixin(forms.Form):
    place = forms.CharField(
        label=_("Vị trí cụ thể"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: bãi xe chờ xuất, cổng ra, km 3 đường chuyên dụng."),
    )
    latitude = forms.CharField(
        label=_("Vĩ độ"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    longitude = forms.CharField(
        label=_("Kinh độ"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    occurred_at = forms.DateTimeField(
        label=_("Xảy ra lúc"),
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )


class PublicReportForm(LocationMixin):
    gate = forms.ModelChoiceField(
        label=_("Cửa khẩu"), queryset=Gate.objects.none(), empty_label=_("— Chọn cửa khẩu —")
    )
    kind = forms.ChoiceField(label=_("Loại vụ việc"), choices=_with_blank(Kind.choices))
    description = forms.CharField(
        label=_("Nội dung phản ánh"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Điều gì đang xảy ra, ở đâu, từ lúc nào."),
    )
    photo = forms.FileField(
        label=_("Ảnh chụp"),
        required=False,
        widget=PHOTO_WIDGET,
        help_text=_("JPEG, PNG hoặc WebP. Thông tin vị trí trong ảnh được xóa trước khi lưu."),
    )
    reporter_name = forms.CharField(label=_("Họ tên (không bắt buộc)"), max_length=150, required=False)
    reporter_phone = forms.CharField(
        label=_("Điện thoại (không bắt buộc)"),
        max_length=20,
        required=False,
        help_text=_("Để cán bộ liên hệ khi cần; không công khai."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    # The honeypot: hidden from people, filled by bots.
    website = forms.CharField(
        label=_("Để trống ô này"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = [
        "gate",
        "kind",
        "description",
        "photo",
        "place",
        "occurred_at",
        "latitude",
        "longitude",
        "reporter_name",
        "reporter_phone",
        "website",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gate"].queryset = Gate.objects.active().order_by("sort_order", "name")


class StaffReportForm(LocationMixin):
    gate = forms.ModelChoiceField(label=_("Cửa khẩu"), queryset=Gate.objects.none())
    yard = forms.ModelChoiceField(label=_("Bãi"), queryset=None, required=False)
    kind = forms.ChoiceField(label=_("Loại vụ việc"), choices=_with_blank(Kind.choices))
    severity = forms.ChoiceField(
        label=_("Mức độ"), choices=_with_blank(Severity.choices, _("— Chưa đánh giá —")), required=False
    )
    description = forms.CharField(
        label=_("Nội dung"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photo = forms.FileField(label=_("Ảnh chụp"), required=False, widget=PHOTO_WIDGET)

    field_order = [
        "gate",
        "yard",
        "kind",
        "severity",
        "description",
        "photo",
        "place",
        "occurred_at",
        "latitude",
        "longitude",
    ]

    def __init__(self, *args, gates, **kwargs):
        super().__init__(*args, **kwargs)
        from cuakhau.traffic.models import Yard

        self.fields["gate"].queryset = gates
        self.fields["yard"].queryset = Yard.objects.filter(gate__in=gates, is_active=True).select_related(
            "gate"
        )
        self.fields["yard"].label_from_instance = lambda y: f"{y.name} ({y.gate.name})"


class TriageForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại vụ việc"), choices=Kind.choices)
    severity = forms.ChoiceField(label=_("Mức độ"), choices=_with_blank(Severity.choices))
    gate = forms.ModelChoiceField(label=_("Cửa khẩu (xác nhận)"), queryset=Gate.objects.none())
    yard = forms.ModelChoiceField(label=_("Bãi"), queryset=None, required=False)
    note = forms.CharField(
        label=_("Ghi chú nội bộ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from cuakhau.traffic.models import Yard

        self.fields["gate"].queryset = Gate.objects.active()
        self.fields["yard"].queryset = Yard.objects.filter(is_active=True).select_related("gate")
        self.fields["yard"].label_from_instance = lambda y: f"{y.name} ({y.gate.name})"


class HandForm(forms.Form):
    force_kind = forms.ChoiceField(label=_("Lực lượng chức năng"), choices=_with_blank(ForceKind.choices))
    force_unit = forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Bỏ trống: tự chọn khi lực lượng chỉ có một đơn vị tại cửa khẩu."),
    )
    note = forms.CharField(
        label=_("Yêu cầu, ghi chú nội bộ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["force_unit"].queryset = units


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú nội bộ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(forms.Form):
    note = forms.CharField(label=_("Lý do mở lại"), widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Kết quả xử lý (nội bộ)"), widget=forms.Textarea(attrs={"rows": 3}))
    public_note = forms.CharField(
        label=_("Trả lời người phản ánh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Người phản ánh đọc được khi tra cứu bằng mã; không ghi thông tin nội bộ."),
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú nội bộ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    public_note = forms.CharField(
        label=_("Trả lời người phản ánh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bỏ trống để giữ câu trả lời đã ghi khi xử lý."),
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Lý do không thụ lý"), choices=_with_blank(RejectReason.choices))
    duplicate_of = forms.CharField(
        label=_("Trùng với vụ việc (mã)"), max_length=20, required=False, help_text=_("Ví dụ VV-7K3M-9QPX.")
    )
    note = forms.CharField(
        label=_("Ghi chú nội bộ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    public_note = forms.CharField(
        label=_("Trả lời người phản ánh"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


TRANSITION_FORMS = {
    "triage": TriageForm,
    "hand": HandForm,
    "start": NoteForm,
    "resolve": ResolveForm,
    "reopen": ReopenForm,
    "close": CloseForm,
    "reject": RejectForm,
}


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "placeholder": "VV-XXXX-XXXX"}),
    )


class StatsForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Tháng"), min_value=1, max_value=12)
