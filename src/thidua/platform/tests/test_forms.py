"""The unit field (`platform.forms.unit_field`): a select while the units are few, a typed
code beyond, checked by the form with a message that says what to do."""

from __future__ import annotations

from django import forms

from thidua.platform import forms as platform_forms
from thidua.platform.forms import UnitOptions, VNForm, unit_field

KNOWN = {"LDLD-HN", "CDCS-A"}


class _Form(VNForm):
    unit = forms.ChoiceField(label="Đơn vị")

    def __init__(self, *args: object, options: UnitOptions, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        unit_field(self, "unit", options, known=lambda code: code in KNOWN)


def test_few_units_are_a_select_with_a_blank_first() -> None:
    form = _Form(options=UnitOptions([("LDLD-HN", "Hà Nội")], complete=True))
    assert isinstance(form.fields["unit"], forms.ChoiceField)
    assert form.fields["unit"].choices == [("", "— chọn —"), ("LDLD-HN", "Hà Nội")]
    assert not getattr(form, "datalists", [])


def test_many_units_are_a_typed_code_read_in_capitals_and_checked() -> None:
    options = UnitOptions([("LDLD-HN", "Hà Nội")], complete=False)
    form = _Form({"unit": " cdcs-a "}, options=options)
    assert form.is_valid() and form.cleaned_data["unit"] == "CDCS-A"
    [datalist] = form.datalists  # type: ignore[attr-defined]
    assert (datalist.id, datalist.choices, datalist.field_id, datalist.param) == (
        "unit-goi-y", [("LDLD-HN", "Hà Nội")], "id_unit", "unit")
    stranger = _Form({"unit": "tld"}, options=options)
    assert not stranger.is_valid()
    assert stranger.errors["unit"] == [
        "Không có đơn vị mã «TLD» trong các đơn vị bạn làm cán bộ."]
    # a name typed without picking a suggestion: say what the field wants
    named = _Form({"unit": "Công đoàn Sở Tư pháp"}, options=options)
    assert not named.is_valid()
    assert "Hãy chọn một đơn vị trong danh sách gợi ý" in named.errors["unit"][0]
    empty = _Form({"unit": ""}, options=options)
    assert not empty.is_valid() and empty.errors["unit"] == ["Hãy nhập đơn vị."]


def test_a_prefixed_form_names_its_field_for_the_suggestions() -> None:
    form = _Form(prefix="chuyen", options=UnitOptions([], complete=False))
    [datalist] = form.datalists  # type: ignore[attr-defined]
    assert (datalist.field_id, datalist.param) == ("id_chuyen-unit", "chuyen-unit")
    assert platform_forms.UNIT_CHOICES == 150
