"""`thidua national --scale 0.01 [--seed N]`: the national data set in an empty database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.demo.national.fingerprint import fingerprint
from thidua.demo.national.generate import describe, national_generate
from thidua.platform.errors import ApplicationError


def _scale(text: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError as exc:
        raise CommandError(f"Hệ số quy mô không hợp lệ: {text}") from exc


class Command(BaseCommand):
    help = "Tạo dữ liệu toàn quốc (TLĐ → LĐLĐ, CĐ ngành → cấp trên → CĐCS → tổ) theo hệ số quy mô"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", default="0.01", help="1 = toàn quốc; 0,01 = một phần trăm")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--fingerprint", action="store_true",
                            help="in dấu vân tay dữ liệu (cùng seed → cùng dấu)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = national_generate(scale=_scale(options["scale"]), seed=options["seed"],
                                       say=self.stdout.write)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        for line in describe(report):
            self.stdout.write(line)
        if options["fingerprint"]:
            self.stdout.write(f"Dấu vân tay: {fingerprint()}")
