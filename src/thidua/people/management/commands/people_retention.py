"""`manage.py people_retention [--apply]`: people who left more than
THIDUA_RETENTION_YEARS_AFTER_LEAVING years ago — listed (dry run), or with `--apply` stripped of
their CCCD, phone, e-mail, date of birth and ethnicity (Nghị định 13/2023/NĐ-CP, Điều 16)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from thidua.people.services.privacy import people_anonymise_left, retention_listing
from thidua.platform.text import vn_date, vn_number


class Command(BaseCommand):
    help = (
        "Liệt kê (mặc định) hoặc xóa dữ liệu cá nhân (số CCCD, điện thoại, thư điện tử, ngày "
        "sinh, dân tộc) của những người đã rời đơn vị quá THIDUA_RETENTION_YEARS_AFTER_LEAVING "
        "năm. Họ tên và quá trình công tác được giữ để in quyết định, sổ khen thưởng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true",
                            help="xóa thật (không có: chỉ liệt kê, không ghi gì)")
        parser.add_argument("--years", type=int, default=None,
                            help="số năm lưu trữ, thay cho THIDUA_RETENTION_YEARS_AFTER_LEAVING")

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["years"]
        years = settings.THIDUA_RETENTION_YEARS_AFTER_LEAVING if years is None else years
        if options["apply"]:
            ids = people_anonymise_left(actor=None, years=years)
            self.stdout.write(f"Đã xóa dữ liệu cá nhân của {vn_number(len(ids))} người đã rời đơn "
                              f"vị quá {vn_number(years)} năm (ghi một dòng nhật ký).")
            return
        people = list(retention_listing(years=years))
        for p in people:
            left = vn_date(p.left_on) if p.left_on else "?"  # type: ignore[attr-defined]
            self.stdout.write(f"{p.pk}\t{p.full_name}\trời đơn vị ngày {left}")
        self.stdout.write(f"{vn_number(len(people))} người đã rời đơn vị quá {vn_number(years)} năm "
                          "còn dữ liệu cá nhân. Chưa xóa gì; chạy lại với --apply để xóa.")
