from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.accounts.services import account_password_reset
from thidua.platform.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Đặt lại mật khẩu một tài khoản. Mặc định in ra một mật khẩu dùng một lần; với --stdin, "
        "đọc mật khẩu từ dòng đầu của đầu vào chuẩn. Người dùng phải đổi mật khẩu ngay lần đăng "
        "nhập tới; các phiên đăng nhập đang mở của tài khoản bị đăng xuất."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Tên đăng nhập của tài khoản")
        parser.add_argument("--stdin", action="store_true",
                            help="Đọc mật khẩu mới từ đầu vào chuẩn (không hiện trên màn hình, "
                                 "không lưu trong lịch sử lệnh)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có tài khoản «{options['username']}».")
        password = ""
        if options["stdin"]:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("Đầu vào chuẩn không có mật khẩu nào.")
        try:
            raw = account_password_reset(actor=None, account=user, password=password)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(f"Đã đặt lại mật khẩu cho {user.get_username()}; người dùng phải đổi "
                          "mật khẩu ở lần đăng nhập tới.")
        if not password:
            self.stdout.write(raw)
