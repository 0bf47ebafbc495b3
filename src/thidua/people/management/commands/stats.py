"""`manage.py stats --unit CODE [--date D] --format json|text`: figures of a subtree at a date."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from thidua.org.models import Unit
from thidua.people.stats import stats_payload, stats_text
from thidua.platform.text import parse_vn_date


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
