"""core.errors: a refusal that carries several errors, each on its field, and the collector that
gathers them so a person sees every error of an input at once."""

import pytest
from django import forms

from cuakhau.core.errors import NotFound, Problems, ServiceError, errors_as_list, form_add_errors


def test_join_keeps_every_error_on_its_field_in_order():
    joined = ServiceError.join(
        [
            ServiceError("Biển số sai.", field="vehicle"),
            ServiceError("Thiếu mô tả.", field="lines.2.description"),
            ServiceError("Cả tờ khai bị khóa."),
            ServiceError("Biển số chưa đăng ký.", field="vehicle"),
        ]
    )
    assert errors_as_list(joined) == [
        {"field": "vehicle", "message": "Biển số sai."},
        {"field": "vehicle", "message": "Biển số chưa đăng ký."},
        {"field": "lines.2.description", "message": "Thiếu mô tả."},
        {"field": "", "message": "Cả tờ khai bị khóa."},
    ]
    assert (joined.field, joined.status, joined.messages[0]) == ("vehicle", 400, "Biển số sai.")


def test_join_of_one_is_that_error_and_of_none_is_refused():
    only = NotFound("Không có.")
    assert ServiceError.join([only]) is only
    with pytest.raises(ValueError):
        ServiceError.join([])


def test_problems_run_keeps_going_and_raises_all_together():
    def positive(value, *, field):
        if value <= 0:
            raise ServiceError(f"{field} phải dương.", field=field)
        return value

    problems = Problems()
    assert problems.run(positive, 3, field="a") == 3
    assert problems.run(positive, -1, field="b") is None
    problems.add("Thiếu c.", field="c")
    assert problems and problems.fields() == {"b", "c"}
    problems.merge(ServiceError.join([ServiceError("lại b", field="b"), ServiceError("d", field="d")]))
    with pytest.raises(ServiceError) as caught:
        problems.raise_if_any()
    assert caught.value.message_dict == {"b": ["b phải dương."], "c": ["Thiếu c."], "d": ["d"]}
    Problems().raise_if_any()  # nothing gathered: nothing raised


def test_a_joined_refusal_lands_on_a_form_field_by_field():
    class F(forms.Form):
        a = forms.CharField(required=False)

    form = F({"a": "x"})
    assert form.is_valid()
    form_add_errors(form, ServiceError.join([ServiceError("sai a", field="a"), ServiceError("chung")]))
    assert form.errors["a"] == ["sai a"] and form.non_field_errors() == ["chung"]


def test_a_merged_refusal_keeps_its_field():
    problems = Problems()
    problems.merge(ServiceError("Số giấy tờ sai.", field="id_number"))
    with pytest.raises(ServiceError) as caught:
        problems.raise_if_any()
    assert caught.value.field == "id_number"
