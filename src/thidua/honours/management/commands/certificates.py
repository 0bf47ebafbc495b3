"""`manage.py certificates export --decision NUMBER --issuer CODE -o FILE.pdf [--user U]` prints
a decision's certificates as one signed PDF (as the issuer's officer: audited);
`manage.py certificates verify CODE` says what the public page says about a code, exit 1 for a
code that is unknown (or malformed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.honours.certificates import public_facts
from thidua.honours.selectors import certificate_by_code, decision_by_number
from thidua.honours.services.certificates import certificates_render
from thidua.people.management.commands.import_members import USER_HELP, cli_actor
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.platform.pdf import page_count
from thidua.platform.signing import verify_pdf
from thidua.platform.text import vn_number


class Command(BaseCommand):
    help = "Bằng, giấy khen: in cả quyết định ra một tệp PDF đã ký số, hoặc xác minh một mã."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="in bằng, giấy khen của một quyết định ra PDF")
        export.add_argument("--decision", required=True, help="số quyết định, VD: 12/QĐ-CĐ")
        export.add_argument("--issuer", required=True, help="mã đơn vị ban hành")
        export.add_argument("-o", "--output", required=True, help="tệp .pdf sẽ ghi")
        export.add_argument("--user", help=USER_HELP)
        verify = sub.add_parser("verify", help="xác minh một mã in trên bằng, giấy khen")
        verify.add_argument("code", help="mã xác minh (20 ký tự, có thể có dấu gạch ngang)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(options)
        else:
            self._verify(options["code"])

    def _export(self, options: dict[str, Any]) -> None:
        out = Path(options["output"])
        if out.suffix.lower() != ".pdf":
            raise CommandError("Tệp xuất phải có đuôi .pdf.")
        if not out.parent.is_dir():
            raise CommandError(f"Không có thư mục «{out.parent}».")
        actor = cli_actor(options["user"])
        try:
            decision = decision_by_number(actor, issuer_code=options["issuer"].strip(),
                                          number=options["decision"].strip())
            pdf = certificates_render(actor=actor, decision=decision)
        except NotFoundError:
            raise CommandError(f"Không có quyết định số «{options['decision']}» của đơn vị "
                               f"«{options['issuer']}» (hoặc tài khoản không được xem).") from None
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        out.write_bytes(pdf)
        note = ("đã ký số" if verify_pdf(pdf).signed else
                "CHƯA ký số: đơn vị ban hành chưa có khóa ký số (docs/signing.md)")
        self.stdout.write(f"Đã in {vn_number(page_count(pdf))} bằng, giấy khen của Quyết định số "
                          f"{decision.number} vào {out} ({note}).")

    def _verify(self, code: str) -> None:
        certificate = certificate_by_code(code)
        if certificate is None:
            raise CommandError("Không có bằng, giấy khen nào mang mã này.")
        for label, value in public_facts(certificate).lines():
            self.stdout.write(f"{label}: {value}")
