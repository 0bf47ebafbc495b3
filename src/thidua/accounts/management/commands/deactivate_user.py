from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.accounts.services import account_set_active
from thidua.platform.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Khóa một tài khoản (thay cho việc xóa: nhật ký vẫn giữ tên người đã thao tác). Tài "
        "khoản bị khóa không đăng nhập được và mọi mã truy cập API của nó bị từ chối. "
        "--activate mở lại."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Tên đăng nhập của tài khoản")
        parser.add_argument("--reason", default="", help="Lý do khóa (bắt buộc khi khóa)")
        parser.add_argument("--activate", action="store_true", help="Mở lại tài khoản")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có tài khoản «{options['username']}».")
        active = bool(options["activate"])
        try:
            account_set_active(actor=None, account=user, active=active, reason=options["reason"])
        except ApplicationError as exc:
            hint = " (--reason \"…\")" if exc.field == "reason" else ""
            raise CommandError(exc.message + hint) from None
        self.stderr.write(f"Đã {'mở lại' if active else 'khóa'} tài khoản {user.get_username()}.")
