"""Poppler and zbar for the PDF, QR and signature tests: skipped when missing on a developer's
machine, a failure under CI=true (scripts/test.sh installs poppler-utils and zbar-tools)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def require(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not missing:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true: {', '.join(missing)} must be installed (scripts/test.sh installs "
                    "poppler-utils and zbar-tools).")
    pytest.skip(f"{', '.join(missing)} not installed; ./run.sh test installs them")


def run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True,
                          timeout=120).stdout


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    require("pdftotext")
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    return run("pdftotext", "-layout", source, "-")


def pdfsig(pdf: bytes, tmp_path: Path, name: str = "signed.pdf") -> str:
    require("pdfsig")
    source = tmp_path / name
    source.write_bytes(pdf)
    return run("pdfsig", source)
