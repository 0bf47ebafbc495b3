"""The roster's columns and how a roster file is read (platform reader and header mapping)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from thidua.platform.spreadsheets.importer import Columns, Table, data_rows
from thidua.platform.spreadsheets.importer import open_table as open_sheet_table
from thidua.platform.spreadsheets.reader import HEADER_SCAN_ROWS, Rows, row_limit
from thidua.platform.spreadsheets.spool import Spool

# canonical key -> header as written in the template and the export
HEADERS: dict[str, str] = {
    "full_name": "Họ và tên",
    "gender": "Giới tính",
    "birth_date": "Ngày sinh",
    "cccd": "Số CCCD",
    "ethnicity": "Dân tộc",
    "position": "Chức vụ",
    "join_date": "Ngày vào Công đoàn",
    "is_member": "Đoàn viên",
    "group": "Tổ công đoàn",
    "phone": "Điện thoại",
    "email": "Email",
    "member_code": "Mã đoàn viên",
}
# other spellings met in officials' files, compared after `header_key` folding
ALIASES: dict[str, tuple[str, ...]] = {
    "full_name": ("ho va ten", "ho ten", "ho va ten doan vien", "ho ten doan vien",
                  "ho va ten nguoi lao dong"),
    "gender": ("gioi tinh", "gioi", "nam nu", "nam hay nu"),
    "birth_date": ("ngay sinh", "ngay thang nam sinh", "ngay thang sinh", "sinh ngay"),
    "cccd": ("so cccd", "cccd", "so can cuoc cong dan", "so can cuoc", "so cccd cmnd",
             "cccd cmnd", "so cmnd cccd", "so dinh danh", "so dinh danh ca nhan"),
    "ethnicity": ("dan toc",),
    "position": ("chuc vu", "chuc danh", "chuc vu chuc danh"),
    "join_date": ("ngay vao cong doan", "ngay vao cd", "ngay ket nap", "ngay ket nap cong doan",
                  "ngay gia nhap cong doan", "ngay ket nap doan vien"),
    "is_member": ("doan vien", "la doan vien", "doan vien cong doan", "doan vien co khong"),
    "group": ("to cong doan", "to cd", "don vi to cong doan", "to cong doan don vi",
              "ma to cong doan"),
    "phone": ("dien thoai", "so dien thoai", "sdt", "dt", "dien thoai di dong"),
    "email": ("email", "e mail", "thu dien tu", "dia chi email", "dia chi thu dien tu"),
    "member_code": ("ma doan vien", "ma dv", "so the doan vien", "ma so doan vien"),
}
COLUMNS = Columns(HEADERS, ALIASES)
REQUIRED_COLUMNS = ("full_name", "gender", "cccd")
# what is read from a row; member_code is recognised so it is not reported as unknown, then ignored
ROW_KEYS = ("full_name", "gender", "birth_date", "cccd", "ethnicity", "position", "join_date",
            "is_member", "group", "phone", "email")
NO_HEADER = (f"Không tìm thấy dòng tiêu đề: trong {HEADER_SCAN_ROWS} dòng đầu của bảng tính "
             "phải có một dòng chứa ít nhất hai cột «Họ và tên» và «Số CCCD».")


def _is_header(keys: set[str]) -> bool:
    return "full_name" in keys and "cccd" in keys


@contextlib.contextmanager
def open_table(path: str | os.PathLike[str], file_name: str | None = None
               ) -> Iterator[tuple[Table, Rows]]:
    """Open a roster file and yield (table, rows): `rows` gives (Excel row number, cells) for
    each non-empty row below the header, to the end of the data (blank rows are skipped); more
    than THIDUA_MAX_IMPORT_ROWS rows is refused."""
    with open_sheet_table(path, file_name, columns=COLUMNS, accept=_is_header,
                          not_found=NO_HEADER, required=REQUIRED_COLUMNS) as (table, rows):
        # the name first: most rows have one, so one look tells they are not empty
        watched = [table.columns["full_name"][0]] + [
            idxs[0] for k, idxs in table.columns.items() if k in ROW_KEYS and k != "full_name"]
        yield table, data_rows(rows, limit=row_limit(), watch=watched)


def read_roster(path: str | os.PathLike[str], file_name: str | None = None
                ) -> tuple[Table, list[dict[str, object]]]:
    """The rows of a roster file as dicts keyed by canonical names, plus "_row"."""
    with open_table(path, file_name) as (table, rows):
        read = table.reader(ROW_KEYS)
        out: list[dict[str, object]] = [read(number, cells) for number, cells in rows]
    return table, out


def spool_roster(path: str | os.PathLike[str], file_name: str | None = None
                 ) -> tuple[Table, Spool[dict[str, object]]]:
    """The rows of `read_roster` kept in a temporary file, not in memory (close the spool)."""
    spool: Spool[dict[str, object]] = Spool()
    try:
        with open_table(path, file_name) as (table, rows):
            read = table.reader(ROW_KEYS)
            for number, cells in rows:
                spool.append(read(number, cells))
    except BaseException:
        spool.close()
        raise
    return table, spool
