"""`manage.py stats --unit CODE [--date D] --format json|text`: figures of a subtree at a date."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from thidua.org.models import Unit, UnitType
from thidua.org.selectors import unit_stats
from thidua.platform.text import parse_vn_date, vn_date, vn_number

# How unit types read inside a sentence ("65 công đoàn cơ sở").
TYPE_WORDS = {
    "tld": "Tổng Liên đoàn", "ldld_tinh": "LĐLĐ tỉnh, thành phố",
    "cd_nganh_tw": "công đoàn ngành Trung ương", "cd_tong_cong_ty": "công đoàn tổng công ty",
    "cap_tren_co_so": "công đoàn cấp trên trực tiếp cơ sở", "cdcs": "công đoàn cơ sở",
    "cdcs_thanh_vien": "công đoàn cơ sở thành viên", "cd_bo_phan": "công đoàn bộ phận",
    "to_cd": "tổ công đoàn",
}


def parse_day(raw: str | None) -> dt.date:
    """YYYY-MM-DD (or dd/mm/yyyy as officials type it); today when not given."""
    if not raw:
        return timezone.localdate()
    try:
        day = parse_vn_date(raw)
    except ValueError:
        day = None
    if day is None:
        raise CommandError(f"Ngày «{raw}» không hợp lệ: hãy ghi theo dạng YYYY-MM-DD, ví dụ 2017-12-31.")
    return day


def stats_payload(unit: Unit, day: dt.date) -> dict[str, Any]:
    """`unit_stats` with every unit type listed (0 when there is none of that type)."""
    data = unit_stats(unit, day)
    data.setdefault("name", unit.name)
    data["units"] = {code: int(data["units"].get(code, 0)) for code in UnitType.values}
    return data


def stats_text(data: dict[str, Any]) -> str:
    """A short Vietnamese summary of `stats_payload`."""
    day = vn_date(dt.date.fromisoformat(data["date"]))
    head = f"{data['name']} ({data['unit']}) — số liệu ngày {day}"
    if not data.get("exists", True):
        return f"{head}\n  Đơn vị chưa thành lập hoặc đã chấm dứt hoạt động vào ngày này."
    labels = TYPE_WORDS
    below = [f"{vn_number(n)} {labels[code]}" for code, n in data["units"].items() if n]
    lines = [
        head,
        "  Đơn vị trực thuộc: " + ("; ".join(below) if below else "không có"),
        f"  CBCCVCLĐ: {vn_number(data['workers'])} (nữ: {vn_number(data['women'])})",
        f"  Đoàn viên công đoàn: {vn_number(data['members'])} "
        f"(nữ: {vn_number(data['women_members'])}; đang sinh hoạt: "
        f"{vn_number(data['members_active'])}; tạm dừng sinh hoạt: "
        f"{vn_number(data['members_suspended'])})",
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "In số liệu của một đơn vị và toàn bộ đơn vị trực thuộc tại một ngày: số CBCCVCLĐ, đoàn "
        "viên, nữ, đoàn viên nữ, số đơn vị trực thuộc theo loại."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="mã đơn vị, ví dụ CDVC-HN")
        parser.add_argument("--date", help="ngày tính số liệu, dạng YYYY-MM-DD (mặc định: hôm nay)")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args: object, **options: Any) -> None:
        code = str(options["unit"]).strip().upper()
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"Không tìm thấy đơn vị có mã «{code}».")
        data = stats_payload(unit, parse_day(options.get("date")))
        if options["format"] == "text":
            self.stdout.write(stats_text(data))
        else:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
