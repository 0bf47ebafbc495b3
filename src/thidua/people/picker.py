"""The person picker: one text box that searches names without diacritics ("nguyen van dung"
finds "Nguyễn Văn Dũng") among the people the user may see, and fills a hidden person id (and,
where the form has them, the name and position). Used by every form that chooses a person;
the search is `people:search` (views/picker.py), the behaviour static/thidua/person-picker.js."""

from __future__ import annotations

from typing import Any

from django import forms
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html


class PersonPicker(forms.Widget):
    """Renders a search box, the hidden id and a list for the results.

    `fill` maps what a chosen result gives ("name", "position", "birth", "unit") to the name
    of the sibling form field it fills, e.g. {"name": "full_name"} (formset prefixes are kept).
    `labels` is what the box shows for the current value."""

    input_type = "text"  # not hidden: the label points at the search box

    def __init__(self, attrs: dict[str, Any] | None = None,
                 fill: dict[str, str] | None = None) -> None:
        super().__init__(attrs)
        self.fill = fill or {}
        self.labels: dict[str, str] = {}

    def format_value(self, value: Any) -> str:
        return "" if value in (None, "") else str(value)

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> Any:
        attrs = self.build_attrs(self.attrs, attrs)
        box_id = attrs.get("id") or f"id_{name}"
        current = self.format_value(value)
        shown = self.labels.get(current, "")
        # a sibling's id: this field's id with its own (unprefixed) name swapped for the other's
        base = box_id[: len(box_id) - len(name.rsplit("-", 1)[-1])]
        fill = " ".join(f"{k}:{base}{v}" for k, v in self.fill.items())
        return format_html(
            '<div class="person-picker" data-person-picker data-fill="{}">'
            '<input type="search" id="{}" class="input" autocomplete="off" '
            'placeholder="Gõ họ tên, có dấu hay không dấu đều được" value="{}" '
            'name="{}_tim" hx-get="{}" hx-trigger="input changed delay:300ms, search" '
            'hx-target="next .picker-results" hx-swap="innerHTML" '
            'aria-describedby="{}-goi-y">'
            '<input type="hidden" name="{}" value="{}" data-person-id>'
            # who is chosen, as text (the search box's value is not read out as the choice)
            '<p class="picker-chosen"{} data-person-chosen>Đã chọn: <strong>{}</strong></p>'
            '<p class="help" id="{}-goi-y">Chọn một người trong kết quả; không có thì ghi họ tên ở '
            'ô bên dưới (nếu có).</p>'
            '<ul class="picker-results plain-list" role="listbox" aria-live="polite"></ul>'
            '<script src="{}" defer></script></div>',
            fill, box_id, shown, name, reverse("people:search"), box_id, name, current,
            "" if shown else " hidden", shown, box_id,
            static("thidua/person-picker.js"),
        )

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


def use_picker(field: forms.Field, *, fill: dict[str, str] | None = None,
               labels: dict[str, str] | None = None) -> None:
    """Give `field` (a person id field) the picker; `labels` names the ids already chosen."""
    widget = PersonPicker(fill=fill)
    widget.labels = labels or {}
    field.widget = widget
