from django.core.management.base import BaseCommand, CommandError

from thidua.audit.services import audit_checkpoint, audit_checkpoint_dir
from thidua.platform.errors import ApplicationError


class Command(BaseCommand):
    help = ("Ghi ngay một mốc kiểm tra (số thứ tự và mã băm của bản ghi cuối) vào thư mục "
            "THIDUA_AUDIT_DIR; nên chạy định kỳ, ví dụ mỗi phút bằng cron.")

    def handle(self, *args: object, **options: object) -> None:
        try:
            head = audit_checkpoint()
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if head is None:
            self.stdout.write("Nhật ký còn trống: chưa có gì để ghi mốc.")
            return
        self.stdout.write(f"Đã ghi mốc kiểm tra tại bản ghi số {head[0]} vào {audit_checkpoint_dir()}.")
