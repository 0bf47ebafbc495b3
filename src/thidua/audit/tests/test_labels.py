import re
from pathlib import Path

from thidua.audit.labels import action_label

SRC = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r'audit_record\([^)]*?action="([a-z_]+\.[a-z_]+)"', re.S)


def test_every_action_written_in_the_source_has_a_vietnamese_label() -> None:
    codes = {code for path in SRC.rglob("*.py") if "tests" not in path.parts
             for code in LITERAL.findall(path.read_text(encoding="utf-8"))}
    assert len(codes) > 40  # the pattern still finds them
    unlabelled = sorted(c for c in codes if action_label(c) == c)
    assert not unlabelled


def test_dynamic_codes_read_too() -> None:
    assert action_label("unit.merge") == "Đơn vị: sáp nhập, hợp nhất"
    assert action_label("review.open") == "Bình xét: mở"
    assert action_label("registration.update") == "Đăng ký thi đua: sửa"
    assert action_label("nothing.known") == "nothing.known"
