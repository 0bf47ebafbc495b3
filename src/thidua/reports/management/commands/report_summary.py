"""`manage.py report_summary --unit CODE --year Y [--since Y0] --format docx|json|md [-o FILE]
[--user U]` (`thidua report summary …`): the year-end report of a unit's subtree, its figures
as JSON, its prose as Markdown, or the Word document."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.honours.management.commands.awards_list import output_path
from thidua.people.management.commands.import_members import USER_HELP, cli_actor, cli_unit
from thidua.platform.errors import ApplicationError
from thidua.reports.summary import summary_figures, summary_file


class Command(BaseCommand):
    help = ("Báo cáo tổng kết thi đua, khen thưởng của một đơn vị (cả các đơn vị trực thuộc) "
            "trong một năm hoặc nhiều năm, tính từ dữ liệu: số liệu (json), văn bản (md) hoặc "
            "tệp Word (docx).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="mã đơn vị, ví dụ CDVC-HN")
        parser.add_argument("--year", required=True, help="năm báo cáo (năm cuối)")
        parser.add_argument("--since", help="năm đầu, khi báo cáo gồm nhiều năm")
        parser.add_argument("--format", choices=["docx", "json", "md"], default="md")
        parser.add_argument("-o", "--output", help="tệp kết quả (bắt buộc với docx)")
        parser.add_argument("--user", help=USER_HELP)

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"]
        if fmt == "docx" and not options["output"]:
            raise CommandError("Xuất .docx cần tên tệp: thêm -o TỆP.docx.")
        out = output_path(options["output"], f".{fmt}")
        actor = cli_actor(options["user"])
        unit = cli_unit(actor, options["unit"])
        try:
            figures = summary_figures(unit, options["year"], options["since"], fmt=fmt)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        report = summary_file(unit, figures, fmt)
        if out is None:
            self.stdout.write(report.content.decode(), ending="")
            return
        out.write_bytes(report.content)
        self.stdout.write(f"Đã ghi báo cáo vào {out}.")
