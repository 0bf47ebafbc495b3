"""Catalogues kept as data: the standard union movements, the emulation titles that can be
registered, the audiences of a movement, and the noun each unit type takes in a coverage phrase.

The titles come from the one catalogue, `thidua.rules.titles` (rules/titles.toml); this module
adds the spellings officials use in their files."""

from __future__ import annotations

from dataclasses import dataclass

from thidua.platform.text import fold
from thidua.rules import titles as catalogue

INDIVIDUAL = "individual"
COLLECTIVE = "collective"


@dataclass(frozen=True)
class Title:
    """A title as registration sees it; built from the one catalogue (`thidua.rules.titles`)."""

    code: str
    name: str
    kind: str  # INDIVIDUAL or COLLECTIVE
    # a title meant for one gender ("Giỏi việc nước, đảm việc nhà" is the women's movement)
    gender: str = ""
    # unit types that may register a collective title; empty: any unit
    unit_types: tuple[str, ...] = ()
    note: str = ""
    short: str = ""  # the abbreviation officials write (LĐTT, CSTĐCS…)


TITLES: tuple[Title, ...] = tuple(
    Title(t.code, t.name, INDIVIDUAL if t.individual else COLLECTIVE, gender=t.gender,
          unit_types=t.unit_types, note=t.note, short=t.abbr)
    for t in catalogue.titles() if t.registrable
)
TITLE_BY_CODE: dict[str, Title] = {t.code: t for t in TITLES}
INDIVIDUAL_TITLES = tuple(t for t in TITLES if t.kind == INDIVIDUAL)
COLLECTIVE_TITLES = tuple(t for t in TITLES if t.kind == COLLECTIVE)
_TITLE_BY_FOLDED = {fold(t.name): t for t in TITLES} | {fold(t.code): t for t in TITLES} | {
    fold(t.code.replace("_", " ")): t for t in TITLES}
# spellings met in officials' files
_TITLE_BY_FOLDED |= {
    "ldtt": TITLE_BY_CODE["LDTT"],
    "cstd co so": TITLE_BY_CODE["CSTDCS"],
    "chien si thi dua co so": TITLE_BY_CODE["CSTDCS"],
    "cstdcs": TITLE_BY_CODE["CSTDCS"],
    "cstd cap tinh": TITLE_BY_CODE["CSTD_TINH"],
    "chien si thi dua cap tinh": TITLE_BY_CODE["CSTD_TINH"],
    "chien si thi dua tong lien doan": TITLE_BY_CODE["CSTD_TINH"],
    "cstd toan quoc": TITLE_BY_CODE["CSTD_TQ"],
    "gioi viec nuoc dam viec nha": TITLE_BY_CODE["GVNDVN"],
    "gvn dvn": TITLE_BY_CODE["GVNDVN"],
    "doan vien xuat sac": TITLE_BY_CODE["DVXS"],
    "doan vien cong doan xuat sac": TITLE_BY_CODE["DVXS"],
}


def _key(text: str) -> str:
    """Fold and drop punctuation: "«Giỏi việc nước, đảm việc nhà»" -> "gioi viec nuoc dam viec nha"."""
    folded = fold(text)
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


_TITLE_BY_KEY = {_key(k): t for k, t in _TITLE_BY_FOLDED.items()}


def title_lookup(text: str) -> Title | None:
    """A title from its code or its Vietnamese name, in any case, with or without diacritics."""
    text = (text or "").strip()
    if not text:
        return None
    return TITLE_BY_CODE.get(text.upper()) or _TITLE_BY_KEY.get(_key(text))


def title_name(code: str) -> str:
    title = TITLE_BY_CODE.get(code)
    return title.name if title else code


def collective_titles_for(unit_type: str) -> list[tuple[str, str]]:
    """(code, name) of the collective titles a unit of that type may register."""
    return [(t.code, t.name) for t in COLLECTIVE_TITLES
            if not t.unit_types or unit_type in t.unit_types]


def individual_titles_for(gender: str) -> list[tuple[str, str]]:
    """(code, name) of the individual titles a person of that gender may register."""
    return [(t.code, t.name) for t in INDIVIDUAL_TITLES if not t.gender or t.gender == gender]


class Audience:
    ALL = "all"
    MEMBERS = "members"
    WOMEN = "women"
    COLLECTIVES = "collectives"
    YOUTH = "youth"

    CHOICES = [
        (ALL, "Toàn thể CBCCVCLĐ"),
        (MEMBERS, "Đoàn viên công đoàn"),
        (WOMEN, "Nữ CBCCVCLĐ"),
        (COLLECTIVES, "Các tập thể, đơn vị"),
        (YOUTH, "Đoàn viên thanh niên, lao động trẻ"),
    ]


@dataclass(frozen=True)
class StandardMovement:
    code: str
    name: str
    audience: str
    content: str


STANDARD_MOVEMENTS: tuple[StandardMovement, ...] = (
    StandardMovement(
        "LDG_LDST", "Lao động giỏi, Lao động sáng tạo", Audience.ALL,
        "Thi đua hoàn thành xuất sắc nhiệm vụ chuyên môn, nâng cao năng suất, chất lượng, hiệu quả "
        "công việc; phát huy sáng kiến, cải tiến kỹ thuật, hợp lý hóa sản xuất và công tác."),
    StandardMovement(
        "LDG", "Lao động giỏi", Audience.ALL,
        "Thi đua hoàn thành xuất sắc nhiệm vụ được giao, nâng cao chất lượng, hiệu quả công việc."),
    StandardMovement(
        "LDST", "Lao động sáng tạo", Audience.ALL,
        "Phát huy sáng kiến, cải tiến kỹ thuật, đề tài khoa học, giải pháp hữu ích trong công tác."),
    StandardMovement(
        "SKST", "Sáng kiến, sáng tạo", Audience.ALL,
        "Khuyến khích CBCCVCLĐ đề xuất, áp dụng sáng kiến, giải pháp cải tiến quy trình, rút ngắn "
        "thủ tục, nâng cao chất lượng phục vụ người dân và doanh nghiệp."),
    StandardMovement(
        "GVNDVN", "Giỏi việc nước, đảm việc nhà", Audience.WOMEN,
        "Phong trào của nữ CNVCLĐ: giỏi chuyên môn, nghiệp vụ; xây dựng gia đình no ấm, bình đẳng, "
        "tiến bộ, hạnh phúc."),
    StandardMovement(
        "XSD_ATVSLD", "Xanh – Sạch – Đẹp, bảo đảm an toàn vệ sinh lao động", Audience.COLLECTIVES,
        "Xây dựng môi trường làm việc xanh, sạch, đẹp; bảo đảm an toàn, vệ sinh lao động, phòng "
        "chống cháy nổ."),
    StandardMovement(
        "NTVT", "Người tốt, việc tốt", Audience.ALL,
        "Phát hiện, biểu dương, nhân rộng những tấm gương người tốt, việc tốt trong CBCCVCLĐ."),
    StandardMovement(
        "SDLLLV", "Sửa đổi lề lối làm việc", Audience.ALL,
        "Tự học, tự nghiên cứu, tự sửa đổi lề lối làm việc; nâng cao kỷ luật, kỷ cương, ý thức "
        "trách nhiệm trong thực thi công vụ."),
    StandardMovement(
        "CQVH", "Xây dựng cơ quan văn hóa", Audience.COLLECTIVES,
        "Xây dựng cơ quan, đơn vị văn hóa; ngày làm việc 8 giờ chất lượng, hiệu quả; thực hiện quy "
        "tắc ứng xử nơi công sở."),
)
STANDARD_BY_CODE: dict[str, StandardMovement] = {m.code: m for m in STANDARD_MOVEMENTS}

# The noun of each unit type in a coverage phrase ("19/19 tổ công đoàn", "100% công đoàn cơ sở").
UNIT_TYPE_NOUNS: dict[str, str] = {
    "tld": "Tổng Liên đoàn",
    "ldld_tinh": "LĐLĐ tỉnh, thành phố",
    "cd_nganh_tw": "công đoàn ngành Trung ương",
    "cd_tong_cong_ty": "công đoàn tổng công ty",
    "cap_tren_co_so": "công đoàn cấp trên trực tiếp cơ sở",
    "cdcs": "công đoàn cơ sở",
    "cdcs_thanh_vien": "công đoàn cơ sở thành viên",
    "cd_bo_phan": "công đoàn bộ phận",
    "to_cd": "tổ công đoàn",
}
# the order levels are offered and listed in, top down
UNIT_TYPE_ORDER = list(UNIT_TYPE_NOUNS)
