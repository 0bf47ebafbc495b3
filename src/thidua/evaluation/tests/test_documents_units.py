from thidua.evaluation.documents import department


def test_the_workplace_names_the_department_whatever_the_case() -> None:
    assert department("Tổ Công đoàn Ban Quản lý chợ") == "Ban Quản lý chợ"
    assert department("Tổ công đoàn Văn phòng") == "Văn phòng"
    assert department("Công đoàn Sở Tư pháp") == "Sở Tư pháp"


def test_the_symbol_is_an_abbreviation_not_the_unit_s_long_short_name() -> None:
    from thidua.evaluation.documents import union_symbol
    from thidua.org.models import Unit

    assert union_symbol(Unit(type="cdcs", short_name="CĐ cơ quan UBND quận HBT")) == "CĐCS"
    assert union_symbol(Unit(type="cap_tren_co_so", short_name="CĐVC")) == "CĐVC"
    assert union_symbol(Unit(type="ldld_tinh", short_name="")) == "LĐLĐ"
    assert union_symbol(Unit(type="cap_tren_co_so", short_name="CĐVC TP Hà Nội")) == "CĐVC"
    assert union_symbol(Unit(type="tld", short_name="Tổng LĐLĐVN")) == "TLĐ"
