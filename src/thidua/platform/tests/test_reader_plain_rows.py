"""The .xlsx reader's fast path for plain rows gives what expat alone gives, row for row and
refusal for refusal, on rows mixing plain cells with everything that is not plain."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua.platform.errors import ApplicationError
from thidua.platform.spreadsheets import xlsx_rows
from thidua.platform.spreadsheets.reader import open_sheets
from thidua.platform.tests.test_reader import CONTENT_TYPES, NS, ROOT_RELS, WORKBOOK, WORKBOOK_RELS

STYLES = (f'<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet xmlns="{NS}"><cellXfs count="3">'
          '<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="49"/>'
          "</cellXfs></styleSheet>")
SST = (f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{NS}"><si><t>Nguyễn Văn A</t></si>'
       "<si><t> </t></si><si><r><t>Lê </t></r><r><t>Thị B</t></r></si></sst>")
TEXTS = st.sampled_from(["Trần Thị Hương", " ", "", "x y", "1", "Có", "R&amp;D", "a&#x1EA1;b",
                         "dòng\r\nhai", "  đầu", "&lt;b&gt;", "Đ", "\t", "08/03/1990"])
NUMBERS = st.sampled_from(["1", "0", "23365", "44767.5", "-3", "1e3", " 7 ", "abc", "", "3000000"])


@st.composite
def cell(draw: st.DrawFn, col: str, row: int) -> str:
    ref = f' r="{col}{row}"' if draw(st.integers(0, 15)) else ""
    style = draw(st.sampled_from(["", ' s="1"', ' s="2"', ' s="0"', ' s="9"']))
    kind = draw(st.sampled_from(["", "", ' t="inlineStr"', ' t="s"', ' t="str"', ' t="b"',
                                 ' t="e"', ' t="d"', ' t="n"']))
    shape = draw(st.integers(0, 9))
    if shape == 0:
        return f"<c{ref}{style}{kind}/>"
    if kind == ' t="inlineStr"':
        space = draw(st.sampled_from(["", ' xml:space="preserve"']))
        if shape == 1:  # rich text
            return (f"<c{ref}{style}{kind}><is><r><t>{draw(TEXTS)}</t></r><r><t>{draw(TEXTS)}"
                    "</t></r></is></c>")
        return f"<c{ref}{style}{kind}><is><t{space}>{draw(TEXTS)}</t></is></c>"
    if kind == ' t="s"':
        value = draw(st.sampled_from(["0", "1", "2", "3", "x", ""]))
    elif kind in (' t="str"', ' t="e"'):
        value = draw(TEXTS)
    elif kind == ' t="b"':
        value = draw(st.sampled_from(["0", "1", "true", "x"]))
    elif kind == ' t="d"':
        value = draw(st.sampled_from(["2020-01-02", "2020-01-02T03:04:05", "x"]))
    else:
        value = draw(NUMBERS)
    if shape == 2:
        return f"<c{ref}{style}{kind}><f>SUM(A1)</f><v>{value}</v></c>"
    if shape == 3:
        return f"<c{ref}{style}{kind}></c>"
    return f"<c{ref}{style}{kind}><v>{value}</v></c>"


@st.composite
def sheet_rows(draw: st.DrawFn) -> list[str]:
    out = []
    number = 1
    for _ in range(draw(st.integers(1, 8))):
        number += draw(st.integers(1, 3))
        cols = sorted(draw(st.sets(st.sampled_from("ABCDEFGHIJ"), max_size=6)))
        cells = "".join(draw(cell(c, number)) for c in cols)
        attrs = draw(st.sampled_from([f' r="{number}"', f' r="{number}" spans="1:10"', "",
                                      f' spans="1:10" r="{number}"', f' r="{number}" ht="15"']))
        sep = draw(st.sampled_from(["", "", "\n  "]))
        out.append(f"<row{attrs}/>" if not cells and draw(st.booleans())
                   else f"<row{attrs}>{sep}{cells}{sep}</row>")
    return out


def workbook(path: Path, rows: list[str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/sharedStrings.xml", SST)
        zf.writestr("xl/styles.xml", STYLES)
        zf.writestr("xl/worksheets/sheet1.xml",
                    f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{NS}">'
                    f'<dimension ref="A1:J40"/><sheetData>{"".join(rows)}</sheetData>'
                    "</worksheet>")
    return path


def read(path: Path, fast: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(xlsx_rows, "FAST", fast)
    try:
        with open_sheets(path, path.name) as (_, sheets):
            return [list(rows) for rows in sheets]
    except ApplicationError as exc:
        return exc.message


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=sheet_rows())
def test_plain_rows_read_as_expat_reads_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             rows: list[str]) -> None:
    path = workbook(tmp_path / "rows.xlsx", rows)
    assert read(path, True, monkeypatch) == read(path, False, monkeypatch)


def test_plain_rows_are_read_without_expat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    """The fast path is taken: a plain row given to expat would be seen by its handlers."""
    rows = [f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Người {n}</t></is></c>'
            f'<c r="B{n}" s="1"><v>{30000 + n}</v></c><c r="C{n}" t="s"><v>0</v></c></row>'
            for n in range(1, 2001)]
    path = workbook(tmp_path / "plain.xlsx", rows)
    seen = []
    original = xlsx_rows.PlainRows.row

    def counting(self: Any, number: str, inner: str) -> None:
        seen.append(number)
        original(self, number, inner)

    monkeypatch.setattr(xlsx_rows.PlainRows, "row", counting)
    got = read(path, True, monkeypatch)
    assert len(seen) == 2000
    assert got[0][-1][1][0] == "Người 2000" and got[0][-1][1][2] == "Nguyễn Văn A"
    assert got == read(path, False, monkeypatch)


def test_a_document_type_declaration_is_refused_on_the_fast_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = workbook(tmp_path / "dtd.xlsx", ['<row r="1"><c r="A1"><v>1</v></c></row>'])
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"\n<worksheet", b'\n<!DOCTYPE worksheet [<!ENTITY a "aaaa">]><worksheet')
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    assert isinstance(read(path, True, monkeypatch), str)
