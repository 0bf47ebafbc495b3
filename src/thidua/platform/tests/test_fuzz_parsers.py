"""Property-based fuzzing of the parsers of user files (issue 10 §8): the spreadsheet reader
(.csv, .xlsx, .ods: random bytes, damaged archives, random XML in each part, CSV in odd
encodings), the attachment type sniffing and the Word template upload checks.

The property: whatever the bytes, the parser returns, or refuses with an ApplicationError whose
message is Vietnamese; never another exception. Bounded here (THIDUA_FUZZ_EXAMPLES examples a
test, 100 by default, a third of that for the slow ones); `bench/fuzz_parsers.py` runs the same
tests for long."""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua.platform.errors import ApplicationError
from thidua.platform.files import sniff_kind
from thidua.platform.spreadsheets.importer import Columns, data_rows, open_table
from thidua.platform.spreadsheets.reader import open_sheets
from thidua.platform.tests.test_reader import (
    CONTENT_TYPES,
    NS,
    ROOT_RELS,
    WORKBOOK,
    WORKBOOK_RELS,
    build_xlsx,
)
from thidua.platform.tests.test_reader_streaming import ODS_NS, build_ods, ods_row

EXAMPLES = int(os.environ.get("THIDUA_FUZZ_EXAMPLES", "100"))
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 200,
                suppress_health_check=_HEALTH)
# rendering a Word file or zipping a workbook per example: fewer of them in the test command
FUZZ_SLOW = settings(FUZZ, max_examples=max(EXAMPLES // 3, 10))
# a message is Vietnamese when it has the language's marks (every refusal here has some)
VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]",
                        re.IGNORECASE)
COLUMNS = Columns({"full_name": "Họ và tên", "cccd": "Số CCCD", "note": "Ghi chú"},
                  {"cccd": ("cccd", "cccd cmnd")})


def refused_in_vietnamese(exc: ApplicationError) -> None:
    assert exc.message and VIETNAMESE.search(exc.message), exc.message


def read_everything(path: Path, name: str) -> int:
    """Every row of every sheet, then the same file through the importer's header search."""
    count = 0
    try:
        with open_sheets(path, name) as (_, sheets):
            for rows in sheets:
                for number, cells in rows:
                    assert isinstance(number, int) and isinstance(cells, list)
                    count += 1
    except ApplicationError as exc:
        refused_in_vietnamese(exc)
        return -1
    try:
        with open_table(path, name, columns=COLUMNS, accept=lambda k: "full_name" in k,
                        not_found="Không tìm thấy dòng tiêu đề.") as (_, rows):
            for _ in data_rows(rows, limit=1000):
                pass
    except ApplicationError as exc:
        refused_in_vietnamese(exc)
    return count


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------------------------
# raw bytes and damaged archives

NAMES = st.sampled_from(["ds.csv", "ds.xlsx", "ds.ods", "ds", "ds.txt", "ds.xls"])


@FUZZ
@given(data=st.binary(max_size=4096), name=NAMES)
def test_random_bytes(folder, data, name):
    read_everything(write(folder, name, data), name)


@FUZZ
@given(data=st.binary(min_size=1, max_size=2048), name=NAMES)
def test_random_bytes_behind_a_zip_signature(folder, data, name):
    read_everything(write(folder, name, b"PK\x03\x04" + data), name)


def _valid_files(folder: Path) -> dict[str, bytes]:
    xlsx = build_xlsx(folder / "base.xlsx").read_bytes()
    ods = build_ods(folder / "base.ods", [ods_row(["Họ và tên", "Số CCCD"]),
                                          ods_row(["An", "001190000001"], repeat=3)]).read_bytes()
    return {"base.xlsx": xlsx, "base.ods": ods}


@pytest.fixture(scope="module")
def valid_files(folder: Path) -> dict[str, bytes]:
    return _valid_files(folder)


@st.composite
def damaged(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 8))):
        how = draw(st.sampled_from(["flip", "cut", "insert", "zero"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if how == "flip" and data:
            data[pos] ^= draw(st.integers(1, 255))
        elif how == "cut":
            del data[pos:pos + draw(st.integers(1, 4096))]
        elif how == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif how == "zero":
            data[pos:pos + 16] = bytes(min(16, len(data) - pos))
    return bytes(data)


@FUZZ_SLOW
@given(data=st.data(), which=st.sampled_from(["base.xlsx", "base.ods"]))
def test_damaged_workbooks(folder, valid_files, data, which):
    damaged_bytes = data.draw(damaged(valid_files[which]))
    read_everything(write(folder, which, damaged_bytes), which)


@FUZZ
@given(data=st.data(), which=st.sampled_from(["base.xlsx", "base.ods"]))
def test_truncated_workbooks(folder, valid_files, data, which):
    original = valid_files[which]
    cut = data.draw(st.integers(0, len(original)))
    read_everything(write(folder, which, original[:cut]), which)


# --------------------------------------------------------------------------------------------
# random XML in each part of a workbook

NAMES_XML = ["row", "c", "v", "is", "t", "r", "rPh", "f", "dimension", "sheetData", "si", "sst",
             "numFmt", "cellXfs", "xf", "sheet", "workbookPr", "Relationship", "x:c", "x:row"]
ATTRS = ["r", "t", "s", "ref", "numFmtId", "formatCode", "date1904", "name", "r:id", "Id",
         "Target", "Type", "count", "uniqueCount", "spans"]
VALUES = st.one_of(
    st.sampled_from(["A1", "B2", "XFD1048576", "XFE1", "A1048577", "A0", "ZZZZ99999999", "1",
                     "s", "n", "str", "inlineStr", "b", "e", "d", "0", "14", "-1", "99999999999",
                     "1:5", "A1:E1000004", "dd/mm/yyyy", "rId1", "worksheets/sheet1.xml",
                     "/xl/worksheets/sheet1.xml", "../../etc/passwd", "2020-01-02T03:04:05",
                     "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                     "worksheet", "1e308", "nan", "-0", "true"]),
    st.text(max_size=12))
TEXT = st.one_of(st.sampled_from(["0", "1", "14", "3.5", "-1", "1e999", "nan", "2958465",
                                  "99999999999999999999", " ", "Họ và tên", "Số CCCD", "&amp;",
                                  "&#0;", "&#x1F600;", "<![CDATA[x]]>"]),
                 st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                                blacklist_characters="<&"), max_size=20))


def xml_tree(max_leaves: int = 25) -> st.SearchStrategy[str]:
    def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.builds(
            lambda name, attrs, body: (
                f"<{name}" + "".join(f' {k}="{v}"' for k, v in attrs.items()) + f">{body}</{name}>"),
            st.sampled_from(NAMES_XML),
            st.dictionaries(st.sampled_from(ATTRS), VALUES.map(_attr_escape), max_size=3),
            st.lists(children, max_size=4).map("".join))

    return st.recursive(TEXT.map(_text_escape), element, max_leaves=max_leaves)


def _attr_escape(v: str) -> str:
    return v.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _text_escape(v: str) -> str:
    return v if v.startswith(("&", "<!")) else v.replace("&", "&amp;").replace("<", "&lt;")


@st.composite
def xml_part(draw: st.DrawFn, root: str) -> str:
    if draw(st.integers(0, 9)) == 0:  # now and then not even XML
        return draw(st.text(max_size=300))
    body = draw(xml_tree())
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{NS}">{body}</{root}>'


PARTS = {
    "xl/worksheets/sheet1.xml": "worksheet",
    "xl/sharedStrings.xml": "sst",
    "xl/styles.xml": "styleSheet",
    "xl/workbook.xml": "workbook",
    "xl/_rels/workbook.xml.rels": "Relationships",
}


@FUZZ_SLOW
@given(data=st.data(), part=st.sampled_from(sorted(PARTS)))
def test_random_xml_in_a_workbook_part(folder, data, part):
    parts = {
        "[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS, "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": (f'<?xml version="1.0"?>\n<worksheet xmlns="{NS}"><sheetData>'
                                     '<row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is>'
                                     '</c></row></sheetData></worksheet>'),
    }
    parts[part] = data.draw(xml_part(PARTS[part]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text.encode("utf-8", "surrogatepass"))
    read_everything(write(folder, "x.xlsx", out.getvalue()), "x.xlsx")


@FUZZ
@given(rows=st.lists(xml_tree(12), max_size=6))
def test_random_rows_in_a_sheet(folder, rows):
    path = build_xlsx(folder / "rows.xlsx", rows)
    read_everything(path, "rows.xlsx")


ODS_NAMES = ["table:table", "table:table-row", "table:table-cell", "table:covered-table-cell",
             "text:p", "text:s", "text:span", "office:annotation", "text:line-break"]
ODS_ATTRS = ["table:number-rows-repeated", "table:number-columns-repeated", "office:value-type",
             "office:value", "office:date-value", "office:boolean-value", "text:c"]
ODS_VALUES = st.sampled_from(["1", "2", "1048576", "99999999", "0", "-3", "float", "string",
                              "date", "boolean", "percentage", "3.5", "x", "2020-13-45",
                              "2020-01-02", "true", ""])


@FUZZ
@given(body=st.recursive(
    TEXT.map(_text_escape),
    lambda children: st.builds(
        lambda name, attrs, inner: (f"<{name}" + "".join(f' {k}="{v}"' for k, v in attrs.items())
                                    + f">{inner}</{name}>"),
        st.sampled_from(ODS_NAMES), st.dictionaries(st.sampled_from(ODS_ATTRS), ODS_VALUES,
                                                    max_size=3),
        st.lists(children, max_size=4).map("".join)),
    max_leaves=30))
def test_random_ods_content(folder, body):
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ODS_NS}>'
               f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>"
               "</office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content.encode("utf-8", "surrogatepass"))
    read_everything(write(folder, "x.ods", out.getvalue()), "x.ods")


# --------------------------------------------------------------------------------------------
# CSV: odd encodings, byte order marks, quotes, separators

CSV_CELLS = st.one_of(
    st.sampled_from(["Họ và tên", "Số CCCD", "Ghi chú", "HỌ VÀ TÊN", "CCCD/CMND", '"', '""',
                     '"a,b"', ";", "\t", "\r", "\n", "\r\n", "\ufeff", "\x00", "=1+1", " "]),
    st.text(max_size=15))


@FUZZ
@given(rows=st.lists(st.lists(CSV_CELLS, max_size=6), max_size=8),
       sep=st.sampled_from([",", ";", "\t", "|", '"']),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258",
                                 "latin-1", "utf-32"]),
       eol=st.sampled_from(["\n", "\r\n", "\r"]))
def test_random_csv(folder, rows, sep, encoding, eol):
    text = eol.join(sep.join(cells) for cells in rows)
    data = text.encode(encoding, errors="replace")
    read_everything(write(folder, "x.csv", data), "x.csv")


# --------------------------------------------------------------------------------------------
# attachment type sniffing

KINDS = {None, "pdf", "docx", "xlsx", "pptx", "jpg", "png"}


@FUZZ
@given(data=st.one_of(st.binary(max_size=2048),
                      st.binary(max_size=2048).map(lambda b: b"PK\x03\x04" + b),
                      st.sampled_from([b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"])))
def test_sniff_kind_of_random_bytes(data):
    f = io.BytesIO(data)
    assert sniff_kind(f) in KINDS
    assert f.tell() == 0


@FUZZ
@given(data=st.data(), which=st.sampled_from(["base.xlsx", "base.ods"]))
def test_sniff_kind_of_damaged_office_files(valid_files, data, which):
    f = io.BytesIO(data.draw(damaged(valid_files[which])))
    assert sniff_kind(f) in KINDS
    assert f.tell() == 0


# --------------------------------------------------------------------------------------------
# Word template uploads

TEMPLATE_KEY = "tests.fuzz_giay_moi"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[bytes]:
    from docx import Document

    from thidua.platform.templates_docx import register_template, unregister_template

    def word(*paragraphs: str) -> bytes:
        doc = Document()
        for p in paragraphs:
            doc.add_paragraph(p)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()

    path = tmp_path_factory.mktemp("mau") / "giay_moi.docx"
    path.write_bytes(word("Kính gửi {{ ho_ten }}", "{%p for h in hang_muc %}", "– {{ h.ten }}",
                          "{%p endfor %}"))
    register_template(TEMPLATE_KEY, label="Giấy mời", default=path, group="Thử",
                      sample=lambda: {"ho_ten": "Ánh", "hang_muc": [{"ten": "LĐTT"}]})
    yield path.read_bytes()
    unregister_template(TEMPLATE_KEY)


JINJA_BITS = st.sampled_from(["{{", "}}", "{%", "%}", "{%p", "{%tr", "{#", "#}", " for ",
                              " in ", " endfor ", " if ", " endif ", " else ", "ho_ten", "h.ten",
                              "hang_muc", "|upper", "|nope", "(", ")", "[", "]", "'", '"', "~",
                              "loop.index", "range(10**9)", "Kính gửi ", " ", "\n", "x"])
PARAGRAPH = st.lists(st.one_of(JINJA_BITS, st.text(max_size=6)), max_size=10).map("".join)


def _check(source: bytes) -> None:
    from thidua.platform.templates_docx import check_template

    try:
        check_template(TEMPLATE_KEY, source)
    except ApplicationError as exc:
        refused_in_vietnamese(exc)


@FUZZ_SLOW
@given(data=st.data())
def test_damaged_word_templates(template, data):
    _check(data.draw(damaged(template)))


@FUZZ_SLOW
@given(paragraphs=st.lists(PARAGRAPH, min_size=1, max_size=6))
def test_word_templates_with_random_placeholders(template, paragraphs):
    out = io.BytesIO()
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{_text_escape(p)}</w:t></w:r></w:p>"
                   for p in paragraphs)
    with zipfile.ZipFile(io.BytesIO(template)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            payload = zin.read(info)
            if info.filename == "word/document.xml":
                xml = payload.decode()
                start = xml.index("<w:body>") + len("<w:body>")
                payload = (xml[:start] + body + xml[xml.index("<w:sectPr"):]).encode(
                    "utf-8", "surrogatepass")
            zout.writestr(info, payload)
    _check(out.getvalue())


@FUZZ_SLOW
@given(xml=st.one_of(st.text(max_size=200), xml_tree(15)))
def test_word_templates_with_a_random_document_part(template, xml):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            payload = zin.read(info)
            if info.filename == "word/document.xml":
                payload = xml.encode("utf-8", "surrogatepass")
            zout.writestr(info, payload)
    _check(out.getvalue())
