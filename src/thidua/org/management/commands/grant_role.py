from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.accounts.models import Role
from thidua.accounts.services import role_grant_create, user_create
from thidua.org.models import Unit


class Command(BaseCommand):
    help = "Cấp quyền cho tài khoản trên một đơn vị (có hiệu lực với mọi đơn vị trực thuộc)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("unit", help="mã đơn vị, ví dụ CDVC-HN")
        parser.add_argument("role", choices=[r.value for r in Role])
        parser.add_argument("--create", action="store_true", help="tạo tài khoản nếu chưa có")
        parser.add_argument("--password", help="mật khẩu khi tạo tài khoản mới")

    def handle(self, *args: object, **opts: object) -> None:
        User = get_user_model()
        username = str(opts["username"])
        user = User.objects.filter(username=username).first()
        if user is None:
            if not opts["create"] or not opts["password"]:
                raise CommandError(
                    f"Không có tài khoản «{username}». Thêm --create --password MẬT_KHẨU để tạo."
                )
            user = user_create(actor=None, username=username, password=str(opts["password"]))
        unit = Unit.objects.filter(code=str(opts["unit"]).upper()).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã «{opts['unit']}».")
        role_grant_create(actor=None, user=user, unit=unit, role=str(opts["role"]))
        self.stdout.write(
            f"Đã cấp quyền «{Role(str(opts['role'])).label}» trên «{unit.name}» cho {username}."
        )
