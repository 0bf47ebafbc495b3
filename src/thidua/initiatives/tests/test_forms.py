"""The forms of the initiative pages hold years to the one bound (thidua.platform.years)."""

from __future__ import annotations

from thidua.initiatives.forms import CouncilForm, UseForm
from thidua.platform.forms import UnitOptions
from thidua.platform.years import first_year, last_year


def test_years_take_the_platform_bound():
    data = {"kind": "title", "reference": "Chiến sĩ thi đua cơ sở"}
    early = UseForm({**data, "year": str(first_year() - 1)}, authors=[])
    assert not early.is_valid()
    assert early.errors["year"] == [f"Năm phải từ {first_year()} đến {last_year()}."]
    late = CouncilForm({"unit": "A", "name": "Hội đồng", "level": "co_so",
                        "year": str(last_year() + 1)},
                       units=UnitOptions([("A", "Đơn vị A")], complete=True))
    assert not late.is_valid() and "year" in late.errors
    ok = UseForm({**data, "year": str(last_year())}, authors=[])
    assert ok.is_valid(), ok.errors
    assert f'max="{last_year()}"' in str(ok["year"]) and f'min="{first_year()}"' in str(ok["year"])
