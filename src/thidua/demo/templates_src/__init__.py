"""Developer tools that build the Word templates the apps render (docxtpl syntax inside).

Run one after changing a layout, e.g. `python -m thidua.demo.templates_src.review_minutes`; it
writes the .docx where its app loads it (`<app>/docx/`), and that file is committed. A union may
then edit it in Word, keeping the {{ … }} and {%p … %} / {%tr … %} tags."""

from __future__ import annotations

import zipfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]  # src/thidua


def fix_zip_dates(path: Path) -> None:
    """Rewrite the package with fixed entry dates, so the file only changes with its layout."""
    with zipfile.ZipFile(path) as zin:
        parts = [(info.filename, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts:
            zout.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data,
                          compress_type=zipfile.ZIP_DEFLATED)
