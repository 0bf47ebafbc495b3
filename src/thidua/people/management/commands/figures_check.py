"""`thidua figures-check [--rebuild]`: the maintained figures against the records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.org.models import Unit
from thidua.people.figures import DEPENDENTS, figures_differences
from thidua.people.services import figures_rebuild
from thidua.platform.text import vn_date, vn_number

LIMIT = 200  # differences printed; the count is always whole


class Command(BaseCommand):
    help = (
        "Tính lại số liệu CBCCVCLĐ, đoàn viên, người đạt danh hiệu của mọi đơn vị từ hồ sơ và "
        "so với số liệu đang lưu; "
        "in mọi chỗ khác nhau (đơn vị, ngày, chỉ tiêu, đang lưu, tính lại). Mã thoát 1 khi có "
        "chỗ khác. --rebuild: tính lại toàn bộ bảng số liệu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true",
                            help="tính lại toàn bộ bảng số liệu từ hồ sơ rồi đối chiếu")

    def handle(self, *args: object, **options: Any) -> None:
        if options["rebuild"]:
            rows = figures_rebuild(actor=None)
            self.stdout.write(f"Đã tính lại số liệu: {vn_number(rows)} dòng.")
        found = figures_differences() + [
            d for dependent in DEPENDENTS for d in dependent.differences()]
        if not found:
            self.stdout.write("Số liệu khớp với hồ sơ: 0 chỗ khác.")
            return
        codes = dict(Unit.objects.filter(pk__in={d[0] for d in found[:LIMIT]})
                     .values_list("pk", "code"))
        for unit_id, day, key, kept, recomputed in found[:LIMIT]:
            self.stdout.write(f"{codes.get(unit_id, unit_id)}\t{vn_date(day)}\t{key}\t"
                              f"đang lưu {vn_number(kept)}\ttính lại {vn_number(recomputed)}")
        raise CommandError(f"Số liệu khác hồ sơ: {vn_number(len(found))} chỗ.")
