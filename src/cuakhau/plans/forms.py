"""Forms for the plans pages. They collect input; the services check it and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cuakhau.core.fields import VNDecimalField, VNIntegerField
from cuakhau.core.models import Unit

from . import indicators
from .models import ActionStatus, Evaluation, TaskKind, TaskStatus
from .validation import WORK_UNIT_KINDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def work_units():
    return Unit.objects.filter(kind__in=WORK_UNIT_KINDS, is_active=True).order_by("kind", "name")


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, localize=False)
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=255, required=False)
    reference = forms.CharField(label=_("Số, ký hiệu văn bản"), max_length=80, required=False)
    issued_on = forms.DateField(label=_("Ngày ban hành"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["inputmode"] = "numeric"
        if editing:
            del self.fields["year"]
            self.fields["title"].required = True


class TaskForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=TaskKind.choices)
    title = forms.CharField(label=_("Nhiệm vụ"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(
        label=_("Nội dung, giải pháp"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_unit = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=Unit.objects.none())
    cooperating_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phối hợp"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    deadline = forms.DateField(label=_("Thời hạn"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = work_units()
        self.fields["cooperating_units"].queryset = work_units()
        if editing:
            del self.fields["kind"]


class IndicatorForm(forms.Form):
    statistic_key = forms.ChoiceField(label=_("Số liệu thống kê liên kết"), required=False)
    name = forms.CharField(
        label=_("Tên chỉ tiêu"),
        max_length=255,
        required=False,
        help_text=_("Bỏ trống nếu chọn số liệu thống kê."),
    )
    measure = forms.CharField(label=_("Đơn vị tính"), max_length=40, required=False)
    target = VNDecimalField(label=_("Chỉ tiêu kế hoạch"), max_digits=18, decimal_places=3)
    actual_entered = VNDecimalField(
        label=_("Kết quả (nhập tay)"), max_digits=18, decimal_places=3, required=False
    )
    actual_source = forms.CharField(label=_("Nguồn số liệu"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statistic_key"].choices = [("", _("— không liên kết —"))] + [
            (s.key, f"{s.label} ({s.measure})") for s in indicators.statistics()
        ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks their size and kind."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Tiến độ"), choices=TaskStatus.choices)
    percent = VNIntegerField(label=_("Tỷ lệ hoàn thành (%)"), min_value=0, max_value=100, required=False)
    note = forms.CharField(label=_("Nội dung báo cáo"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Tệp minh chứng"), required=False)

    def __init__(self, *args, accept: str = "", max_mb: int = 10, max_files: int = 5, **kwargs):
        super().__init__(*args, **kwargs)
        if accept:
            self.fields["files"].widget.attrs["accept"] = accept
        self.fields["files"].help_text = _(
            "Tối đa %(n)s tệp, mỗi tệp đến %(mb)s MB: PDF, Word, Excel, JPEG, PNG."
        ) % {
            "n": max_files,
            "mb": max_mb,
        }


class EvaluationForm(forms.Form):
    """One radio group per task of the plan: the province's level."""

    reference = forms.CharField(label=_("Văn bản đánh giá của tỉnh"), max_length=120, required=False)
    evaluated_on = forms.DateField(label=_("Ngày đánh giá"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks = list(tasks)
        for task in self.tasks:
            self.fields[f"evaluation_{task.pk}"] = forms.ChoiceField(
                label=str(task),
                choices=Evaluation.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=task.evaluation or None,
            )

    def rows(self):
        return [(task, self[f"evaluation_{task.pk}"]) for task in self.tasks]

    def evaluations(self) -> dict[int, str]:
        return {
            task.pk: self.cleaned_data[f"evaluation_{task.pk}"]
            for task in self.tasks
            if self.cleaned_data.get(f"evaluation_{task.pk}")
        }


class DirectiveForm(forms.Form):
    leader = forms.CharField(label=_("Người chỉ đạo"), max_length=150)
    leader_title = forms.CharField(label=_("Chức vụ"), max_length=255, required=False)
    given_on = forms.DateField(label=_("Ngày chỉ đạo"), widget=DATE_WIDGET)
    meeting = forms.CharField(label=_("Cuộc họp, hội nghị"), max_length=255, required=False)
    reference = forms.CharField(label=_("Văn bản truyền đạt"), max_length=120, required=False)
    text = forms.CharField(label=_("Nội dung chỉ đạo"), widget=forms.Textarea(attrs={"rows": 4}))


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Việc cần làm"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    owner_unit = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=Unit.objects.none())
    cooperating_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phối hợp"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    due_date = forms.DateField(label=_("Hạn hoàn thành"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = work_units()
        self.fields["cooperating_units"].queryset = work_units()


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), choices=ActionStatus.choices)
    note = forms.CharField(label=_("Nội dung cập nhật"), widget=forms.Textarea(attrs={"rows": 3}))
    result = forms.CharField(
        label=_("Kết quả"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi hoàn thành."),
    )
    completed_on = forms.DateField(label=_("Ngày hoàn thành"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, may_cancel: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_cancel:
            self.fields["status"].choices = [
                c for c in ActionStatus.choices if c[0] != ActionStatus.CANCELLED
            ]


class RescheduleForm(forms.Form):
    due_date = forms.DateField(label=_("Hạn mới"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Lý do đổi hạn"), max_length=500)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Mức hài lòng"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Ý kiến của bạn"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
