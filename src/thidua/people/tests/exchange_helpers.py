"""Helpers for the tests of the exchange format (people's and the apps that register tables)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from thidua.people.exchange_format import sha256_of


def edit_dumped_cell(folder: Path, table: str, line: int, column: str, value: str) -> None:
    """Change one cell of a dumped file (line 1 is the header) and its checksum in the
    manifest, as a careless editor with the right tools would."""
    path = folder / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest["tables"]:
        if entry["name"] == table:
            entry["sha256"] = sha256_of(path)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


def read_dumped(folder: Path, table: str) -> list[dict[str, str]]:
    """The rows of one dumped file, by column name."""
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
