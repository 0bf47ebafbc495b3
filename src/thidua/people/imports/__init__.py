"""Roster import from .xlsx and .csv as officials keep them, on the platform row importer.

- reading (`columns.open_table`, `read_roster`, `spool_roster`): the platform reader, the header row found among
  the first rows, Vietnamese headers in any order and spelling; an import keeps the rows in a
  temporary file (`platform.spreadsheets.spool`), never all in memory;
- checking (`rows.parse_roster_row`, `plan.plan_rows`): every row, every problem, each as a
  `RowError` with the row number Excel shows, the column, the value and what to fix;
- writing (`write.write_plan`): one transaction of bulk inserts/updates (COPY on PostgreSQL),
  an upsert by CCCD, and one audit entry (`roster.roster_import_rows`).
"""

from thidua.people.imports.columns import HEADERS, ROW_KEYS, open_table, read_roster
from thidua.people.imports.plan import OUT_OF_SCOPE
from thidua.people.imports.roster import ImportResult, roster_import_file, roster_import_rows
from thidua.people.imports.rows import cccd_from_cell
from thidua.platform.spreadsheets.importer import RowError, Table
from thidua.platform.spreadsheets.reader import NOT_SPREADSHEET, OLD_XLS, file_sha256

__all__ = [
    "HEADERS",
    "NOT_SPREADSHEET",
    "OLD_XLS",
    "OUT_OF_SCOPE",
    "ROW_KEYS",
    "ImportResult",
    "RowError",
    "Table",
    "cccd_from_cell",
    "file_sha256",
    "open_table",
    "read_roster",
    "roster_import_file",
    "roster_import_rows",
]
