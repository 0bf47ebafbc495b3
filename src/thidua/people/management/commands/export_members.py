"""`manage.py export_members --unit CODE -o FILE.xlsx [--date D] [--user U]`: the roster of a
unit's subtree as of a date, in the import layout (audited)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.people.exports import roster_export
from thidua.people.management.commands.import_members import (
    DATE_HELP,
    USER_HELP,
    cli_actor,
    cli_unit,
    parse_cli_date,
)
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_date, vn_number


class Command(BaseCommand):
    help = "Xuất danh sách người lao động, đoàn viên của một đơn vị (cả các đơn vị trực thuộc) ra .xlsx."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="mã đơn vị")
        parser.add_argument("-o", "--output", required=True, help="tệp .xlsx sẽ ghi")
        parser.add_argument("--date", help=DATE_HELP.replace("hiệu lực", "tính số liệu"))
        parser.add_argument("--user", help=USER_HELP)

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["output"])
        if out.suffix.lower() != ".xlsx":
            raise CommandError("Tệp xuất phải có đuôi .xlsx.")
        if not out.parent.is_dir():
            raise CommandError(f"Không có thư mục «{out.parent}».")
        day = parse_cli_date(options["date"])
        actor = cli_actor(options["user"])
        unit = cli_unit(actor, options["unit"])
        try:
            count = roster_export(actor=actor, unit=unit, day=day, path_or_buffer=out)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Đã xuất {vn_number(count)} người của «{unit.name}» (ngày "
                          f"{vn_date(day)}) vào {out}.")
