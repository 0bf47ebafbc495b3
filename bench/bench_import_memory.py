"""Peak memory and time of the spreadsheet reader on a hostile set, beside same-run baselines.

    .venv/bin/python bench/bench_import_memory.py [--rows 250000] [--old-ref COMMIT] [--keep DIR]

Builds (in a temporary folder, or --keep DIR):
- bomb-280.xlsx: ~2–3 MB whose sheet unpacks to ~280 MB (a million and a half styled rows);
- bomb-150.xlsx: the same kind under the sheet limit (so it is read to its end);
- valid-250k.xlsx: 250.000 roster rows, 11 columns, shared strings as Excel writes them;
- valid-250k-inline.xlsx: the same with inline strings (xlsxwriter's constant_memory layout);
- cell-10mb.xlsx / cell-10mb.csv: one cell of 10 MB on the 5th row;
- blank-1m.csv: a header, a million blank lines, one valid row;
- blank-1m.xlsx: a header, a million rows of blank cells (no <dimension>), one valid row.
Then reads each file in its own process (peak RSS: VmHWM of that process, so each figure is its
own):
- ours: `open_sheets` and every row of every sheet (what an import reads);
- calamine: python-calamine's full load of every sheet (xlsx), or the csv module (csv);
- old: with --old-ref, the reader as it was at that commit (git archive of src/).
Baselines run under a 3 GB address-space limit so that a bomb cannot take the machine down.
Exits 1 when a file our reader accepts peaks above 150 MB."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path

from common import ROOT, table, vn

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TARGET_MB = 150
BASELINE_AS_LIMIT = 3 * 1024**3
HEADERS = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Dân tộc", "Chức vụ",
           "Ngày vào Công đoàn", "Đoàn viên", "Tổ công đoàn", "Ghi chú"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
MIDDLE = ["Thị", "Văn", "Hữu", "Đức", "Ngọc", "Minh", "Thanh", "Quốc"]
GIVEN = ["Hương", "Lan", "Hùng", "Dũng", "Phương", "Tuấn", "Hà", "Linh", "Nam", "Trang", "Yến"]
STATIC = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.'
        'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType='
        '"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="{NS}" xmlns:r="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
        'name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"),
    "xl/styles.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet xmlns="{NS}"><cellXfs count="3">'
        '<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="49"/>'
        "</cellXfs></styleSheet>"),
}


def col(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_xlsx(path: Path, rows, *, shared: list[str] | None = None, head: str = "") -> None:  # type: ignore[no-untyped-def]
    """`rows` yields row XML strings; `shared` is the shared-string table."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, text in STATIC.items():
            zf.writestr(name, text)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{NS}">{head}'
                      "<sheetData>".encode())
            buf: list[str] = []
            for xml in rows:
                buf.append(xml)
                if len(buf) > 20_000:
                    out.write("".join(buf).encode())
                    buf.clear()
            out.write(("".join(buf) + "</sheetData></worksheet>").encode())
        # after the sheet: writing it fills `shared`
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{NS}">'.encode())
            for i in range(0, len(shared or []), 20_000):
                out.write("".join(f"<si><t>{esc(s)}</t></si>"
                                  for s in (shared or [])[i:i + 20_000]).encode())
            out.write(b"</sst>")


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{esc(text)}</t></is></c>'


def person(i: int) -> list[object]:
    """One roster row: strings, Excel date serials (style 1) and numbers."""
    name = f"{FAMILY[i % 10]} {MIDDLE[i % 8]} {GIVEN[i % 11]} {i}"
    return [i, name, "Nữ" if i % 2 else "Nam", 30000 + i % 9000, f"{1_190_000_000 + i:012d}",
            "Kinh", "Công nhân", 40000 + i % 4000, "Có", f"Tổ {i % 40 + 1}", ""]


def roster_rows(count: int, shared: list[str] | None):  # type: ignore[no-untyped-def]
    index: dict[str, int] = {}

    def cell(ref: str, value: object, date: bool) -> str:
        if isinstance(value, int):
            style = ' s="1"' if date else ""
            return f'<c r="{ref}"{style}><v>{value}</v></c>'
        text = str(value)
        if not text:
            return ""
        if shared is None:
            return inline(ref, text)
        if text not in index:
            index[text] = len(shared)
            shared.append(text)
        return f'<c r="{ref}" t="s"><v>{index[text]}</v></c>'

    yield '<row r="1">' + "".join(cell(f"{col(c)}1", h, False)
                                  for c, h in enumerate(HEADERS, 1)) + "</row>"
    for i in range(1, count + 1):
        r = i + 1
        yield (f'<row r="{r}" spans="1:11">'
               + "".join(cell(f"{col(c)}{r}", v, c in (4, 8)) for c, v in enumerate(person(i), 1))
               + "</row>")


def blank_rows(first: int, count: int):  # type: ignore[no-untyped-def]
    """Styled empty rows; the row and cell references are optional, so a hostile file leaves
    them out and compresses ~100-fold."""
    row = ('<row spans="1:11" s="2" customFormat="1" ht="15" customHeight="1">'
           + '<c s="2"/>' * 11 + "</row>")
    for _ in range(count):
        yield row


def build(folder: Path, rows: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    header = ['<row r="1">' + "".join(inline(f"{col(c)}1", h) for c, h in enumerate(HEADERS, 1))
              + "</row>"]
    one = ['<row r="{n}">' + inline("B{n}", "Nguyễn Văn Cuối") + inline("C{n}", "Nam")
           + inline("E{n}", "001090000001") + "</row>"]

    def last(n: int) -> list[str]:
        return [one[0].replace("{n}", str(n))]

    made: list[Path] = []
    for name, count in (("bomb-280.xlsx", 1_650_000), ("bomb-150.xlsx", 1_000_000)):
        path = folder / name
        if not path.exists():
            write_xlsx(path, [*header, *blank_rows(2, count)])
        made.append(path)
    for name, shared in (("valid-250k.xlsx", []), ("valid-250k-inline.xlsx", None)):
        path = folder / name
        if not path.exists():
            write_xlsx(path, roster_rows(rows, shared), shared=shared)
        made.append(path)
    path = folder / "cell-10mb.xlsx"
    if not path.exists():
        data = [f'<row r="{n}">' + inline(f"B{n}", f"Người {n}") + inline(f"E{n}", f"00109000000{n}")
                + "</row>" for n in range(2, 5)]
        data.append('<row r="5">' + inline("B5", "Người 5") + inline("K5", "a" * 10 * 1024 * 1024)
                    + "</row>")
        write_xlsx(path, [*header, *data])
    made.append(path)
    path = folder / "cell-10mb.csv"
    if not path.exists():
        with open(path, "w", encoding="utf-8") as f:
            f.write(",".join(HEADERS) + "\n")
            for n in range(2, 5):
                f.write(f"{n},Người {n},Nữ,,00109000000{n},,,,,,\n")
            f.write("5,Người 5,Nữ,,001090000005,,,,,," + "a" * 10 * 1024 * 1024 + "\n")
    made.append(path)
    path = folder / "blank-1m.csv"
    if not path.exists():
        with open(path, "w", encoding="utf-8") as f:
            f.write(",".join(HEADERS) + "\n" + "\n" * 1_000_000)
            f.write("1,Nguyễn Văn Cuối,Nam,01/01/1990,001090000001,Kinh,,,Không,,\n")
    made.append(path)
    path = folder / "blank-1m.xlsx"
    if not path.exists():
        rows = (f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t xml:space="preserve"> </t></is>'
                "</c></row>" for n in range(2, 1_000_002))
        write_xlsx(path, [*header, *rows, *last(1_000_002)])
    made.append(path)
    return made


READERS = {
    "ours": """
        from thidua.platform.spreadsheets.reader import open_sheets
        with open_sheets(path, path) as (kind, sheets):
            for rows in sheets:
                for number, cells in rows:
                    count += 1
                    last = number
    """,
    "calamine": """
        if path.endswith(".csv"):
            import csv
            with open(path, encoding="utf-8-sig", newline="") as f:
                csv.field_size_limit(1 << 30)
                for number, cells in enumerate(csv.reader(f), 1):
                    if any(c.strip() for c in cells):
                        count += 1
                        last = number
        else:
            from python_calamine import CalamineWorkbook
            wb = CalamineWorkbook.from_path(path)
            for i in range(len(wb.sheet_names)):
                sheet = wb.get_sheet_by_index(i)
                for number, cells in enumerate(sheet.iter_rows(), 1):
                    if any(c != "" for c in cells):
                        count += 1
                        last = number
    """,
}
READERS["old"] = READERS["ours"]
CHILD = """
import json, os, resource, sys, time


def high_water_mb():
    # VmHWM: this process image's own peak (ru_maxrss would carry the parent's over fork+exec)
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if os.environ.get("BENCH_AS_LIMIT"):
    limit = int(os.environ["BENCH_AS_LIMIT"])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings.test")
import django
django.setup()
from thidua.platform.errors import ApplicationError
path = sys.argv[1]
count = last = 0
base = high_water_mb()
started = time.perf_counter()
try:
{body}
    result = f"{{count}} dòng (dòng cuối {{last}})"
except ApplicationError as exc:
    result = "từ chối: " + exc.message
except MemoryError:
    result = "MemoryError"
elapsed = time.perf_counter() - started
print(json.dumps({{"result": result, "seconds": elapsed, "peak_mb": high_water_mb(),
                  "base_mb": base}}))
"""


def measure(path: Path, reader: str, src: Path) -> dict[str, object]:
    body = textwrap.indent(textwrap.dedent(READERS[reader]), "    ")
    env = {**os.environ, "PYTHONPATH": str(src), "THIDUA_HOME": tempfile.mkdtemp()}
    if reader == "calamine":
        env["BENCH_AS_LIMIT"] = str(BASELINE_AS_LIMIT)
    proc = subprocess.run([sys.executable, "-c", CHILD.format(body=body), str(path)],
                          capture_output=True, text=True, env=env, check=False, timeout=1800)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"result": f"crash (exit {proc.returncode}): {tail[:60]}", "seconds": 0.0,
                "peak_mb": 0.0, "base_mb": 0.0}
    return dict(json.loads(lines[-1]))


def old_source(ref: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], capture_output=True,
                             check=True).stdout
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def unpacked(path: Path) -> str:
    if path.suffix != ".xlsx":
        return "—"
    with zipfile.ZipFile(path) as zf:
        size = zf.getinfo("xl/worksheets/sheet1.xml").file_size
    return f"{vn(size / 1024**2, 1)} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--old-ref", help="also measure the reader of this commit")
    parser.add_argument("--keep", type=Path, help="build the files here and keep them")
    parser.add_argument("--only", nargs="*", help="file names to measure")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="thidua-bench-mem-"))
    folder = args.keep or work / "files"
    files = build(folder, args.rows)
    if args.only:
        files = [f for f in files if f.name in args.only]
    readers = {"ours": ROOT / "src", "calamine": ROOT / "src"}
    if args.old_ref:
        readers["old"] = old_source(args.old_ref, work / "old")
    rows = [["tệp", "nén", "sheet XML", "đọc bằng", "kết quả", "RSS trước", "RSS đỉnh", "giây"]]
    over = []
    for path in files:
        for reader, src in readers.items():
            got = measure(path, reader, src)
            label = {"calamine": "calamine/csv", "old": f"cũ {args.old_ref}"}.get(reader, reader)
            rows.append([path.name, f"{vn(path.stat().st_size / 1024**2, 1)} MB", unpacked(path),
                         label, str(got["result"])[:70], f"{vn(float(got['base_mb']))} MB",
                         f"{vn(float(got['peak_mb']))} MB",
                         vn(float(got["seconds"]), 1)])
            print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
            accepted = not str(got["result"]).startswith(("từ chối", "crash", "MemoryError"))
            if reader == "ours" and (not accepted and str(got["result"]).startswith("crash")
                                     or accepted and float(got["peak_mb"]) > TARGET_MB):
                over.append(path.name)
    print(table(rows))
    print("\nRSS trước: Python + Django đã nạp, trước khi đọc; RSS đỉnh: cả tiến trình. "
          f"Mục tiêu: tệp được nhận ≤ {TARGET_MB} MB.")
    if over:
        print("VƯỢT MỤC TIÊU: " + ", ".join(over))
        raise SystemExit(1)


if __name__ == "__main__":
    main()
