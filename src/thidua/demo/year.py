"""The demo's emulation-year data, built after the tree and roster (demo.builder): movements and
registrations, ratings and reviews, initiatives, awards, and the reports' records (Party
development, targets, welfare, family titles); then the 2025 reorganisation of the tree
(`demo_reorganisation`, demo.reorg), which comes after every record. Each step is idempotent and
uses the services."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection

from thidua.demo.clusters import demo_clusters
from thidua.demo.evaluation import demo_evaluation
from thidua.demo.honours import demo_honours
from thidua.demo.initiatives import demo_initiatives
from thidua.demo.movements import demo_movements
from thidua.demo.reorg import demo_reorg
from thidua.demo.reports import demo_reports
from thidua.demo.signing import demo_signing


def _steps() -> list[tuple[str, Callable[..., None]]]:
    steps: list[tuple[str, Callable[..., None]]] = [
        ("phong trào, kế hoạch và đăng ký thi đua", demo_movements),
        # initiatives first: recognised initiatives are facts for the 2023 titles
        ("sáng kiến 2022–2023", demo_initiatives),
        ("xếp loại, bình xét và danh hiệu", demo_evaluation),
        # Party development, 2018 targets, welfare and family titles (the reports' records)
        ("phát triển Đảng, chỉ tiêu năm 2018, chăm lo và gia đình văn hóa", demo_reports),
        # the clusters' sheets pre-fill the year's figures (Party admissions among them); their
        # meetings (December 2017) come before the awards they lead to (January 2018)
        ("cụm thi đua năm 2017: giao ước, chấm điểm, suy tôn", demo_clusters),
        # after the titles and the clusters' suy tôn: the 2017 proposals are built from them
        ("khen thưởng năm 2017 (hồ sơ đề nghị, hội đồng, quyết định)", demo_honours),
        ("khóa ký số thử nghiệm, in bằng khen, cờ thi đua đã ký", demo_signing),
    ]
    return steps


def _analyze() -> None:
    """Fresh planner statistics on PostgreSQL after a step wrote thousands of rows. In a test
    the whole build is one transaction that autovacuum cannot see, and statistics it took of a
    table nearly empty at the time led to plans of nested loops over whole tables (seconds per
    query). ANALYZE in the transaction sees the transaction's own rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _run(label: str, step: Callable[..., Any], stdout: Any) -> Any:
    actor = get_user_model().objects.get(username="quantri")
    started = time.perf_counter()
    if stdout is not None:
        stdout.write(f"Dữ liệu mẫu: {label}…")
    result = step(actor=actor)
    _analyze()
    if stdout is not None:
        stdout.write(f"  xong trong {time.perf_counter() - started:.1f} giây".replace(".", ","))
    return result


def demo_year_data(*, stdout: Any = None) -> None:
    _analyze()  # the rosters demo_build imported
    for label, step in _steps():
        _run(label, step, stdout)


def demo_reorganisation(*, stdout: Any = None) -> int:
    """The 2025 reorganisation, once the records of the years before it exist; the number of
    units it created."""
    created: int = _run("sắp xếp tổ chức công đoàn từ ngày 01/07/2025", demo_reorg, stdout)
    return created
