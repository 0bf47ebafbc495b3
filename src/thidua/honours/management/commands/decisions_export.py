"""`manage.py decisions_export NUMBER --issuer CODE --format docx|pdf -o FILE [--user U]`
(`thidua decisions export …`): one decision as .docx, or as PDF converted by LibreOffice and
signed with the issuer's key when one is configured. The decision is looked up within the
account's scope, like the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.honours import documents
from thidua.honours.selectors import decision_by_number
from thidua.people.management.commands.import_members import USER_HELP, cli_actor
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.platform.text import vn_number


class Command(BaseCommand):
    help = "Xuất một quyết định khen thưởng ra .docx hoặc .pdf (PDF được ký số nếu đơn vị có khóa)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("number", help="số quyết định, ví dụ 12/QĐ-CĐ")
        parser.add_argument("--issuer", required=True, help="mã đơn vị ban hành")
        parser.add_argument("--format", choices=("docx", "pdf"), default="docx",
                            help="docx (mặc định) hoặc pdf")
        parser.add_argument("-o", "--output", required=True, help="tệp sẽ ghi")
        parser.add_argument("--user", help=USER_HELP)

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["output"])
        fmt = options["format"]
        if out.suffix.lower() != f".{fmt}":
            raise CommandError(f"Tệp xuất phải có đuôi .{fmt}.")
        if not out.parent.is_dir():
            raise CommandError(f"Không có thư mục «{out.parent}».")
        actor = cli_actor(options["user"])
        try:
            decision = decision_by_number(actor, issuer_code=options["issuer"].strip(),
                                          number=options["number"].strip())
            data = (documents.decision_pdf(decision) if fmt == "pdf"
                    else documents.render_decision(decision))
        except (NotFoundError, ApplicationError) as exc:
            raise CommandError(exc.message) from None
        out.write_bytes(data)
        self.stdout.write(f"Đã xuất Quyết định số {decision.number} ({vn_number(len(data))} "
                          f"byte) vào {out}.")
