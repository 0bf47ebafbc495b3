"""The form base of every page: Vietnamese messages for Django's own checks, dates typed as
officials write them (dd/mm/yyyy), unit selects indented by depth."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from thidua.platform.errors import ApplicationError

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class VNDateField(forms.DateField):
    """A date typed as officials write it (17/05/1985), shown back the same way."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("widget", forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off",
                   "class": "input-date"},
        ))
        super().__init__(**kwargs)
        self.error_messages["invalid"] = (
            "Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 17/05/1985."
        )


TIME_INPUT_FORMATS = ["%H:%M", "%H.%M", "%Hh%M", "%Hh", "%H"]


class VNTimeField(forms.TimeField):
    """An hour typed as officials write it: 14:00, 14h00, 14h, "14 giờ 30"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", TIME_INPUT_FORMATS)
        kwargs.setdefault("widget", forms.TimeInput(
            format="%H:%M",
            attrs={"placeholder": "hh:mm", "inputmode": "numeric", "autocomplete": "off",
                   "class": "input-time"},
        ))
        super().__init__(**kwargs)
        self.error_messages["invalid"] = "Giờ không hợp lệ; hãy nhập theo dạng giờ:phút, ví dụ 14:00."

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = " ".join(value.lower().replace("giờ", "h").replace("phút", "").split())
            value = value.replace(" h", "h").replace("h ", "h").replace(" ", "")
        return super().to_python(value)


class VNForm(forms.Form):
    """Vietnamese messages for the checks Django forms make themselves."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            label = str(f.label or "").lower()
            f.error_messages["required"] = (
                f"Hãy chọn {label}." if isinstance(f, forms.ChoiceField) else f"Hãy nhập {label}."
            )
            f.error_messages["invalid_choice"] = "Lựa chọn không hợp lệ; hãy chọn lại trong danh sách."
            f.error_messages["max_length"] = "Tối đa %(limit_value)d ký tự (đang có %(show_value)d)."
            if isinstance(f, forms.EmailField):
                f.error_messages["invalid"] = "Địa chỉ thư điện tử không hợp lệ."
            if isinstance(f, forms.CharField) and f.max_length:
                # CharField puts its own MaxLengthValidator in place; give it the Vietnamese text
                for v in f.validators:
                    if isinstance(v, MaxLengthValidator):
                        v.message = f.error_messages["max_length"]

    def apply_error(self, exc: ApplicationError) -> None:
        """Show a refused action next to the field it concerns, or above the form."""
        field = exc.field if exc.field in self.fields and exc.field != "version" else None
        self.add_error(field, exc.message)


def unit_choices(rows: list[tuple[str, str, int]], blank: str | None = None) -> list[tuple[str, str]]:
    """Options (code, name, depth) for a unit select, indented below the shallowest one."""
    top = min((depth for _, _, depth in rows), default=0)
    out = [("", blank)] if blank else []
    out += [(code, "\u2003" * (depth - top) + name) for code, name, depth in rows]
    return out


#: A unit filter lists every unit up to this many; beyond, it takes a typed code.
UNIT_CHOICES = 150


@dataclass(frozen=True)
class UnitOptions:
    """What a unit filter offers (`templates/_unit_filter.html`): every unit as a select, or,
    when there are too many for one (a province's thousands of CĐCS), a field for the unit's
    code with `choices` as suggestions."""

    choices: list[tuple[str, str]]  # (code, label)
    complete: bool


def unit_options(units: Any, near: Any, *, limit: int | None = None) -> UnitOptions:
    """`units` (a queryset of units, tree order) as a select when they are at most `limit`
    (`UNIT_CHOICES`); else `near` (the few the field suggests: the scope's top levels, the
    levels above) as suggestions for a typed code. One bounded read decides which."""
    limit = UNIT_CHOICES if limit is None else limit
    if units.order_by()[:limit + 1].count() <= limit:
        return UnitOptions(unit_choices(list(units.values_list("code", "name", "depth"))),
                           complete=True)
    return UnitOptions(list(near.order_by("depth", "path").values_list("code", "name")[:limit]),
                       complete=False)


@dataclass(frozen=True)
class Datalist:
    """A typed unit field's suggestions (`templates/_datalists.html`): its <datalist> `id`,
    the first `choices`, and the field's element id and parameter, by which the page asks the
    server for more as the officer types."""

    id: str
    choices: list[tuple[str, str]]
    field_id: str
    param: str


class UnitCodeField(forms.CharField):
    """A unit's code typed in a field (`unit_field`), read in capitals as codes are written;
    `known(code)` says whether it is one of the units the field may name."""

    def __init__(self, *, known: Callable[[str], bool] | None = None, held: str = "",
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.known = known
        self.held = held

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip().upper()

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and self.known is not None and not self.known(value):
            if " " in value:  # a name typed, no suggestion picked: codes have no spaces
                raise ValidationError(
                    "Hãy chọn một đơn vị trong danh sách gợi ý hiện ra khi gõ (ô này ghi mã "
                    "đơn vị).", code="unknown")
            raise ValidationError(
                f"Không có đơn vị mã «{value}» trong các đơn vị {self.held}.", code="unknown")


def unit_field(form: forms.Form, name: str, options: UnitOptions, *,
               known: Callable[[str], bool] | None = None, held: str = "bạn làm cán bộ",
               blank: str | None = "— chọn —") -> None:
    """`form`'s unit field `name`: a select of `options` when they are every unit (after
    `blank`, if any), else a field for the unit's code with them as suggestions
    (`form.datalists`, which the page renders with `templates/_datalists.html`). A typed code
    that `known` refuses gets «Không có đơn vị mã «X» trong các đơn vị `held`.»; the service
    still checks the permission."""
    field = form.fields[name]
    if options.complete:
        field.choices = [  # type: ignore[attr-defined]
            *([("", blank)] if blank is not None else []), *options.choices]
        return
    list_id = f"{name}-goi-y"
    example = options.choices[0][0] if options.choices else "LDLD-HN"
    typed = UnitCodeField(
        known=known, held=held,
        label=field.label, max_length=40, required=field.required,
        help_text="Gõ mã đơn vị hoặc vài chữ trong tên, rồi chọn trong danh sách gợi ý.",
        widget=forms.TextInput(attrs={"list": list_id, "autocomplete": "off",
                                      "placeholder": f"Mã hoặc tên đơn vị, ví dụ {example}",
                                      **field.widget.attrs}))
    typed.error_messages["required"] = f"Hãy nhập {str(field.label or '').lower()}."
    typed.error_messages["max_length"] = "Tối đa %(limit_value)d ký tự (đang có %(show_value)d)."
    form.fields[name] = typed
    datalists: list[Datalist] = getattr(form, "datalists", [])
    param = form.add_prefix(name)
    datalists.append(Datalist(list_id, options.choices, form.auto_id % param
                              if isinstance(form.auto_id, str) and "%s" in form.auto_id
                              else param, param))
    form.datalists = datalists  # type: ignore[attr-defined]
