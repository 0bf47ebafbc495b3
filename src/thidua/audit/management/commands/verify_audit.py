from django.core.management.base import BaseCommand, CommandError

from thidua.audit.services import audit_verify


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm của nhật ký thay đổi: phát hiện bản ghi bị sửa hoặc bị xoá."

    def handle(self, *args: object, **options: object) -> None:
        ok, count, message = audit_verify()
        if not ok:
            raise CommandError(f"NHẬT KÝ BỊ THAY ĐỔI sau {count} bản ghi hợp lệ: {message}")
        self.stdout.write(f"Đã kiểm tra {count} bản ghi. {message}")
