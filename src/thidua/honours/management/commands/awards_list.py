"""`manage.py awards_list --unit CODE --year Y [--issuer CODE] --format json|xlsx [-o FILE]
[--user U]`: the awards given to recipients of a unit's subtree or issued by a unit of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.honours.award_lists import award_rows, awards_xlsx
from thidua.honours.selectors_lists import awards_of_subtree
from thidua.people.management.commands.import_members import USER_HELP, cli_actor, cli_unit
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_number
from thidua.platform.years import check_year


def cli_year(raw: object) -> int:
    try:
        return check_year(raw)
    except ApplicationError as exc:
        raise CommandError(exc.message) from None


def output_path(raw: str | None, suffix: str) -> Path | None:
    if not raw:
        return None
    out = Path(raw)
    if out.suffix.lower() != suffix:
        raise CommandError(f"Tệp xuất phải có đuôi {suffix}.")
    if not out.parent.is_dir():
        raise CommandError(f"Không có thư mục «{out.parent}».")
    return out


class Command(BaseCommand):
    help = ("Danh sách khen thưởng của một năm: người, tập thể thuộc đơn vị (cả các đơn vị trực "
            "thuộc) được khen, và khen thưởng do đơn vị đó, các đơn vị trực thuộc ban hành.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="mã đơn vị, ví dụ CDVC-HN")
        parser.add_argument("--year", required=True, help="năm khen thưởng")
        parser.add_argument("--issuer", help="chỉ khen thưởng do đơn vị mã này ban hành")
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("-o", "--output", help="tệp kết quả (bắt buộc với xlsx)")
        parser.add_argument("--user", help=USER_HELP)

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"]
        if fmt == "xlsx" and not options["output"]:
            raise CommandError("Xuất .xlsx cần tên tệp: thêm -o TỆP.xlsx.")
        out = output_path(options["output"], f".{fmt}")
        year = cli_year(options["year"])
        actor = cli_actor(options["user"])
        unit = cli_unit(actor, options["unit"])
        rows = award_rows(awards_of_subtree(actor, unit, year=year,
                                            issuer=options["issuer"] or ""))
        if fmt == "xlsx":
            assert out is not None
            awards_xlsx(rows, out, title=f"KHEN THƯỞNG NĂM {year} — {unit.name}".upper())
            self.stdout.write(f"Đã xuất {vn_number(len(rows))} khen thưởng vào {out}.")
            return
        text = json.dumps(rows, ensure_ascii=False, indent=1)
        if out is None:
            self.stdout.write(text)
            return
        out.write_text(text + "\n", encoding="utf-8")
        self.stdout.write(f"Đã ghi {vn_number(len(rows))} khen thưởng vào {out}.")
