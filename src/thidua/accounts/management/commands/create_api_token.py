from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.accounts.services import api_token_create


class Command(BaseCommand):
    help = (
        "Tạo mã truy cập API (Bearer token) cho một tài khoản. Mã chỉ được in ra một lần; "
        "hệ thống chỉ lưu bản băm của mã."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Tên đăng nhập của tài khoản")
        parser.add_argument(
            "--name", required=True, help="Tên gợi nhớ của mã (ví dụ: báo cáo tuần)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có tài khoản «{options['username']}».")
        if not user.is_active:
            raise CommandError(f"Tài khoản «{user.get_username()}» đang bị khoá.")
        name = options["name"].strip()
        if not name:
            raise CommandError("Hãy đặt tên cho mã truy cập (--name).")
        _, raw = api_token_create(actor=None, user=user, name=name)
        self.stderr.write(
            f"Đã tạo mã truy cập «{name}» cho {user.get_username()}. Hãy lưu lại ngay: mã sẽ không "
            "được hiển thị lần nữa."
        )
        self.stdout.write(raw)
