"""`manage.py import_members FILE --unit CODE [--dry-run] [--valid-only] [--date D] [--user U]`:
import a roster (.xlsx or .csv). Any invalid row: every error printed, nothing written, exit 1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from thidua.org.models import Unit
from thidua.org.selectors import access_unit
from thidua.people.imports import roster_import_file
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_number

DATE_HELP = "ngày hiệu lực, dạng YYYY-MM-DD hoặc dd/mm/yyyy (mặc định: hôm nay)"
USER_HELP = "tài khoản thực hiện (mặc định: tài khoản quản trị đầu tiên)"


def parse_cli_date(raw: str | None) -> dt.date:
    """YYYY-MM-DD or dd/mm/yyyy; today when not given."""
    if not raw:
        return timezone.localdate()
    text = raw.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"Ngày «{raw}» không hợp lệ: hãy ghi YYYY-MM-DD hoặc dd/mm/yyyy, "
                       "ví dụ 2023-12-31 hoặc 31/12/2023.")


def cli_actor(username: str | None) -> Any:
    """The account the command acts as: --user, else the first superuser."""
    User = get_user_model()
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản «{username}» (hoặc tài khoản đã bị khoá).")
        return user
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError(
            "Chưa có tài khoản quản trị nào. Hãy chỉ định --user TÊN_TÀI_KHOẢN, hoặc tạo tài "
            "khoản quản trị bằng «thidua manage createsuperuser»."
        )
    return user


def cli_unit(actor: Actor, code: str) -> Unit:
    try:
        return access_unit(actor, code.strip())
    except ApplicationError:
        raise CommandError(f"Không có đơn vị mã «{code}» (hoặc tài khoản không được quản lý "
                           "đơn vị này).") from None


class Command(BaseCommand):
    help = ("Nhập danh sách người lao động, đoàn viên từ tệp .xlsx hoặc .csv vào một đơn vị. "
            "Có dòng sai thì in mọi lỗi và không ghi gì.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp .xlsx hoặc .csv")
        parser.add_argument("--unit", required=True, help="mã đơn vị nhận danh sách")
        parser.add_argument("--date", help=DATE_HELP)
        parser.add_argument("--dry-run", action="store_true",
                            help="chỉ kiểm tra, không ghi dữ liệu")
        parser.add_argument("--valid-only", action="store_true",
                            help="ghi các dòng hợp lệ, bỏ qua các dòng có lỗi")
        parser.add_argument("--user", help=USER_HELP)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp «{path}».")
        day = parse_cli_date(options["date"])
        actor = cli_actor(options["user"])
        unit = cli_unit(actor, options["unit"])
        try:
            result = roster_import_file(
                actor=actor, unit=unit, path=path, file_name=path.name, effective_date=day,
                valid_only=options["valid_only"], dry_run=options["dry_run"],
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        for warning in result.warnings:
            self.stderr.write(f"Lưu ý — {warning}")
        for error in result.errors:
            self.stderr.write(str(error))
        if result.errors and not result.written and not options["valid_only"]:
            rows = len({e.row for e in result.errors})
            raise CommandError(
                f"Tệp có {vn_number(len(result.errors))} lỗi ở {vn_number(rows)} dòng; "
                "chưa ghi dữ liệu nào. Sửa các lỗi trên rồi nhập lại (hoặc dùng --valid-only "
                "để chỉ nhập các dòng hợp lệ)."
            )
        self.stdout.write(result.summary())
