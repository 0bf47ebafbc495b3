"""`manage.py demo_data`: build the demo (idempotent) and print its figures and accounts."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import F

from thidua.accounts.models import Role, RoleGrant
from thidua.demo.builder import DemoSummary, demo_build
from thidua.demo.reports import reports_text
from thidua.demo.year import demo_reorganisation, demo_year_data
from thidua.org.models import Unit
from thidua.people.stats import stats_text
from thidua.platform.text import vn_date, vn_number


def _account_units(summary: DemoSummary) -> dict[str, list[str]]:
    """Per account, the units it holds roles on today (an ended unit last, marked read-only);
    an account without roles: the unit of its description."""
    out: dict[str, list[str]] = {}
    grants = (RoleGrant.objects.filter(user__username__in=[a.username for a in summary.accounts])
              .select_related("user", "unit")
              .order_by(F("unit__valid_to").asc(nulls_first=True), "unit__path"))
    for g in grants:
        text = g.unit.name
        if g.unit.valid_to is not None:
            text += f" (chỉ xem: kết thúc hoạt động từ {vn_date(g.unit.valid_to)})"
        elif g.role == Role.VIEWER:
            text += " (chỉ xem)"
        out.setdefault(g.user.username, []).append(text)
    names = dict(Unit.objects.filter(code__in=[a.unit for a in summary.accounts])
                 .values_list("code", "name"))
    return {a.username: out.get(a.username) or [names.get(a.unit, a.unit)]
            for a in summary.accounts}


def accounts_table(summary: DemoSummary) -> str:
    """The demo accounts as a plain-text table (Vietnamese headings), one line per unit."""
    units = _account_units(summary)
    rows = [("Tên đăng nhập", "Vai trò", "Đơn vị")]
    for a in summary.accounts:
        first, *more = units[a.username]
        rows.append((a.username, a.description, first))
        rows += [("", "", unit) for unit in more]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [line]
    for i, row in enumerate(rows):
        out.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
        if i == 0:
            out.append(line)
    out.append(line)
    out.append(f"Mật khẩu chung của các tài khoản dùng thử: {summary.password}")
    return "\n".join(out)


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu (CĐVC TP Hà Nội năm 2017, Công đoàn cơ quan UBND quận Hai Bà Trưng năm "
        "2023, ví dụ minh họa lịch sử) và các tài khoản dùng thử. Chạy lại không tạo trùng."
    )

    def handle(self, *args: object, **options: Any) -> None:
        started = time.perf_counter()
        summary = demo_build(stdout=self.stdout)
        demo_year_data(stdout=self.stdout)
        summary.units_created += demo_reorganisation(stdout=self.stdout)
        # the whole command, not only the tree and roster phase
        summary.seconds = time.perf_counter() - started
        people = summary.people_created + summary.people_updated + summary.people_unchanged
        if (summary.units_created or summary.people_created or summary.people_updated
                or summary.accounts_created):
            updated = (f" (cập nhật {vn_number(summary.people_updated)} người)"
                       if summary.people_updated else "")
            self.stdout.write(
                f"Đã tạo {vn_number(summary.units_created)} đơn vị, "
                f"{vn_number(summary.people_created)} người lao động{updated} và "
                f"{vn_number(summary.accounts_created)} tài khoản "
                f"trong {vn_number(summary.seconds, 1)} giây."
            )
        else:
            self.stdout.write(
                f"Dữ liệu mẫu đã có sẵn: không tạo thêm gì ({vn_number(people)} người trong danh "
                f"sách đã khớp; {vn_number(summary.seconds, 1)} giây)."
            )
        self.stdout.write("")
        for figures in summary.figures:
            self.stdout.write(stats_text(figures))
            self.stdout.write("")
        records = reports_text()
        if records:
            self.stdout.write(records)
            self.stdout.write("")
        self.stdout.write(accounts_table(summary))
