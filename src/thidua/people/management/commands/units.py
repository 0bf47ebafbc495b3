"""`thidua manage units …` — record changes to the union tree from the command line."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.org.models import Unit, UnitType
from thidua.org.services import UnitSpec, award_line_create, unit_create, unit_move, unit_rename
from thidua.people.services import unit_dissolve_with_roster, unit_merge_with_roster
from thidua.platform.errors import ApplicationError
from thidua.platform.text import parse_vn_date


def _unit(code: str) -> Unit:
    unit: Unit | None = Unit.objects.filter(code=code.upper()).first()
    if unit is None:
        raise CommandError(f"Không có đơn vị mã «{code}».")
    return unit


def _date(text: str) -> dt.date:
    try:
        day = parse_vn_date(text)
    except ValueError:
        day = None
    if day is None:
        raise CommandError(f"Ngày «{text}» không hợp lệ; dùng dd/mm/yyyy hoặc yyyy-mm-dd.")
    return day


class Command(BaseCommand):
    help = "Thành lập, đổi tên, chuyển, sáp nhập, giải thể đơn vị; thêm tuyến khen thưởng."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("create")
        p.add_argument("code")
        p.add_argument("name")
        p.add_argument("--type", required=True, choices=UnitType.values)
        p.add_argument("--parent")
        p.add_argument("--date", required=True)
        p.add_argument("--short-name", default="")
        p = sub.add_parser("rename")
        p.add_argument("code")
        p.add_argument("name")
        p.add_argument("--date", required=True)
        p = sub.add_parser("move")
        p.add_argument("code")
        p.add_argument("--to", required=True)
        p.add_argument("--date", required=True)
        p = sub.add_parser("merge")
        p.add_argument("codes", nargs="+")
        p.add_argument("--into", help="mã đơn vị nhận sáp nhập (đã có)")
        p.add_argument("--new-code")
        p.add_argument("--new-name")
        p.add_argument("--new-type", choices=UnitType.values)
        p.add_argument("--date", required=True)
        p = sub.add_parser("dissolve")
        p.add_argument("code")
        p.add_argument("--date", required=True)
        p = sub.add_parser("award-line")
        p.add_argument("code")
        p.add_argument("--issuer", required=True)
        p.add_argument("--date", required=True)
        for p in sub.choices.values():
            p.add_argument("--decision", default="", help="số quyết định")
            p.add_argument("--note", default="")

    def handle(self, *args: object, **o: object) -> None:
        action = o["action"]
        day = _date(str(o["date"]))
        common = {"actor": None}
        try:
            if action == "create":
                parent = _unit(str(o["parent"])) if o["parent"] else None
                unit = unit_create(**common, code=str(o["code"]), name=str(o["name"]),
                                   type=str(o["type"]), parent=parent, valid_from=day,
                                   short_name=str(o["short_name"]), note=str(o["note"]),
                                   decision=str(o["decision"]))
                self.stdout.write(f"Đã thành lập «{unit.name}» ({unit.code}).")
            elif action == "rename":
                unit = unit_rename(**common, unit=_unit(str(o["code"])), name=str(o["name"]),
                                   date=day, note=str(o["note"]), decision=str(o["decision"]))
                self.stdout.write(f"Đã đổi tên thành «{unit.name}».")
            elif action == "move":
                unit = unit_move(**common, unit=_unit(str(o["code"])), new_parent=_unit(str(o["to"])),
                                 date=day, note=str(o["note"]), decision=str(o["decision"]))
                self.stdout.write(f"Đã chuyển «{unit.name}».")
            elif action == "merge":
                sources = [_unit(c) for c in o["codes"]]  # type: ignore[attr-defined]
                into = _unit(str(o["into"])) if o["into"] else None
                spec = None
                if into is None:
                    if not (o["new_code"] and o["new_name"] and o["new_type"]):
                        raise CommandError("Cần --into, hoặc đủ --new-code, --new-name, --new-type.")
                    spec = UnitSpec(str(o["new_code"]), str(o["new_name"]), str(o["new_type"]))
                unit = unit_merge_with_roster(**common, sources=sources, into=into, new_unit=spec,
                                              date=day, note=str(o["note"]),
                                              decision=str(o["decision"]))
                self.stdout.write(f"Đã hợp nhất vào «{unit.name}» ({unit.code}).")
            elif action == "dissolve":
                unit = unit_dissolve_with_roster(**common, unit=_unit(str(o["code"])), date=day,
                                                 note=str(o["note"]), decision=str(o["decision"]))
                self.stdout.write(f"Đã giải thể «{unit.name}».")
            elif action == "award-line":
                unit = _unit(str(o["code"]))
                issuer = _unit(str(o["issuer"]))
                award_line_create(**common, unit=unit, issuer=issuer, valid_from=day)
                self.stdout.write(f"«{issuer.name}» được khen thưởng «{unit.name}».")
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
