"""The titles catalogue (`titles.toml`): the one source of title codes and their labels.

Pure Python like the rest of `rules`; movements (registration), evaluation (results, review) and
the screens read it instead of keeping lists of their own."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

INDIVIDUAL = "ca_nhan"
COLLECTIVE = "tap_the"
GROUPS = ("danh_hieu", "xep_loai", "van_hoa")
DECIDERS = ("thu_truong", "cong_doan", "cap_tren")


@dataclass(frozen=True)
class Title:
    code: str
    name: str
    short: str  # the name inside the engine's sentences ("CSTĐ cơ sở")
    abbr: str  # the abbreviation officials write in lists ("CSTĐCS")
    subject: str  # INDIVIDUAL or COLLECTIVE
    group: str  # one of GROUPS
    gender: str = ""  # a title meant for one gender ("nu" for Giỏi việc nước, đảm việc nhà)
    unit_types: tuple[str, ...] = ()  # unit types that may hold a collective title; empty: any
    note: str = ""
    registrable: bool = True
    decider: str = ""  # thu_truong | cong_doan | cap_tren (see titles.toml)
    decider_label: str = ""  # who decides, as the review screen and its minutes say it
    decider_source: str = ""

    @property
    def individual(self) -> bool:
        return self.subject == INDIVIDUAL


@cache
def titles() -> tuple[Title, ...]:
    """Every title of the catalogue, in its file order."""
    raw = tomllib.loads((Path(__file__).with_name("titles.toml")).read_text(encoding="utf-8"))
    out: list[Title] = []
    seen: set[str] = set()
    for i, t in enumerate(raw.get("titles", [])):
        code = str(t["code"])
        if code in seen:
            raise ValueError(f"titles.toml: mã {code} lặp lại (mục {i + 1}).")
        if t["subject"] not in (INDIVIDUAL, COLLECTIVE) or t["group"] not in GROUPS:
            raise ValueError(f"titles.toml: {code} có subject/group không hợp lệ.")
        if t.get("decider", "") not in ("", *DECIDERS):
            raise ValueError(f"titles.toml: {code} có decider không hợp lệ.")
        seen.add(code)
        out.append(Title(code=code, name=str(t["name"]), short=str(t["short"]),
                         abbr=str(t.get("abbr", t["short"])),
                         subject=str(t["subject"]), group=str(t["group"]),
                         gender=str(t.get("gender", "")),
                         unit_types=tuple(str(u) for u in t.get("unit_types", ())),
                         note=str(t.get("note", "")),
                         registrable=bool(t.get("registrable", True)),
                         decider=str(t.get("decider", "")),
                         decider_label=str(t.get("decider_label", "")),
                         decider_source=str(t.get("decider_source", ""))))
    return tuple(out)


@cache
def by_code() -> dict[str, Title]:
    return {t.code: t for t in titles()}


def title_name(code: str) -> str:
    """The Vietnamese label of a code; the code itself when it is not in the catalogue."""
    title = by_code().get(code)
    return title.name if title else code


def codes(*, group: str, subject: str | None = None) -> tuple[str, ...]:
    """Codes of one group (and subject), in catalogue order."""
    return tuple(t.code for t in titles()
                 if t.group == group and (subject is None or t.subject == subject))
