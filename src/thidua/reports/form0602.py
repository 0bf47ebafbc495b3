"""Biểu số 0602.N/BNV-TĐKT «Số lượng khen thưởng cấp Nhà nước» (Thông tư 02/2023/TT-BNV of
23/3/2023, the statistics regime of the Home Affairs sector), filled from the awards register
for a unit's subtree and one reporting year: the decisions signed from 01/12 of the year before
to 30/11 of the year (the period of the emulation-commendation field, `period`).

Source of the layout — read this before trusting it: the Circular's own text was not found in
any public source this project could read. Its rows and columns are taken from a third-party
implementation, the report view «Mau0602» of lifephongphanmem/thiduakhenthuong_php8 (a
provincial emulation-commendation system, Laravel; it prints «Biểu số: 0602.N/BNV-TĐKT, Ban
hành theo Thông tư số 2/2023/TT-BNV ngày 23/3/2023»). That implementation numbers its rows
1, 2, 3, 6, 7, … 21: the rows 4 and 5 of the form are not in it and are not here. Whether
Thông tư 02/2023/TT-BNV was replaced after the 2025 reorganisation of the ministries could not
be established either: a Thông tư 18/2025/TT-BNV «Quy định Chế độ báo cáo thống kê ngành Nội
vụ» of 08/10/2025 is listed by luatvietnam.vn, but its forms were not readable
(docs/statistics-form-0602.md).

What the register can fill: the state-level awards (the catalogue's forms decided above the
union, `decider = cap_tren`) by form and collective/individual; the split by the unit that sent
the proposal to the Prime Minister (in the catalogue every such form is proposed by the
Confederation, `proposer_types = ["tld"]`, a central mass organisation); the split by
«phương thức» for the awards recorded from a proposal (annual → thường xuyên, chuyên đề, đột
xuất). Cells the register cannot know (enterprises among the collectives, households, the
individuals' positions, foreign, dedication, seniority and resistance awards; the prizes and
honorary titles the catalogue does not hold) stay empty, and the notes under the table say so."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from thidua.honours import catalogue
from thidua.honours.models import Award
from thidua.org.models import Unit
from thidua.org.selectors import version_at
from thidua.reports.selectors import subtree_units

FORM_CODE = "0602.N/BNV-TĐKT"
TITLE = "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC"
CIRCULAR = "Ban hành theo Thông tư số 02/2023/TT-BNV ngày 23/3/2023 của Bộ Nội vụ"
LAYOUT_SOURCE = ("Cấu trúc biểu lấy theo bản dựng lại trong phần mềm mã nguồn mở "
                 "lifephongphanmem/thiduakhenthuong_php8 (giao diện báo cáo «Mau0602»), chưa "
                 "đối chiếu được với văn bản gốc của Thông tư 02/2023/TT-BNV; bản dựng đó không "
                 "có dòng mã số 4 và 5.")

# the catalogue's state forms in the columns of the form; other state forms go to group 9
_GROUP_OF = {"CO_TD_CP": "6", "BK_TTG": "7", "CSTD_TQ": "8"}
_MEDAL_PREFIXES = ("HUAN_CHUONG", "HUY_CHUONG")

TT, CN = "tap_the", "ca_nhan"


@dataclass(frozen=True)
class Column:
    group: str  # the form's column number (2 … 9)
    group_label: str
    label: str  # the form's name under a group of several, else ""
    kind: str  # tap_the | ca_nhan
    forms: tuple[str, ...] | None  # None: the register holds no such form (the cell stays empty)


@dataclass(frozen=True)
class Row:
    label: str
    code: str  # mã số
    unit: str  # đơn vị tính
    key: str | None  # what the row counts; None: the register cannot tell (empty)
    heading: bool = False


ROWS: tuple[Row, ...] = (
    Row("Tổng số", "1", "", "all", heading=True),
    Row("1. Chia theo đơn vị ban hành tờ trình Thủ tướng Chính phủ về khen thưởng", "", "",
        "all", heading=True),
    Row("- Bộ, ban, ngành, đoàn thể Trung ương", "2", "Bộ, ngành", "all"),
    Row("- Tỉnh, thành phố trực thuộc Trung ương", "3", "Tỉnh, TP", "none"),
    Row("2. Chia theo đối tượng khen thưởng", "", "", "all", heading=True),
    Row("- Tập thể", "6", "Tập thể", TT),
    Row("Trong đó: Doanh nghiệp", "7", "Doanh nghiệp", None),
    Row("- Hộ gia đình", "8", "Hộ", None),
    Row("- Cá nhân", "9", "Người", CN),
    Row("+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên", "10", "Người", None),
    Row("+ Lãnh đạo cấp vụ, sở, ngành và tương đương", "11", "Người", None),
    Row("+ Doanh nhân", "12", "Người", None),
    Row("+ Các cấp lãnh đạo khác từ phó phòng trở lên", "13", "Người", None),
    Row("+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu (công "
        "nhân, nông dân, …)", "14", "Người", None),
    Row("3. Chia theo phương thức khen thưởng", "", "", "all", heading=True),
    Row("- Thường xuyên", "15", "", "nam"),
    Row("- Chuyên đề", "16", "", "chuyen_de"),
    Row("- Đột xuất", "17", "", "dot_xuat"),
    Row("- Đối ngoại", "18", "", None),
    Row("- Cống hiến", "19", "", None),
    Row("- Niên hạn", "20", "", None),
    Row("- Kháng chiến", "21", "", None),
)

NOTES = (
    "Số liệu lấy từ sổ khen thưởng của hệ thống: các khen thưởng cấp Nhà nước (hình thức do cấp "
    "trên Công đoàn quyết định) đã ghi kết quả, chưa bị thu hồi, có quyết định ký trong kỳ báo "
    "cáo (01/12 năm trước đến 30/11 năm báo cáo), của người và tập thể thuộc đơn vị theo cây tổ "
    "chức ngày cuối kỳ.",
    "Mã số 2: theo danh mục hình thức khen thưởng, các hình thức cấp Nhà nước do Tổng Liên đoàn "
    "Lao động Việt Nam (đoàn thể Trung ương) trình; vì vậy mã số 3 bằng 0.",
    "Mã số 15–17: chỉ tính khen thưởng ghi nhận từ một tờ trình trên hệ thống (tổng kết năm → "
    "thường xuyên, chuyên đề, đột xuất); khen thưởng nhập trực tiếp không có phương thức.",
    "Ô để trống: sổ khen thưởng không ghi thông tin này (doanh nghiệp, hộ gia đình, chức vụ của "
    "cá nhân, khen đối ngoại, cống hiến, niên hạn, kháng chiến; Giải thưởng Hồ Chí Minh, Giải "
    "thưởng Nhà nước, danh hiệu vinh dự Nhà nước không có trong danh mục) — đơn vị tự điền.",
    LAYOUT_SOURCE,
)


@dataclass
class Form0602:
    unit_name: str
    year: int
    columns: list[Column]
    rows: list[tuple[Row, int | None, list[int | None]]]  # row, Tổng số, cells by column
    start: dt.date
    end: dt.date
    notes: tuple[str, ...] = NOTES


def columns(forms: tuple[catalogue.AwardForm, ...]) -> list[Column]:
    state = [f for f in forms if f.decider == "cap_tren"]
    medals = [f for f in state if f.code.startswith(_MEDAL_PREFIXES)]
    others = [f for f in state if f not in medals and f.code not in _GROUP_OF]
    by_group = {g: next((f for f in state if _GROUP_OF.get(f.code) == g), None)
                for g in ("6", "7", "8")}

    def pairs(group: str, label: str, items: list[catalogue.AwardForm]) -> list[Column]:
        if not items:
            return [Column(group, label, "", TT, None), Column(group, label, "", CN, None)]
        return [Column(group, label, f.name, kind, (f.code,)) for f in items for kind in (TT, CN)]

    def single(group: str, label: str, kinds: tuple[str, ...]) -> list[Column]:
        f = by_group.get(group)
        return [Column(group, label, "", kind, (f.code,) if f is not None else None)
                for kind in kinds]

    return [
        *pairs("2", "Các loại huân chương, huy chương", medals),
        Column("3", "Giải thưởng Hồ Chí Minh", "", CN, None),
        Column("4", "Giải thưởng Nhà nước", "", CN, None),
        *pairs("5", "Danh hiệu vinh dự Nhà nước", []),
        *single("6", "Cờ thi đua của Chính phủ", (TT,)),
        *single("7", "Bằng khen của Thủ tướng Chính phủ", (TT, CN)),
        *single("8", "Chiến sĩ thi đua toàn quốc", (CN,)),
        *pairs("9", "Các hình thức khen thưởng khác", others),
    ]


def period(year: int) -> tuple[dt.date, dt.date]:
    """The reporting period of the emulation-commendation field for `year`: 01/12 of the year
    before to 30/11 of the year (Thông tư 02/2023/TT-BNV, as Sở Nội vụ Hưng Yên summarises it:
    sonv.hungyen.gov.vn/portal/pages/print.aspx?p=10987)."""
    return dt.date(year - 1, 12, 1), dt.date(year, 11, 30)


def form0602(unit: Unit, year: int) -> Form0602:
    """The form for the awards whose decision was signed in the year's reporting period, to
    people and collectives of the unit's subtree as it stood on the period's last day (three
    queries: the catalogue's edits, the unit's version then, the awards grouped)."""
    start, end = period(year)
    forms = catalogue.current().forms(end)
    cols = columns(forms)
    state = [f.code for f in forms if f.decider == "cap_tren"]
    counts: dict[tuple[str, str, str], int] = defaultdict(int)  # (form, kind, proposal kind)
    version = version_at(unit, end)
    groups = (Award.objects.filter(home_unit_id__in=subtree_units(version.path, end),
                                   decision__date__range=(start, end), revoked=False,
                                   form__in=state)
              .order_by().values("form", "person_id", "candidate__proposal__kind")
              .annotate(n=Count("id"))) if version is not None else []
    for g in groups:
        kind = CN if g["person_id"] is not None else TT
        counts[(g["form"], kind, g["candidate__proposal__kind"] or "")] += g["n"]

    def count(col: Column, row_key: str) -> int | None:
        if col.forms is None:
            return None
        if row_key == "none":
            return 0
        if row_key in (TT, CN) and col.kind != row_key:
            return 0
        return sum(n for (form, kind, how), n in counts.items()
                   if form in col.forms and kind == col.kind
                   and (row_key in ("all", TT, CN) or how == row_key))

    rows: list[tuple[Row, int | None, list[int | None]]] = []
    for row in ROWS:
        if row.key is None:
            rows.append((row, None, [None] * len(cols)))
            continue
        cells = [count(c, row.key) for c in cols]
        rows.append((row, sum(c for c in cells if c is not None), cells))
    return Form0602(unit_name=version.name if version is not None else unit.name, year=year,
                    columns=cols, rows=rows, start=start, end=end)
