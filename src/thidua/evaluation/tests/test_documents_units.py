from thidua.evaluation.documents import department


def test_the_workplace_names_the_department_whatever_the_case() -> None:
    assert department("Tổ Công đoàn Ban Quản lý chợ") == "Ban Quản lý chợ"
    assert department("Tổ công đoàn Văn phòng") == "Văn phòng"
    assert department("Công đoàn Sở Tư pháp") == "Sở Tư pháp"
