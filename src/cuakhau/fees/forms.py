from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from cuakhau.core.fields import VNDecimalField, VNIntegerField

from .models import Basis, Flow, GoodsKind, MixedLoadRule, Origin, RuleKind, Tariff, VehicleClass
from .provinces import province_choices
from .selectors import zone_province

DAY_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class CalculatorForm(forms.Form):
    tariff = forms.ChoiceField(label=_("Biểu phí"), required=False)
    flow = forms.ChoiceField(label=_("Loại hình"), choices=Flow.choices)
    goods = forms.ChoiceField(label=_("Loại hàng"), choices=[("", "—")] + GoodsKind.choices, required=False)
    tonnes = VNDecimalField(
        label=_("Khối lượng hàng (tấn)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=3,
    )
    m3 = VNDecimalField(
        label=_("Thể tích hàng (m³)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=3,
    )
    container = forms.TypedChoiceField(
        label=_("Container"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Không")), (20, _("20 feet")), (40, _("40 feet"))],
    )
    vehicle_tonnes = VNDecimalField(
        label=_("Tải trọng xe (tấn)"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        help_text=_("Để trống: tính theo khối lượng hàng."),
    )
    origin = forms.ChoiceField(
        label=_("Xuất xứ hàng"), choices=Origin.choices, initial=Origin.VN, required=False
    )

    def clean_origin(self):
        # A shared link without it means what the page shows first: Vietnamese goods.
        return self.cleaned_data["origin"] or Origin.VN

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


class TariffTermsForm(forms.Form):
    """What a tariff version says besides its rules: the day it applies from, the cap per trip, the rule
    for a mixed load, and a note. Shared by a new tariff and a revision of one."""

    effective_from = forms.DateField(
        label=_("Áp dụng từ ngày"), input_formats=DAY_FORMATS, help_text=_("dd/mm/yyyy")
    )
    change_note = forms.CharField(label=_("Lý do, căn cứ sửa đổi"), widget=forms.Textarea(attrs={"rows": 3}))
    cap_per_trip = VNIntegerField(label=_("Mức thu tối đa mỗi lượt (đồng)"), required=False, min_value=1)
    mixed_load_rule = forms.ChoiceField(label=_("Quy tắc hàng ghép"), choices=MixedLoadRule.choices)

    def terms(self) -> dict:
        data = self.cleaned_data
        return {
            "effective_from": data["effective_from"],
            "change_note": data["change_note"],
            "cap_per_trip": data["cap_per_trip"],
            "mixed_load_rule": data["mixed_load_rule"],
        }


class TariffReviseForm(TariffTermsForm):
    """A new version of a tariff: its day of effect, why, and the new figures of each rule."""

    def __init__(self, *args, tariff: Tariff, **kwargs):
        super().__init__(*args, **kwargs)
        self.tariff = tariff
        self.rules = list(tariff.rules.all())
        self.fields["cap_per_trip"].initial = tariff.cap_per_trip
        self.fields["mixed_load_rule"].initial = tariff.mixed_load_rule
        for rule in self.rules:
            if rule.kind == RuleKind.RATE:
                self.fields[f"amount_{rule.key}"] = VNIntegerField(
                    label=rule.label, min_value=0, initial=rule.amount
                )
            elif rule.kind == RuleKind.MULTIPLIER:
                self.fields[f"multiplier_percent_{rule.key}"] = VNIntegerField(
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


# --- a new tariff: resolution, terms and rules ------------------------------------------------------

RESOLUTION_PREFIX = "resolution_"


class TariffDraftForm(TariffTermsForm):
    """A new tariff and the resolution that sets it (entered as a draft, published after checking)."""

    resolution_number = forms.CharField(
        label=_("Số nghị quyết"), max_length=64, help_text=_("ví dụ 09/2025/NQ-HĐND")
    )
    resolution_council = forms.CharField(
        label=_("Cơ quan ban hành"), max_length=255, initial=_("Hội đồng nhân dân tỉnh Lạng Sơn")
    )
    resolution_title = forms.CharField(label=_("Trích yếu"), max_length=500, required=False)
    resolution_signed_on = forms.DateField(
        label=_("Ngày ký"), input_formats=DAY_FORMATS, required=False, help_text=_("dd/mm/yyyy")
    )
    resolution_effective_from = forms.DateField(
        label=_("Nghị quyết có hiệu lực từ ngày"), input_formats=DAY_FORMATS, help_text=_("dd/mm/yyyy")
    )
    resolution_effective_to = forms.DateField(
        label=_("Nghị quyết hết hiệu lực từ ngày"),
        input_formats=DAY_FORMATS,
        required=False,
        help_text=_("dd/mm/yyyy; để trống nếu chưa có văn bản thay thế."),
    )
    code = forms.CharField(label=_("Mã biểu phí"), max_length=32, help_text=_("ví dụ LS-12-2026"))
    name = forms.CharField(label=_("Tên biểu phí"), max_length=255)
    province = forms.ChoiceField(label=_("Tỉnh"), choices=())

    field_order = [
        "resolution_number",
        "resolution_signed_on",
        "resolution_council",
        "resolution_title",
        "resolution_effective_from",
        "resolution_effective_to",
        "code",
        "name",
        "province",
    ]

    def __init__(self, *args, tariff: Tariff | None = None, quiet: bool = False, **kwargs):
        self.quiet = quiet
        if tariff is not None and not kwargs.get("initial"):
            res = tariff.resolution
            kwargs["initial"] = {
                "code": tariff.code,
                "name": tariff.name,
                "province": tariff.province,
                "effective_from": tariff.effective_from,
                "change_note": tariff.change_note,
                "cap_per_trip": tariff.cap_per_trip,
                "mixed_load_rule": tariff.mixed_load_rule,
            } | {
                RESOLUTION_PREFIX + f: getattr(res, f)
                for f in ("number", "council", "title", "signed_on", "effective_from", "effective_to")
            }
        super().__init__(*args, **kwargs)
        self.fields["change_note"].required = False
        self.fields["change_note"].label = _("Ghi chú")
        self.fields["effective_from"].required = False
        self.fields["effective_from"].help_text = _("dd/mm/yyyy; để trống: từ ngày nghị quyết có hiệu lực.")
        self.fields["province"].choices = province_choices(keep=tariff.province if tariff is not None else "")
        self.fields["province"].initial = tariff.province if tariff is not None else zone_province()
        if tariff is not None:
            self.fields["code"].disabled = True  # the code names every version; a draft keeps its own

    def full_clean(self):
        if self.quiet:  # shown again after "add a rule": keep what was typed, judge nothing yet
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def resolution(self) -> dict:
        data = self.cleaned_data
        return {
            name[len(RESOLUTION_PREFIX) :]: data[name]
            for name in self.fields
            if name.startswith(RESOLUTION_PREFIX)
        }


YES_NO_ANY = [("", _("bất kỳ")), ("1", _("có")), ("0", _("không"))]


def _yes_no(value):
    return {"1": True, "0": False}.get(value)


class RuleForm(forms.Form):
    """One rule of a new tariff: when it applies (flow, goods, vehicle class or container, origin and
    conditions; empty means any), how much (a rate by basis, a multiplier, or an exemption), and its
    precedence over the other rules that match."""

    section = forms.CharField(
        label=_("Mục"), max_length=16, required=False, help_text=_("Số mục trong biểu, ví dụ I.2")
    )
    label = forms.CharField(label=_("Diễn giải"), max_length=500)
    key = forms.SlugField(
        label=_("Mã quy tắc"),
        max_length=64,
        help_text=_("Chữ không dấu, số và dấu gạch ngang, không trùng trong biểu; ví dụ c40"),
    )
    kind = forms.ChoiceField(label=_("Loại"), choices=RuleKind.choices, initial=RuleKind.RATE)
    flows = forms.MultipleChoiceField(
        label=_("Loại hình"), choices=Flow.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    goods = forms.MultipleChoiceField(
        label=_("Loại hàng"), choices=GoodsKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    vehicle_classes = forms.MultipleChoiceField(
        label=_("Loại xe (tải trọng) / container"),
        choices=VehicleClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    origin = forms.ChoiceField(
        label=_("Xuất xứ"), choices=[("", _("bất kỳ"))] + Origin.choices, required=False
    )
    taxable = forms.TypedChoiceField(
        label=_("Hàng chịu thuế"), choices=YES_NO_ANY, coerce=_yes_no, empty_value=None, required=False
    )
    delivered_inland = forms.TypedChoiceField(
        label=_("Vào nội địa giao hàng"), choices=YES_NO_ANY, coerce=_yes_no, empty_value=None, required=False
    )
    transship_only = forms.TypedChoiceField(
        label=_("Chỉ sang tải tại bãi"), choices=YES_NO_ANY, coerce=_yes_no, empty_value=None, required=False
    )
    basis = forms.ChoiceField(label=_("Đơn vị tính"), choices=[("", "—")] + Basis.choices, required=False)
    amount = VNIntegerField(
        label=_("Mức thu (đồng)"),
        min_value=0,
        required=False,
        help_text=_("Với loại Mức thu; ví dụ 3.000.000"),
    )
    multiplier_percent = VNIntegerField(
        label=_("Hệ số (%)"),
        min_value=1,
        max_value=10000,
        required=False,
        help_text=_("Với loại Hệ số; 130 là nhân 1,3; 500 là gấp 5 lần"),
    )
    precedence = VNIntegerField(
        label=_("Thứ tự ưu tiên"),
        initial=0,
        min_value=-100,
        max_value=100,
        help_text=_("Cao hơn thắng; bằng nhau thì quy tắc cụ thể hơn thắng."),
    )
    is_demo = forms.BooleanField(label=_("Giá trị minh họa"), required=False)
    source = forms.CharField(label=_("Nguồn (điều, khoản, phụ lục)"), max_length=255, required=False)

    def __init__(self, *args, quiet: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.quiet = quiet

    def full_clean(self):
        if self.quiet:  # shown again after "add a rule": keep what was typed, judge nothing yet
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")

        def missing(name):  # empty, and not already refused for what was typed there
            return data.get(name) in (None, "") and name not in self.errors

        if kind == RuleKind.RATE:
            if missing("basis"):
                self.add_error("basis", _("Mức thu cần đơn vị tính."))
            if missing("amount"):
                self.add_error("amount", _("Nhập mức thu (đồng)."))
        elif kind == RuleKind.MULTIPLIER and missing("multiplier_percent"):
            self.add_error("multiplier_percent", _("Nhập hệ số (%), ví dụ 130."))
        return data

    def rule(self) -> dict:
        data = self.cleaned_data
        kind = data["kind"]
        return {
            "key": data["key"],
            "section": data["section"],
            "label": data["label"],
            "kind": kind,
            "flows": list(data["flows"]),
            "goods": list(data["goods"]),
            "vehicle_classes": list(data["vehicle_classes"]),
            "origin": data["origin"],
            "taxable": data["taxable"],
            "delivered_inland": data["delivered_inland"],
            "transship_only": data["transship_only"],
            "basis": data["basis"] if kind == RuleKind.RATE else "",
            "amount": data["amount"] if kind == RuleKind.RATE else None,
            "multiplier_percent": data["multiplier_percent"] if kind == RuleKind.MULTIPLIER else None,
            "precedence": data["precedence"],
            "is_demo": data["is_demo"],
            "source": data["source"],
        }

    @staticmethod
    def initial_for(rule) -> dict:
        def yes_no(value):
            return "" if value is None else ("1" if value else "0")

        return {
            "key": rule.key,
            "section": rule.section,
            "label": rule.label,
            "kind": rule.kind,
            "flows": rule.flows,
            "goods": rule.goods,
            "vehicle_classes": rule.vehicle_classes,
            "origin": rule.origin,
            "taxable": yes_no(rule.taxable),
            "delivered_inland": yes_no(rule.delivered_inland),
            "transship_only": yes_no(rule.transship_only),
            "basis": rule.basis,
            "amount": rule.amount,
            "multiplier_percent": rule.multiplier_percent,
            "precedence": rule.precedence,
            "is_demo": rule.is_demo,
            "source": rule.source,
        }


class BaseRuleFormSet(forms.BaseFormSet):
    def full_clean(self):
        if self.form_kwargs.get("quiet"):
            self._errors, self._non_form_errors = [], self.error_class()
            return
        super().full_clean()

    def clean(self):
        """Two rules with one key: the message goes on the later row's key, where it can be fixed."""
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not data.get("key"):
                continue
            key = data["key"]
            if key in seen:
                form.add_error("key", _("Mã quy tắc %(key)s đã dùng ở quy tắc khác.") % {"key": key})
            seen.add(key)


RuleFormSet = forms.formset_factory(
    RuleForm,
    formset=BaseRuleFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    can_delete=True,
    max_num=200,
    validate_max=True,
)
PREFIX = "rules"


def rule_formset(data=None, *, tariff: Tariff | None = None, add_row: bool = False):
    """The rules of a new tariff (one empty row to begin), of a draft (its rules), or the posted rows
    with one more empty row when the user asked for it. The added row starts from the rule's defaults
    (so a row left blank is still blank when the draft is saved) and takes the focus; nothing posted is
    judged until the user saves."""
    if data is not None and add_row:
        data = data.copy()
        n = int(data.get(f"{PREFIX}-TOTAL_FORMS") or 0)
        data[f"{PREFIX}-TOTAL_FORMS"] = str(n + 1)
        for name, field in RuleForm.base_fields.items():
            if field.initial is not None:
                data[f"{PREFIX}-{n}-{name}"] = str(field.initial)
    initial = (
        [RuleForm.initial_for(r) for r in tariff.rules.all()] if tariff is not None and data is None else None
    )
    formset = RuleFormSet(data, prefix=PREFIX, initial=initial, form_kwargs={"quiet": add_row})
    if add_row and formset.forms:
        formset.forms[-1].fields["section"].widget.attrs["autofocus"] = True
    return formset


def formset_rules(formset) -> list[dict]:
    """The rules of a valid formset, leaving out rows marked for deletion and rows left blank."""
    rules = []
    for form in formset.forms:
        if not form.cleaned_data or form.cleaned_data.get("DELETE"):
            continue
        rules.append(form.rule())
    return rules


class CollectionAccountForm(forms.Form):
    """A gate centre's collection account. The rules (BIN, the bank's name, number, name as the bank prints
    it) are the service's (receipts.collection_account_set); its refusals land on these fields."""

    bank_bin = forms.CharField(
        label=_("Mã ngân hàng (BIN)"),
        max_length=32,
        help_text=_("6 chữ số theo NAPAS, ví dụ 970436 (Vietcombank), 970418 (BIDV)."),
    )
    bank_bin.raw_help = True  # its examples are bank codes, not quantities (includes/field.html marks them)
    bank_name = forms.CharField(
        label=_("Tên ngân hàng"),
        max_length=200,
        error_messages={"required": _("Nhập tên ngân hàng (tối đa 120 ký tự).")},
        help_text=_("In trên thông báo nộp phí, ví dụ Ngân hàng TMCP Ngoại thương Việt Nam (Vietcombank)."),
    )
    account_number = forms.CharField(
        label=_("Số tài khoản"), max_length=64, help_text=_("6 đến 19 chữ số hoặc chữ cái; dấu cách được bỏ.")
    )
    account_name = forms.CharField(
        label=_("Tên tài khoản"),
        max_length=300,
        help_text=_("Như ngân hàng in: chữ in hoa không dấu. Gõ có dấu cũng được, khi lưu sẽ bỏ dấu."),
    )
    is_demo = forms.BooleanField(
        label=_("Tài khoản minh họa"),
        required=False,
        help_text=_("Số liệu thử: trang và thông báo nộp phí ghi rõ là minh họa."),
    )


class RuleConfirmForm(forms.Form):
    """The Board's confirmation of one illustrative rule: the article or row of the resolution cited."""

    # Not required here: the service refuses an empty citation with a message naming the resolution
    # (the browser still asks for it first).
    citation = forms.CharField(
        label=_("Căn cứ"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"required": True}),
        help_text=_("Điều, khoản, mục hoặc dòng của nghị quyết quy định đúng mức thu này."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, rule=None, **kwargs):
        kwargs.setdefault("prefix", f"confirm-{rule.key}" if rule is not None else None)
        super().__init__(*args, **kwargs)
