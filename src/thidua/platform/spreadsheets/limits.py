"""What the readers accept, and the messages for what they refuse.

Every limit is checked before the rows it protects are read where the file says enough (the
archive's sizes, a sheet's <dimension>), and while reading otherwise (the bytes really
unpacked, each cell's length)."""

from __future__ import annotations

from django.conf import settings

from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_number

# (.ods files are read too; the message names what the upload forms ask for)
NOT_SPREADSHEET = "Tệp không phải bảng tính Excel (.xlsx) hay CSV hợp lệ."
NOT_UTF8 = NOT_SPREADSHEET + " Tệp CSV cần lưu với bảng mã UTF-8 (trong Excel: «CSV UTF-8»)."
OLD_XLS = ("Tệp Excel 97–2003 (.xls) chưa được hỗ trợ. Hãy mở tệp trong Excel và lưu lại dưới "
           "dạng «Sổ làm việc Excel (.xlsx)» hoặc CSV UTF-8.")
XLSB = ("Tệp Excel dạng nhị phân (.xlsb) chưa được hỗ trợ. Hãy mở tệp trong Excel và lưu lại "
        "dưới dạng «Sổ làm việc Excel (.xlsx)».")
TOO_BIG_UNPACKED = ("Tệp bảng tính giải nén ra quá lớn (trên {limit} MB) hoặc có dấu hiệu là «bom "
                    "nén»; hệ thống từ chối đọc. Hãy chép dữ liệu sang một tệp mới rồi nhập lại.")
HEADER_SCAN_ROWS = 20
# the words a CSV header line holds, folded: the line that tells the separator
HEADER_HINTS = ("ho va ten", "ho ten")
# rows a sheet may declare beyond the import's row limit: titles above the header, a few gaps
ROW_SLACK = 1000
ZIP_RATIO_LIMIT = 200
ZIP_RATIO_MIN_BYTES = 1024 * 1024  # small parts may compress well: a few repeated tags
ZIP_MAX_MEMBERS = 5000
# Excel's own bounds: a cell holds at most 32.767 characters, a sheet 1.048.576 x 16.384 cells
MAX_CELL_CHARS = 32_767
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
# the shared-string table stays in memory (compactly) while a sheet is read
MAX_SHARED_STRINGS = 4_000_000
MAX_SHARED_TEXT_BYTES = 48 * 1024 * 1024
# a CSV field is read whole before its length is known: past this it is refused unmeasured
CSV_FIELD_LIMIT = 16 * 1024 * 1024


def unpacked_limit() -> int:
    return int(getattr(settings, "THIDUA_MAX_UNPACKED_BYTES", 300 * 1024 * 1024))


def sheet_limit() -> int:
    """The most bytes one sheet's XML may unpack to (a 250.000-row roster takes about 120 MB)."""
    return int(getattr(settings, "THIDUA_MAX_SHEET_BYTES", 200 * 1024 * 1024))


def row_limit() -> int:
    return int(getattr(settings, "THIDUA_MAX_IMPORT_ROWS", 250_000))


def zip_bomb() -> ApplicationError:
    return ApplicationError(TOO_BIG_UNPACKED.format(limit=unpacked_limit() // (1024 * 1024)))


def col_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_too_long(column: int, row: int, length: int, *, at_least: bool = False) -> ApplicationError:
    """«Ô C5 dài 10.485.760 ký tự, vượt giới hạn 32.767 ký tự của một ô Excel…»."""
    where = f"Ô {col_letters(column)}{row}" if column else f"Một ô ở dòng {row}"
    size = f"hơn {vn_number(length)}" if at_least else vn_number(length)
    return ApplicationError(
        f"{where} dài {size} ký tự, vượt giới hạn {vn_number(MAX_CELL_CHARS)} ký tự của một ô "
        "Excel. Hãy rút gọn nội dung ô này (hoặc đưa văn bản dài thành tệp đính kèm) rồi nhập lại."
    )


def sheet_too_big(sheet: str, size: int) -> ApplicationError:
    mb = 1024 * 1024
    return ApplicationError(
        f"Trang tính «{sheet}» giải nén ra {vn_number(size / mb, 0)} MB, vượt giới hạn "
        f"{vn_number(sheet_limit() // mb)} MB cho một lần nhập. Hãy xoá các dòng, cột trống hoặc "
        "định dạng thừa (hay chép dữ liệu sang một tệp mới), hoặc chia thành nhiều tệp."
    )


def sheet_too_tall(sheet: str, area: str, last_row: int) -> ApplicationError:
    return ApplicationError(
        f"Trang tính «{sheet}» khai báo vùng dữ liệu {area}, tới dòng {vn_number(last_row)}; mỗi "
        f"lần chỉ nhập được tối đa {vn_number(row_limit())} dòng. Nếu phía dưới chỉ là dòng trống "
        "hay định dạng thừa, hãy xoá các dòng đó (hoặc chép dữ liệu sang một tệp mới); nếu không, "
        "hãy chia thành nhiều tệp."
    )


def shared_strings_too_big() -> ApplicationError:
    return ApplicationError(
        "Bảng tính chứa quá nhiều chữ cho một lần nhập (bảng chuỗi dùng chung trên "
        f"{vn_number(MAX_SHARED_STRINGS)} mục hoặc {MAX_SHARED_TEXT_BYTES // (1024 * 1024)} MB). "
        "Hãy chia thành nhiều tệp."
    )
