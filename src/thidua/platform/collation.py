"""Vietnamese sort order, one mechanism for Python and the database.

The order is the one of ICU's Vietnamese collation (CLDR `vi`), which PostgreSQL applies through
the `vi` collation (an ICU collation created by migration `platform/0002`) and which SQLite
applies through the same-named collation registered on every connection (`register_sqlite`,
hooked in `PlatformConfig.ready`). Three levels, as ICU compares them:

1. letters of the Vietnamese alphabet: a < ă < â < b … d < đ < e < ê … o < ô < ơ … u < ư …
   ("Dũng" before "Đức": đ is a letter after d);
2. tones, letter by letter: none < huyền < hỏi < ngã < sắc < nặng;
3. lower case before upper case.

People are listed by given name (tên) then full name. A person's stored `sort_name` is not the
text but its Vietnamese key spelled as characters (`person_order_key`), so that both databases
order it by code point (`BinaryOrder`), which a plain index serves on SQLite as on PostgreSQL;
a collation-aware index would be PostgreSQL only, and SQLite's `vi` is a Python function no index
can use (docs/decisions/0030-people-order-key.md).
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from django.db.models import Func

VI = "vi"  # the collation's name on both databases

_ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
_LETTER_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
_BASE = 1000  # letters rank above spaces, punctuation and digits, as in ICU
# combining marks that make a letter of the alphabet (kept) and those that are tones
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _primary_char(ch: str) -> int:
    if ch.isspace():
        return 0
    if ch.isdigit():
        return 500 + int(ch) if ch in "0123456789" else 510
    return 100 + ord(ch) % 400  # punctuation and symbols: after spaces, before digits


@functools.lru_cache(maxsize=8192)
def _char_key(ch: str) -> tuple[int, int | None, int]:
    """One character's (primary, tone, case) weights; tone None for what is not a letter (no
    second or third level). Per character, not per text: a name's key is read from these, and
    names, unlike their characters, rarely repeat (33 → 6 µs a name, bench/README.md)."""
    parts = unicodedata.normalize("NFD", ch)
    base, marks = parts[0], parts[1:]
    lower = base.lower()
    letter = unicodedata.normalize("NFC", lower + "".join(m for m in marks if m in _LETTER_MARKS))
    rank = _LETTER_RANK.get(letter)
    if rank is None and lower in _LETTER_RANK:
        rank = _LETTER_RANK[lower]  # a Latin letter with a mark Vietnamese does not use
    if rank is None:
        return _primary_char(ch), None, 0
    return (_BASE + rank, next((_TONES[m] for m in marks if m in _TONES), 0),
            0 if base == lower else 1)


@functools.lru_cache(maxsize=65536)
def vn_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Key that sorts `text` in Vietnamese order (the order of the database's `vi` collation)."""
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for ch in unicodedata.normalize("NFC", " ".join(text.split())):
        weight, tone, case = _char_key(ch)
        primary.append(weight)
        if tone is not None:
            secondary.append(tone)
            tertiary.append(case)
    return tuple(primary), tuple(secondary), tuple(tertiary)


def given_name(full_name: str) -> str:
    """The tên: the last word of a Vietnamese full name ("Nguyễn Văn Dũng" -> "Dũng")."""
    words = full_name.split()
    return words[-1] if words else ""


def person_sort_name(full_name: str) -> str:
    """What a person list sorts on: given name, then the full name."""
    name = " ".join(full_name.split())
    return f"{given_name(name)} {name}".strip()


def vn_name_key(full_name: str) -> tuple[Any, ...]:
    """Python sort key of a person's name, agreeing with the database's order of `sort_name`."""
    return vn_sort_key(person_sort_name(full_name))


# each level's numbers spelled as characters from U+0100 (above the separator and any ASCII); the
# largest number (_BASE + 32) stays far below the surrogates at U+D800
_KEY_OFFSET = 0x100
_LEVEL_SEPARATOR = "!"  # below every spelled number: a shorter level sorts first, as tuples do


def person_order_key(full_name: str) -> str:
    """`Person.sort_name`: `vn_name_key(full_name)` as text whose code-point order is the key's
    order, levels separated by "!". Spelled character by character, without building the
    key's tuples: an import, a load and the national generator call it for every person."""
    spelled = [_char_spelled(ch) for ch in unicodedata.normalize(
        "NFC", " ".join(person_sort_name(full_name).split()))]
    return _LEVEL_SEPARATOR.join(("".join([p for p, _, _ in spelled]),
                                  "".join([t for _, t, _ in spelled]),
                                  "".join([c for _, _, c in spelled])))


@functools.lru_cache(maxsize=8192)
def _char_spelled(ch: str) -> tuple[str, str, str]:
    """`_char_key(ch)` spelled as `person_order_key` writes it ("" for the levels a character
    that is not a letter does not have)."""
    weight, tone, case = _char_key(ch)
    if tone is None:
        return chr(_KEY_OFFSET + weight), "", ""
    return chr(_KEY_OFFSET + weight), chr(_KEY_OFFSET + tone), chr(_KEY_OFFSET + case)


class BinaryOrder(Func):
    """Order a text column by code point: COLLATE "C" on PostgreSQL, SQLite's default (BINARY)
    as it is. For columns holding `person_order_key` texts. Not a `Collate`: an index expression
    takes a `Collate` for a wrapper and refuses its subclasses."""

    template = '%(expressions)s COLLATE "C"'
    arity = 1

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return compiler.compile(self.get_source_expressions()[0])


class SortedOrder(BinaryOrder):
    """`BinaryOrder` written so that no index gives it (`(column || '') COLLATE "C"`): the
    database must select the rows first, then sort them. For lists known to be small, where
    walking a whole table's order index in the hope of meeting the first page's rows is the
    plan to avoid (people.selectors.roster)."""

    template = '(%(expressions)s || \'\') COLLATE "C"'


def _compare(a: str | None, b: str | None) -> int:
    if a is None or b is None:  # SQLite passes NULL through the collation only in edge cases
        return (a is not None) - (b is not None)
    ka, kb = vn_sort_key(a), vn_sort_key(b)
    return (ka > kb) - (ka < kb)


def register_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: give each SQLite connection the `vi` collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VI, _compare)
