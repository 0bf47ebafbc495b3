"""`manage.py decisions_list --unit CODE --year Y --format json [-o FILE] [--user U]`: the
decisions issued by a unit of the subtree or naming a recipient in it."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from thidua.honours.award_lists import decision_rows
from thidua.honours.management.commands.awards_list import cli_year, output_path
from thidua.honours.selectors_lists import decisions_of_subtree
from thidua.people.management.commands.import_members import USER_HELP, cli_actor, cli_unit
from thidua.platform.text import vn_number


class Command(BaseCommand):
    help = ("Danh sách quyết định khen thưởng, thu hồi, đính chính của một năm: do đơn vị (cả "
            "các đơn vị trực thuộc) ban hành, hoặc có tên người, tập thể thuộc đơn vị.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="mã đơn vị, ví dụ CDVC-HN")
        parser.add_argument("--year", required=True, help="năm khen thưởng")
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("-o", "--output", help="tệp .json (mặc định: in ra màn hình)")
        parser.add_argument("--user", help=USER_HELP)

    def handle(self, *args: Any, **options: Any) -> None:
        out = output_path(options["output"], ".json")
        year = cli_year(options["year"])
        actor = cli_actor(options["user"])
        unit = cli_unit(actor, options["unit"])
        rows = decision_rows(decisions_of_subtree(actor, unit, year=year))
        text = json.dumps(rows, ensure_ascii=False, indent=1)
        if out is None:
            self.stdout.write(text)
            return
        out.write_text(text + "\n", encoding="utf-8")
        self.stdout.write(f"Đã ghi {vn_number(len(rows))} quyết định vào {out}.")
