"""Vietnamese order: one Python key and the database's `vi` collation agree (issue 8 §4)."""

from __future__ import annotations

import pytest
from django.db import connection

from thidua.platform.collation import person_sort_name, vn_name_key, vn_sort_key

# the order of ICU's Vietnamese collation (PostgreSQL `vi-x-icu`), checked by hand
ORDERED = ["An", "anh", "Anh", "Ành", "Ảnh", "Ãnh", "Ánh", "Ạnh", "Ăn", "Ân", "Bình", "Da", "Dung",
           "Dùng", "Dủng", "Dũng", "Dúng", "Dụng", "Duy", "Dưng", "Dứng", "Đa", "Đức",
           "Nguyen Van B", "Nguyễn Văn A", "Nguyễn Văn Dũng", "Nguyễn Văn Đức", "On", "Ôn", "Ơi",
           "Ơn"]


def test_python_key_dung_before_duc_and_tones_after_the_base_letter():
    assert sorted(["Nguyễn Văn Đức", "Nguyễn Văn Dũng"], key=vn_sort_key) == [
        "Nguyễn Văn Dũng", "Nguyễn Văn Đức"]
    assert sorted(reversed(ORDERED), key=vn_sort_key) == ORDERED


def test_person_names_sort_by_given_name_then_full_name():
    names = ["Nguyễn Văn Đức", "Trần Thị Ánh", "Lê Văn Dũng", "Nguyễn Văn Dũng", "Phạm Bình"]
    assert sorted(names, key=vn_name_key) == [
        "Trần Thị Ánh", "Phạm Bình", "Lê Văn Dũng", "Nguyễn Văn Dũng", "Nguyễn Văn Đức"]
    assert person_sort_name("  Nguyễn  Văn Dũng ") == "Dũng Nguyễn Văn Dũng"


@pytest.mark.django_db
def test_database_collation_agrees_with_the_python_key():
    values = list(reversed(ORDERED))
    with connection.cursor() as cursor:
        rows = " UNION ALL ".join(["SELECT %s AS w"] * len(values))
        cursor.execute(f'SELECT w FROM ({rows}) AS t ORDER BY w COLLATE "vi"', values)
        assert [r[0] for r in cursor.fetchall()] == ORDERED
