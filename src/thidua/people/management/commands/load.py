"""`thidua load IN [--under CODE] [--without-above]`: load an exchange folder or .tar, all or
nothing (`--without-above`: without the rows naming what a body above issued and the target
lacks, each table's count printed)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.org.models import Unit
from thidua.people.management.commands.dump import cli_user
from thidua.people.services.exchange import exchange_load
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_number


class Command(BaseCommand):
    help = "Nạp dữ liệu ở định dạng trao đổi (kiểm tra toàn bộ trước, ghi tất cả hoặc không ghi gì)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="thư mục hoặc tệp .tar do «thidua dump» tạo")
        parser.add_argument("--under", help="mã đơn vị cấp trên nhận cây (mặc định: đơn vị gốc mới)")
        parser.add_argument("--user", help="tài khoản ghi vào nhật ký (mặc định: dòng lệnh)")
        parser.add_argument("--without-above", action="store_true",
                            help="bỏ qua các dòng nhắc đến kế hoạch, phong trào, bảng chấm điểm "
                                 "của cấp trên chưa có trong cơ sở dữ liệu (và các dòng kèm "
                                 "theo), in số dòng đã bỏ qua")

    def handle(self, *args: Any, **options: Any) -> None:
        under = None
        if options["under"]:
            under = Unit.objects.filter(code=options["under"].strip().upper()).first()
            if under is None:
                raise CommandError(f"Không có đơn vị mã «{options['under']}».")
        began = time.perf_counter()
        try:
            counts = exchange_load(actor=cli_user(options["user"]),
                                   source=Path(options["source"]), under=under,
                                   without_above=options["without_above"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        rows = ", ".join(f"{t} {vn_number(n)}" for t, n in counts.items())
        self.stdout.write(f"Đã nạp {rows} ({vn_number(time.perf_counter() - began, 1)} s).")
        for left in counts.left_out:
            self.stdout.write(left.say())
