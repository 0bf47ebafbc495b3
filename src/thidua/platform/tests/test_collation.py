"""Vietnamese order: one Python key and the database's `vi` collation agree (issue 8 §4)."""

from __future__ import annotations

import unicodedata

import pytest
from django.db import connection

from thidua.platform.collation import (
    person_order_key,
    person_sort_name,
    vn_name_key,
    vn_sort_key,
)

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


NAMES = ["Nguyễn Văn Đức", "Nguyễn Văn Dũng", "Lê Văn Dung", "Trần Văn Dụng", "Phạm Văn Duy",
         "Trần Thị Ánh", "trần thị ánh", "Phạm Bình", "Phạm Bình An", "Võ Ân", "Hồ An",
         "Nguyễn Văn A", "Nguyễn Văn A2", "Nguyễn-Văn B", "Ơn", "Ôn", "Đa", "Da", "Ngô Thị Ảnh",
         "Ngô Thị Ạnh", "Ngô  Thị Ãnh", "Lý Ánh", "Ông Ích Khiêm"]


def test_order_key_orders_names_as_the_python_key_does():
    by_key = sorted(NAMES, key=person_order_key)
    assert by_key == sorted(NAMES, key=vn_name_key)
    # every prefix relation between levels holds: a shorter given name first ("An" < "Anh")
    assert sorted(["Lê Anh", "Lê An"], key=person_order_key) == ["Lê An", "Lê Anh"]
    # levels compared in turn: letters, then tones, then case
    assert sorted(["Hà Ánh", "Hà Anh", "Hà anh"], key=person_order_key) == [
        "Hà anh", "Hà Anh", "Hà Ánh"]
    # surrogates never appear: the key can be stored and indexed as UTF-8 text
    assert all(ord(c) < 0xD800 for c in person_order_key("Nguyễn Văn Đức ~ 99 ∑"))



def _spelled(key: tuple[tuple[int, ...], ...]) -> str:
    """The key's levels spelled as `person_order_key` documents it (U+0100 + each number)."""
    return "!".join("".join(chr(0x100 + n) for n in level) for level in key)


def test_order_key_is_the_python_key_spelled_for_every_kind_of_character():
    """`person_order_key` spells the characters' weights directly (it builds no tuple): for
    letters with and without tones and in either case, decomposed input, other Latin letters,
    digits, punctuation, runs of spaces and other scripts, it is `vn_name_key` spelled."""
    names = [*NAMES, *ORDERED, "", "  ", "Nguyễn  Văn\tĐức ", "NGUYỄN VĂN ĐỨC",
             unicodedata.normalize("NFD", "Nguyễn Thị Ảnh"), "Müller Ñoño", "Jean-Pierre O'Neil",
             "Lê Văn 2", "Trần (Bé) Tư.", "王 Văn Minh", "Ưng Ử Ữ Ự", "Ỳ Ỷ Ỹ Ý Ỵ y"]
    for name in names:
        assert person_order_key(name) == _spelled(vn_name_key(name)), name
