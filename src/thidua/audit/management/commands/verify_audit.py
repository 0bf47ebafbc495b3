from django.core.management.base import BaseCommand, CommandError

from thidua.audit.services import audit_checkpoint_dir, audit_verify


class Command(BaseCommand):
    help = ("Kiểm tra nhật ký thay đổi: chuỗi băm có khoá và các mốc kiểm tra lưu ngoài cơ sở dữ "
            "liệu; phát hiện bản ghi bị sửa, bị xoá, bị chèn giả hoặc bị cắt phần cuối.")

    def handle(self, *args: object, **options: object) -> None:
        verdict = audit_verify(checkpoint=True)
        if not verdict.ok:
            raise CommandError(
                f"NHẬT KÝ BỊ THAY ĐỔI sau {verdict.count} bản ghi hợp lệ: {verdict.message}")
        self.stdout.write(
            f"Đã kiểm tra {verdict.count} bản ghi và {verdict.checkpoints} mốc kiểm tra "
            f"({audit_checkpoint_dir()}). {verdict.message}")
