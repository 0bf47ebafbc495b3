from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.platform.backup import backup_create
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_number


class Command(BaseCommand):
    help = ("Sao lưu cơ sở dữ liệu, tệp đính kèm và mốc nhật ký vào một tệp .tar.gz "
            "(không gồm khóa bí mật và khóa nhật ký: hãy giữ riêng).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="tệp sao lưu sẽ ghi (.tar.gz)")

    def handle(self, *args: Any, output: str, **options: Any) -> None:
        try:
            result = backup_create(output=Path(output))
        except (ApplicationError, OSError) as exc:
            message = exc.message if isinstance(exc, ApplicationError) else exc.strerror
            raise CommandError(f"Không sao lưu được: {message}") from exc
        self.stdout.write(f"Đã sao lưu {vn_number(result.files)} tệp "
                          f"({vn_number(max(1, result.size // 1024))} KB) vào {result.path}.")
