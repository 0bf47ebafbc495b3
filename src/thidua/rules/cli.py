"""`thidua rules …` — try the rules engine on facts, without a database (no Django).

    thidua rules check FACTS.json [--rule-set ID] [--details]
    thidua rules list [--format text|json]
    thidua rules show ID

FACTS.json holds one person-year or unit-year (or a list of them; "-" reads standard input);
`check` prints {"year", "rule_set", "titles": {CODE: {"eligible", "reasons", "missing"}}}.
Exit code 0 on success, 1 on bad facts or an unknown rule set, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from thidua.rules.checks import vocabulary
from thidua.rules.engine import evaluate
from thidua.rules.facts import FactsError
from thidua.rules.ruleset import (
    FAMILIES,
    RuleSet,
    RuleSetError,
    RuleSpec,
    get_ruleset,
    list_rulesets,
)


def _dump(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _rule(spec: RuleSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"id": spec.id, "check": spec.check}
    out.update({k: v for k, v in spec.args.items()})
    if spec.params:
        out["params"] = list(dict.fromkeys(spec.params))
    out["source"] = spec.source
    out["confidence"] = spec.confidence
    if spec.note:
        out["note"] = spec.note
    if spec.rules:
        out["rules"] = [_rule(r) for r in spec.rules]
    return out


def ruleset_dict(rs: RuleSet) -> dict[str, Any]:
    """The whole rule set, with `extends` resolved (what `show` prints)."""
    out: dict[str, Any] = rs.summary()
    out["extends"] = rs.extends or None
    out["note"] = rs.note
    if rs.unverified is not None:
        out["unverified"] = {"since": rs.unverified.since.isoformat(), "by": rs.unverified.by,
                             "confidence": rs.unverified.confidence, "note": rs.unverified.note}
    out["documents"] = [{"code": d.code, "title": d.title, **({"url": d.url} if d.url else {})}
                        for d in rs.documents]
    out["params"] = {p.name: {"value": p.value, "source": p.source, "confidence": p.confidence,
                              **({"note": p.note} if p.note else {})}
                     for p in rs.params.values()}
    titles = {}
    for t in rs.titles.values():
        item: dict[str, Any] = {"name": t.name, "short": t.short, "subject": t.subject}
        if t.gender:
            item["gender"] = t.gender
        if t.unit_types:
            item["unit_types"] = list(t.unit_types)
        if t.note:
            item["note"] = t.note
        if t.quota is not None:
            item["quota"] = {"percent": t.quota.percent, "of": t.quota.of,
                             "source": t.quota.source, "confidence": t.quota.confidence}
        item["rules"] = [_rule(r) for r in t.rules]
        titles[t.code] = item
    out["titles"] = titles
    if rs.sheets:
        out["sheets"] = rs.sheets
    if rs.scales:
        out["scales"] = rs.scales
    return out


def _load(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise FactsError(f"Không đọc được tệp {path}: {exc.strerror or exc}.") from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise FactsError(f"{path}: JSON không hợp lệ (dòng {exc.lineno}, cột {exc.colno}): "
                         f"{exc.msg}.") from None
    except RecursionError:  # "[[[[…": the decoder recurses once per level (found by fuzzing)
        raise FactsError(f"{path}: JSON lồng nhau quá sâu, không đọc được.") from None


def _no_constant(name: str) -> Any:
    raise FactsError(f"JSON không hợp lệ: giá trị {name} không phải một số.")


def check(path: str, rule_set: str | None, details: bool) -> int:
    data = _load(path)
    if isinstance(data, list):
        out: Any = [evaluate(item, rule_set).to_dict(details) for item in data]
    else:
        out = evaluate(data, rule_set).to_dict(details)
    _dump(out)
    return 0


def list_command(fmt: str) -> int:
    sets = list_rulesets()
    if fmt == "json":
        _dump([rs.summary() for rs in sets])
        return 0
    width = max(len(rs.id) for rs in sets)
    for rs in sets:
        auto = "" if rs.auto else " (chỉ khi chọn)"
        sys.stdout.write(f"{rs.id.ljust(width)}  {rs.period_vi().ljust(25)}  "
                         f"{FAMILIES[rs.family]}{auto}: {rs.title}\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="thidua rules", description="Thử bộ quy tắc xét danh hiệu trên dữ liệu (không cần "
        "cơ sở dữ liệu).",
        epilog="Các kiểm tra có thể dùng trong bộ quy tắc: "
               + ", ".join(name for name, _ in vocabulary()))
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="xét danh hiệu cho dữ liệu trong tệp FACTS.json")
    p_check.add_argument("facts", help="tệp JSON (một người/đơn vị hoặc danh sách); - là stdin")
    p_check.add_argument("--rule-set", dest="rule_set",
                         help="mã bộ quy tắc (mặc định: bộ có hiệu lực ngày 31/12 của năm xét); "
                              "nhiều bộ nối bằng +")
    p_check.add_argument("--details", action="store_true",
                         help="kèm chi tiết từng lý do (quy tắc, nguồn, mức tin cậy)")
    p_list = sub.add_parser("list", help="các bộ quy tắc và thời gian hiệu lực")
    p_list.add_argument("--format", choices=["text", "json"], default="text")
    p_show = sub.add_parser("show", help="in toàn bộ một bộ quy tắc (JSON)")
    p_show.add_argument("id")
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            return check(args.facts, args.rule_set, args.details)
        if args.command == "list":
            return list_command(args.format)
        _dump(ruleset_dict(get_ruleset(args.id)))
        return 0
    except (FactsError, RuleSetError) as exc:
        sys.stderr.write(f"Lỗi: {exc.message}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
