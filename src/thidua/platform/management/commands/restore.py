import sys
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.platform.backup import backup_restore
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_number


class Command(BaseCommand):
    help = ("Khôi phục từ một tệp sao lưu của `thidua backup`: kiểm tra trọn tệp trước, rồi thay "
            "cơ sở dữ liệu, tệp đính kèm và mốc nhật ký hiện có.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="tệp sao lưu (.tar.gz)")
        parser.add_argument("--yes", action="store_true", help="không hỏi lại trước khi thay")

    def _confirm(self, manifest: dict[str, Any]) -> bool:
        self.stdout.write(
            f"Bản sao lưu hợp lệ: tạo lúc {manifest.get('created_at')}, phiên bản "
            f"{manifest.get('app_version')}, {vn_number(len(manifest['files']))} tệp.\n"
            "Khôi phục sẽ THAY TOÀN BỘ dữ liệu hiện tại (cơ sở dữ liệu, tệp đính kèm, mốc nhật "
            "ký) bằng bản sao lưu này.")
        if not sys.stdin.isatty():
            raise CommandError("Không có ai trả lời câu hỏi xác nhận: chạy lại với --yes. "
                               "Chưa thay đổi gì.")
        answer = input("Gõ «co» để tiếp tục: ").strip().lower()
        return answer in {"co", "có"}

    def handle(self, *args: Any, archive: str, yes: bool, **options: Any) -> None:
        def migrate() -> None:
            call_command("migrate", interactive=False, verbosity=0)

        try:
            result = backup_restore(archive=Path(archive),
                                    confirm=None if yes else self._confirm, migrate=migrate)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if result is None:
            self.stdout.write("Đã hủy. Chưa thay đổi gì.")
            return
        self.stdout.write(f"Đã khôi phục {vn_number(result.files)} tệp từ bản sao lưu tạo lúc "
                          f"{result.manifest.get('created_at')}.")
        if result.migrated:
            self.stdout.write(f"Đã cập nhật cơ sở dữ liệu lên phiên bản hiện tại "
                              f"({vn_number(len(result.migrated))} bước).")
