"""Rule sets: TOML files, one per regulation version (`rulesets/*.toml`), loaded and checked
once per process.

A file names its documents, its parameters (each with the source it comes from and a confidence
mark C/L/G) and its titles; each title is a list of rules, each rule one check of the small
vocabulary in `checks.py`, citing its document and article. `extends = "<id>"` starts from
another rule set (its documents, parameters, grading sheets and titles) and overrides by key —
an issuer's own quotas or thresholds, or the next decree that changes a few rules.

Which rule sets judge a year when the caller names none: the ones with `auto = true` (the
default) in force on 31 December of that year, one per family (`nha_nuoc` for the state law,
`cong_doan` for the union's regulation) — see docs/decisions/0007-rules-engine.md.

Extra rule sets (or corrected copies of the shipped ones, by id) may be put in a folder named by
the environment variable THIDUA_RULESETS_DIR; they are read after the shipped ones.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RULESETS_DIR = Path(__file__).resolve().parent / "rulesets"
CONFIDENCE = ("C", "L", "G")  # confirmed, likely, guess (domain.md "Design implications")
CONFIDENCE_RANK = {"C": 3, "L": 2, "G": 1}
FAMILIES = {"nha_nuoc": "Pháp luật nhà nước", "cong_doan": "Quy định của tổ chức Công đoàn"}
SUBJECTS = {"ca_nhan": "cá nhân", "tap_the": "tập thể"}

_RULE_META = frozenset({"id", "check", "source", "confidence", "note", "rules"})


class RuleSetError(ValueError):
    """A rule set file is wrong, or an unknown rule set was asked for (Vietnamese message)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Document:
    code: str
    title: str
    url: str = ""
    issued: dt.date | None = None  # the day it was signed: no rule may cite it for an earlier year
    local: bool = False  # one body's own rule or practice: cited only by settings' defaults


@dataclass(frozen=True)
class Param:
    name: str
    value: Any
    source: str
    confidence: str
    note: str = ""
    setting: bool = False  # each issuer may set its own value (evaluation app's settings page)


@dataclass(frozen=True, eq=False)
class RuleSpec:
    id: str
    check: str
    args: Mapping[str, Any]
    source: str
    confidence: str
    note: str = ""
    rules: tuple[RuleSpec, ...] = ()  # sub-rules of `any_of`
    params: tuple[str, ...] = ()  # names of the parameters the rule uses


@dataclass(frozen=True, eq=False)
class Quota:
    percent: float
    of: str  # the title whose holders form the base (e.g. LDTT)
    source: str
    confidence: str
    note: str = ""


@dataclass(frozen=True, eq=False)
class TitleSpec:
    code: str
    name: str
    short: str
    subject: str  # ca_nhan | tap_the
    rules: tuple[RuleSpec, ...]
    gender: str = ""  # applies only to this gender when set
    unit_types: tuple[str, ...] = ()  # applies only to these unit types when set
    quota: Quota | None = None
    note: str = ""
    from_year: int | None = None  # first year judged with this title (e.g. a grading scale's)
    before_year: int | None = None  # first year no longer judged with it

    def applies_in(self, year: int) -> bool:
        """Whether the title is judged for `year` (`applies_to.from_year` / `before_year`: the
        years a grading scale's labels are in force)."""
        return ((self.from_year is None or year >= self.from_year)
                and (self.before_year is None or year < self.before_year))


@dataclass(frozen=True, eq=False)
class Unverified:
    """From `since` on, the rule set is kept although a newer text may supersede it: every
    reason drops to `confidence` and its source says so."""

    since: dt.date
    by: str
    confidence: str
    note: str = ""


@dataclass(frozen=True, eq=False)
class RuleSet:
    id: str
    title: str
    family: str
    effective_from: dt.date
    effective_to: dt.date | None  # first day no longer in force (exclusive); None = open
    documents: tuple[Document, ...]
    params: Mapping[str, Param]
    titles: Mapping[str, TitleSpec]  # in file order
    sheets: Mapping[str, Any] = field(default_factory=dict)
    scales: Mapping[str, Any] = field(default_factory=dict)
    unverified: Unverified | None = None
    auto: bool = True
    extends: str = ""
    note: str = ""
    path: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)  # merged table (overrides)

    def settings(self) -> dict[str, Param]:
        """The parameters an issuer may set for itself (`setting = true`), by name."""
        return {n: p for n, p in self.params.items() if p.setting}

    def document(self, code: str) -> Document | None:
        return next((d for d in self.documents if d.code == code), None)

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)

    def period_vi(self) -> str:
        start = self.effective_from.strftime("%d/%m/%Y")
        if self.effective_to is None:
            return f"từ {start}"
        last = (self.effective_to - dt.timedelta(days=1)).strftime("%d/%m/%Y")
        return f"{start} – {last}"

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "family": self.family,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "period": self.period_vi(), "auto": self.auto,
            "titles": list(self.titles),
            "documents": [d.code for d in self.documents],
        }


# --- reading ---------------------------------------------------------------------------------


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise RuleSetError(f"{where}: ngày '{value}' không hợp lệ (YYYY-MM-DD).")


def _str(raw: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise RuleSetError(f"{where}: thiếu hoặc sai '{key}'.")
    return value.strip()


def _merge(parent: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """The child's raw table over its parent's: documents, params, sheets, scales by key;
    titles by code (a child title replaces the parent's whole title)."""
    merged: dict[str, Any] = {k: v for k, v in child.items()
                              if k not in ("documents", "params", "titles", "sheets", "scales")}
    for key in ("family", "unverified"):
        if key not in child and key in parent:
            merged[key] = parent[key]
    removed_docs = set(child.get("remove_documents", []))
    docs = {d.get("code"): d for d in parent.get("documents", []) if d.get("code") not in removed_docs}
    docs.update({d.get("code"): d for d in child.get("documents", [])})
    merged["documents"] = list(docs.values())
    for key in ("params", "sheets", "scales"):
        merged[key] = {**parent.get(key, {}), **child.get(key, {})}
    removed_titles = set(child.get("remove_titles", []))
    titles = {t.get("code"): t for t in parent.get("titles", []) if t.get("code") not in removed_titles}
    titles.update({t.get("code"): t for t in child.get("titles", [])})
    merged["titles"] = list(titles.values())
    return merged


class _Builder:
    def __init__(self, raw: Mapping[str, Any], name: str):
        self.raw = raw
        self.name = name
        self.doc_codes: list[str] = []
        self.params: dict[str, Param] = {}

    def error(self, message: str) -> RuleSetError:
        return RuleSetError(f"{self.name}: {message}")

    def check_source(self, source: str, where: str) -> None:
        if not any(source == c or source.startswith(c + ",") or source.startswith(c + " ")
                   for c in self.doc_codes):
            raise self.error(f"{where}: nguồn '{source}' phải bắt đầu bằng mã một văn bản trong "
                             f"'documents' ({'; '.join(self.doc_codes)}).")

    def check_confidence(self, value: Any, where: str) -> str:
        if value not in CONFIDENCE:
            raise self.error(f"{where}: mức tin cậy '{value}' không hợp lệ (C, L hoặc G).")
        return str(value)

    def build(self) -> RuleSet:
        raw = self.raw
        where = "tệp"
        rid = _str(raw, "id", where)
        family = _str(raw, "family", where)
        if family not in FAMILIES:
            raise self.error(f"family '{family}' không hợp lệ ({', '.join(FAMILIES)}).")
        start = _date(raw.get("effective_from"), f"{self.name}: effective_from")
        end = _date(raw["effective_to"], f"{self.name}: effective_to") \
            if raw.get("effective_to") else None
        if end is not None and end <= start:
            raise self.error("effective_to phải sau effective_from.")

        documents = []
        for i, d in enumerate(raw.get("documents", [])):
            w = f"{self.name}: documents[{i}]"
            local = d.get("local", False)
            if not isinstance(local, bool):
                raise self.error(f"documents[{i}]: local phải là true hoặc false.")
            documents.append(Document(_str(d, "code", w), _str(d, "title", w),
                                      _str(d, "url", "", required=False),
                                      _date(d["issued"], f"{w}.issued") if d.get("issued")
                                      else None, local))
        if not documents:
            raise self.error("cần ít nhất một văn bản trong 'documents'.")
        self.doc_codes = [d.code for d in documents]

        for name, p in raw.get("params", {}).items():
            w = f"params.{name}"
            if not isinstance(p, Mapping) or "value" not in p:
                raise self.error(f"{w}: cần 'value', 'source' và 'confidence'.")
            source = _str(p, "source", f"{self.name}: {w}")
            self.check_source(source, w)
            setting = p.get("setting", False)
            if not isinstance(setting, bool):
                raise self.error(f"{w}: setting phải là true hoặc false.")
            self.params[name] = Param(name, p["value"], source,
                                      self.check_confidence(p.get("confidence"), w),
                                      _str(p, "note", w, required=False), setting)

        titles: dict[str, TitleSpec] = {}
        for i, t in enumerate(raw.get("titles", [])):
            spec = self.title(t, i)
            if spec.code in titles:
                raise self.error(f"danh hiệu {spec.code} được khai báo hai lần.")
            titles[spec.code] = spec

        unverified = None
        if raw.get("unverified"):
            u = raw["unverified"]
            unverified = Unverified(_date(u.get("since"), f"{self.name}: unverified.since"),
                                    _str(u, "by", f"{self.name}: unverified"),
                                    self.check_confidence(u.get("confidence"), "unverified"),
                                    _str(u, "note", "", required=False))
        auto = raw.get("auto", True)
        if not isinstance(auto, bool):
            raise self.error("auto phải là true hoặc false.")
        return RuleSet(
            id=rid, title=_str(raw, "title", self.name), family=family,
            effective_from=start, effective_to=end, documents=tuple(documents),
            params=self.params, titles=titles, sheets=dict(raw.get("sheets", {})),
            scales=dict(raw.get("scales", {})), unverified=unverified, auto=auto,
            extends=str(raw.get("extends", "")), note=_str(raw, "note", "", required=False),
            path=self.name, raw=raw,
        )

    def title(self, t: Mapping[str, Any], i: int) -> TitleSpec:
        where = f"titles[{i}]"
        code = _str(t, "code", f"{self.name}: {where}")
        where = f"danh hiệu {code}"
        subject = _str(t, "subject", f"{self.name}: {where}")
        if subject not in SUBJECTS:
            raise self.error(f"{where}: subject '{subject}' không hợp lệ (ca_nhan, tap_the).")
        rules = tuple(self.rule(r, f"{where}, rules[{j}]") for j, r in enumerate(t.get("rules", [])))
        if not rules:
            raise self.error(f"{where}: cần ít nhất một quy tắc.")
        ids = [r.id for r in rules]
        if len(set(ids)) != len(ids):
            raise self.error(f"{where}: mã quy tắc bị trùng.")
        quota = None
        if t.get("quota"):
            q = t["quota"]
            source = _str(q, "source", f"{self.name}: {where}.quota")
            self.check_source(source, f"{where}.quota")
            percent = q.get("percent")
            if isinstance(percent, bool) or not isinstance(percent, int | float) or percent <= 0:
                raise self.error(f"{where}.quota: percent phải là số dương.")
            quota = Quota(percent, _str(q, "of", f"{self.name}: {where}.quota"), source,
                          self.check_confidence(q.get("confidence"), f"{where}.quota"),
                          _str(q, "note", "", required=False))
        applies = t.get("applies_to", {})
        years: dict[str, int | None] = {}
        for key in ("from_year", "before_year"):
            value = self.resolve(applies.get(key), f"{where}.applies_to.{key}", [])
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise self.error(f"{where}: applies_to.{key} phải là một năm.")
            years[key] = value
        return TitleSpec(
            code=code, name=_str(t, "name", f"{self.name}: {where}"),
            short=_str(t, "short", "", required=False) or _str(t, "name", where),
            subject=subject, rules=rules, gender=str(applies.get("gender", "")),
            unit_types=tuple(applies.get("unit_types", ())), quota=quota,
            note=_str(t, "note", "", required=False),
            from_year=years["from_year"], before_year=years["before_year"],
        )

    def resolve(self, value: Any, where: str, used: list[str]) -> Any:
        if isinstance(value, str) and value.startswith("$"):
            name = value[1:]
            if name not in self.params:
                raise self.error(f"{where}: tham số '{name}' chưa được khai báo trong [params].")
            used.append(name)
            return self.params[name].value
        if isinstance(value, list):
            return [self.resolve(v, where, used) for v in value]
        return value

    def rule(self, r: Mapping[str, Any], where: str) -> RuleSpec:
        rid = _str(r, "id", f"{self.name}: {where}")
        where = f"quy tắc {rid}"
        check = _str(r, "check", f"{self.name}: {where}")
        used: list[str] = []
        args = {k: self.resolve(v, where, used) for k, v in r.items() if k not in _RULE_META}
        subs = tuple(self.rule(s, f"{where}.rules[{j}]") for j, s in enumerate(r.get("rules", [])))
        source = r.get("source", "")
        confidence = r.get("confidence", "")
        if not source:
            if not used and subs:
                source, confidence = subs[0].source, confidence or subs[0].confidence
            elif used:
                # A rule made of parameters cites all of them, at the weakest confidence.
                cited = [self.params[n] for n in dict.fromkeys(used)]
                source = "; ".join(dict.fromkeys(p.source for p in cited))
                confidence = confidence or min((p.confidence for p in cited),
                                               key=CONFIDENCE_RANK.__getitem__)
            else:
                raise self.error(f"{where}: thiếu 'source' (văn bản và điều khoản).")
        if not isinstance(source, str):
            raise self.error(f"{where}: 'source' phải là chuỗi.")
        for part in source.split("; "):
            self.check_source(part, where)
        return RuleSpec(rid, check, args, source, self.check_confidence(confidence, where),
                        _str(r, "note", "", required=False), subs, tuple(used))


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise RuleSetError(f"{path.name}: TOML không hợp lệ: {exc}") from None


def build_ruleset(raw: Mapping[str, Any], name: str,
                  known: Mapping[str, Mapping[str, Any]] | None = None) -> RuleSet:
    """A RuleSet from a parsed TOML table; `known` maps ids to raw tables for `extends`."""
    known = known if known is not None else _raw_tables()
    chain = [raw]
    seen = {raw.get("id")}
    while chain[-1].get("extends"):
        parent_id = chain[-1]["extends"]
        if parent_id in seen:
            raise RuleSetError(f"{name}: 'extends' tạo thành vòng lặp ({parent_id}).")
        if parent_id not in known:
            raise RuleSetError(f"{name}: không tìm thấy bộ quy tắc '{parent_id}' để kế thừa.")
        seen.add(parent_id)
        chain.append(known[parent_id])
    merged: dict[str, Any] = dict(chain[-1])
    for child in reversed(chain[:-1]):
        merged = _merge(merged, child)
    return _Builder(merged, name).build()


def load_ruleset_text(text: str, name: str = "<văn bản>") -> RuleSet:
    """A RuleSet from TOML text (it may extend a shipped rule set); not registered."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleSetError(f"{name}: TOML không hợp lệ: {exc}") from None
    return build_ruleset(raw, name)


# --- an issuer's settings ------------------------------------------------------------------

#: The document code every setting's default cites when no law sets the value: each body's own
#: rule or practice (e.g. Luật 06/2022/QH15 Điều 24 khoản 4 leaves the exclusions to it).
LOCAL_PRACTICE = "Thực tiễn địa phương"


@dataclass(frozen=True)
class Override:
    """An issuer's own value for a setting: `by` names who set it and where ("Ban Chấp hành
    CĐCS …, năm 2024"); it becomes the rules' source, at confidence C (the issuer's own rule)."""

    value: Any
    by: str
    note: str = ""


_DERIVED: dict[tuple[Any, ...], RuleSet] = {}


def with_settings(rs: RuleSet, overrides: Mapping[str, Override]) -> RuleSet:
    """`rs` with the issuer's values for its settings (parameters marked `setting = true`);
    names that are not settings of `rs` are ignored (the overrides of a year cover all its rule
    sets). The result is cached, so compiled rule sets are shared. Raises RuleSetError when a
    value does not fit its rule (e.g. a text where a number of days is expected)."""
    mine = {n: o for n, o in overrides.items() if n in rs.params and rs.params[n].setting}
    if not mine:
        return rs
    key = (id(rs), tuple(sorted((n, repr(o.value), o.by, o.note) for n, o in mine.items())))
    found = _DERIVED.get(key)
    if found is not None:
        return found
    raw = dict(rs.raw)
    params = {n: dict(p) for n, p in raw.get("params", {}).items()}
    for name, o in mine.items():
        params[name] = {**params[name], "value": o.value, "source": f"{LOCAL_PRACTICE}, {o.by}",
                        "confidence": "C", "note": o.note}
    raw["params"] = params
    docs = list(raw.get("documents", []))
    if not any(d.get("code") == LOCAL_PRACTICE for d in docs):
        docs.append({"code": LOCAL_PRACTICE, "title": "Quy định của cơ quan, đơn vị", "local": True})
    raw["documents"] = docs
    derived = _Builder(raw, rs.path).build()
    if len(_DERIVED) > 1000:
        _DERIVED.clear()
    _DERIVED[key] = derived
    return derived


# --- registry --------------------------------------------------------------------------------

_RAW: dict[str, dict[str, Any]] | None = None
_SETS: dict[str, RuleSet] | None = None


def _dirs() -> list[Path]:
    dirs = [RULESETS_DIR]
    extra = os.environ.get("THIDUA_RULESETS_DIR")
    if extra:
        dirs.append(Path(extra))
    return dirs


def _raw_tables() -> dict[str, dict[str, Any]]:
    global _RAW
    if _RAW is None:
        raw: dict[str, dict[str, Any]] = {}
        names: dict[str, str] = {}
        for folder in _dirs():
            for path in sorted(folder.glob("*.toml")):
                table = _read(path)
                rid = table.get("id")
                if not isinstance(rid, str) or not rid:
                    raise RuleSetError(f"{path.name}: thiếu 'id'.")
                if rid in names and Path(names[rid]).parent == path.parent:
                    raise RuleSetError(f"{path.name}: id '{rid}' trùng với {names[rid]}.")
                if path.stem != rid:
                    raise RuleSetError(f"{path.name}: tên tệp phải là '{rid}.toml'.")
                raw[rid] = table
                names[rid] = str(path)
        _RAW = raw
    return _RAW


def _registry() -> dict[str, RuleSet]:
    global _SETS
    if _SETS is None:
        known = _raw_tables()
        sets = {rid: build_ruleset(raw, f"{rid}.toml", known) for rid, raw in known.items()}
        _check_overlaps(sets.values())
        _SETS = sets
    return _SETS


def _check_overlaps(sets: Any) -> None:
    by_family: dict[str, list[RuleSet]] = {}
    for rs in sets:
        if rs.auto:
            by_family.setdefault(rs.family, []).append(rs)
    for family, items in by_family.items():
        items.sort(key=lambda r: r.effective_from)
        for a, b in zip(items, items[1:], strict=False):
            if a.effective_to is None or a.effective_to > b.effective_from:
                raise RuleSetError(f"Hai bộ quy tắc tự chọn cùng nhóm {family} có hiệu lực chồng "
                                   f"nhau: {a.id} và {b.id}.")


def reload() -> None:
    """Forget the loaded files (tests, or after editing THIDUA_RULESETS_DIR)."""
    global _RAW, _SETS
    _RAW = None
    _SETS = None
    _DERIVED.clear()
    # cycle: rules.engine imports rules.ruleset at module level
    from thidua.rules import engine

    engine.clear_caches()


def list_rulesets() -> list[RuleSet]:
    """Every known rule set, family by family, oldest first."""
    return sorted(_registry().values(), key=lambda r: (r.family != "nha_nuoc", r.family,
                                                       r.effective_from, r.id))


def get_ruleset(rule_set_id: str) -> RuleSet:
    try:
        return _registry()[rule_set_id]
    except KeyError:
        known = ", ".join(sorted(_registry()))
        raise RuleSetError(f"Không có bộ quy tắc '{rule_set_id}' (có: {known}).") from None


def judged_on(year: int) -> dt.date:
    """The day whose rules judge a year: its last day (ADR 0007)."""
    return dt.date(year, 12, 31)


def rulesets_for_year(year: int) -> tuple[RuleSet, ...]:
    """The automatic choice for a year: per family, the `auto` rule set in force on 31/12; the
    state law's first. Raises RuleSetError if no state rule set covers the year."""
    day = judged_on(year)
    chosen = [rs for rs in list_rulesets() if rs.auto and rs.in_force(day)]
    if not any(rs.family == "nha_nuoc" for rs in chosen):
        raise RuleSetError(f"Không có bộ quy tắc nào của pháp luật nhà nước có hiệu lực ngày "
                           f"31/12/{year}.")
    return tuple(chosen)


def resolve(rule_set: str | RuleSet | None, year: int) -> tuple[RuleSet, ...]:
    """A rule set argument as given by a caller: None (automatic by year), an id, several ids
    joined by '+' (the first one's titles win), or a RuleSet object."""
    if rule_set is None or rule_set == "":
        return rulesets_for_year(year)
    if isinstance(rule_set, RuleSet):
        return (rule_set,)
    parts = [p.strip() for p in str(rule_set).split("+")]
    if not all(parts):
        raise RuleSetError(f"Mã bộ quy tắc '{rule_set}' không hợp lệ.")
    return tuple(get_ruleset(p) for p in parts)
