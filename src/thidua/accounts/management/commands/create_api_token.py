from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from thidua.accounts import selectors
from thidua.accounts.models import TokenScope
from thidua.accounts.services import api_token_create, api_token_revoke
from thidua.accounts.services.tokens import default_days
from thidua.platform.errors import ApplicationError, NotFoundError


class Command(BaseCommand):
    help = (
        "Tạo mã truy cập API (Bearer token) cho một tài khoản; hoặc liệt kê (--list), thu hồi "
        "(--revoke ID) các mã của tài khoản đó. Mã chỉ được in ra một lần; hệ thống chỉ lưu bản "
        "băm của mã."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Tên đăng nhập của tài khoản")
        parser.add_argument("--name", help="Tên gợi nhớ của mã (ví dụ: báo cáo tuần)")
        parser.add_argument("--read-only", action="store_true",
                            help="Mã chỉ được đọc (GET); mặc định: đọc và ghi")
        parser.add_argument("--days", type=int, default=None,
                            help=f"Số ngày hiệu lực (mặc định THIDUA_API_TOKEN_DAYS = "
                                 f"{default_days()})")
        parser.add_argument("--list", action="store_true", help="Liệt kê các mã của tài khoản")
        parser.add_argument("--revoke", type=int, metavar="ID", help="Thu hồi mã có số ID")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có tài khoản «{options['username']}».")
        if options["list"]:
            self._list(user)
            return
        if options["revoke"] is not None:
            try:
                token = selectors.access_token(user, options["revoke"])
            except NotFoundError:
                raise CommandError(f"Tài khoản «{user.get_username()}» không có mã số "
                                   f"{options['revoke']}.") from None
            api_token_revoke(actor=None, token=token)
            self.stderr.write(f"Đã thu hồi mã «{token.name}» (số {token.pk}).")
            return
        if not user.is_active:
            raise CommandError(f"Tài khoản «{user.get_username()}» đang bị khoá.")
        name = (options["name"] or "").strip()
        if not name:
            raise CommandError("Hãy đặt tên cho mã truy cập (--name).")
        scope = TokenScope.READ if options["read_only"] else TokenScope.WRITE
        try:
            token, raw = api_token_create(actor=None, user=user, name=name, scope=scope,
                                          days=options["days"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        expires = timezone.localtime(token.expires_at).strftime("%d/%m/%Y")
        self.stderr.write(
            f"Đã tạo mã truy cập «{name}» ({token.get_scope_display().lower()}, hết hạn "
            f"{expires}) cho {user.get_username()}. Hãy lưu lại ngay: mã sẽ không được hiển thị "
            "lần nữa."
        )
        self.stdout.write(raw)

    def _list(self, user: Any) -> None:
        now = timezone.now()
        for t in selectors.tokens_of(user):
            used = (timezone.localtime(t.last_used_at).strftime("%d/%m/%Y %H:%M")
                    if t.last_used_at else "chưa dùng")
            self.stdout.write(
                f"{t.pk}\t{t.name}\t{t.get_scope_display()}\thết hạn "
                f"{timezone.localtime(t.expires_at).strftime('%d/%m/%Y')}\t{used}\t"
                f"{t.status_at(now)}")
