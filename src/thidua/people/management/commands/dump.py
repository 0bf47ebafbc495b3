"""`thidua dump [--unit CODE] [--without-cccd] OUT`: a subtree (or everything) in the exchange
format (docs/exchange-format.md); OUT is a folder, or a .tar file."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.org.models import Unit
from thidua.people.services.exchange import exchange_dump
from thidua.platform.errors import ApplicationError
from thidua.platform.files import size_text
from thidua.platform.text import vn_number


def cli_user(username: str | None) -> Any:
    """--user when given (it must exist); otherwise the command line itself (no account)."""
    if not username:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Không có tài khoản «{username}» (hoặc tài khoản đã bị khoá).")
    return user


class Command(BaseCommand):
    help = ("Xuất một cây đơn vị (hoặc toàn bộ) với người lao động, đoàn viên, xếp loại và danh "
            "hiệu ra định dạng trao đổi.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", help="thư mục mới, hoặc tệp .tar")
        parser.add_argument("--unit", help="mã đơn vị gốc của cây (mặc định: toàn bộ)")
        parser.add_argument("--without-cccd", action="store_true", help="không xuất số CCCD")
        parser.add_argument("--user", help="tài khoản ghi vào nhật ký (mặc định: dòng lệnh)")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"].strip().upper()).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã «{options['unit']}».")
        began = time.perf_counter()
        try:
            counts = exchange_dump(actor=cli_user(options["user"]), unit=unit,
                                   out=Path(options["output"]),
                                   with_cccd=not options["without_cccd"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        rows = ", ".join(f"{t} {vn_number(n)}" for t, n in counts.items())
        files = (f", {vn_number(counts.files)} tệp đính kèm ({size_text(counts.file_bytes)})"
                 if counts.files else "")
        self.stdout.write(f"Đã xuất {rows}{files} vào {options['output']} "
                          f"({vn_number(time.perf_counter() - began, 1)} s).")
        if counts.missing:
            self.stderr.write(counts.say_missing())
