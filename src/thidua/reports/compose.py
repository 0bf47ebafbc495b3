"""The year-end report's prose from the figures dict (`reports.figures`), in the register of the
union's own reports: "… đang quản lý trực tiếp 65 Công đoàn cơ sở với 10.141 đoàn viên/10.159
CBCCVCLĐ", "01 tập thể được Tổng Liên đoàn Lao động Việt Nam tặng Bằng khen; …".

A sentence whose figure is zero or absent is left out, never printed with a zero, and so is a
target whose actual is unknown. The same sections feed the Markdown, the Word document and the
web page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from thidua.councils.models import Level
from thidua.movements.catalogue import UNIT_TYPE_NOUNS, UNIT_TYPE_ORDER
from thidua.platform.text import vn_number
from thidua.reports.actuals import AGENCY_CULTURE_TITLE, FAMILY_TITLE
from thidua.reports.measures import PERCENT
from thidua.rules.titles import by_code

WORKERS = "CBCCVCLĐ"
#: initiative levels from the highest down, as a report lists them
LEVELS_DOWN = [Level.TOAN_QUOC, Level.BO_NGANH, Level.TINH, Level.HUYEN, Level.CO_SO]


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)


def unit_noun(unit_type: str) -> str:
    """"Công đoàn cơ sở", "Tổ công đoàn": the type as a report writes it, capitalised."""
    noun = UNIT_TYPE_NOUNS.get(unit_type, "đơn vị")
    return noun[:1].upper() + noun[1:]


def period_phrase(years: list[int]) -> str:
    """"Năm 2017", "Trong 2 năm 2022, 2023"."""
    if len(years) == 1:
        return f"Năm {years[0]}"
    return f"Trong {len(years)} năm {', '.join(str(y) for y in years)}"


def percent(count: int, total: int) -> str:
    """"97,5%", "100%": one decimal unless whole."""
    value = round(100 * count / total, 1)
    return f"{vn_number(value, 0 if value == int(value) else 1)}%"


def short_form(name: str) -> str:
    """"Bằng khen của Ban Chấp hành …" -> "Bằng khen": the issuer is named in the sentence."""
    return name.split(" của ", 1)[0].strip()


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " và " + parts[-1]


def _types_phrase(counts: Mapping[str, int]) -> str:
    order = {t: i for i, t in enumerate(UNIT_TYPE_ORDER)}
    parts = [f"{vn_number(n)} {unit_noun(t)}" for t, n in
             sorted(counts.items(), key=lambda kv: order.get(kv[0], 99)) if n]
    return _join(parts) if parts else ""


def overview(f: Mapping[str, Any]) -> str:
    """"X đang quản lý trực tiếp 65 Công đoàn cơ sở với 10.141 đoàn viên/10.159 CBCCVCLĐ."""
    name = f["unit"]["name"]
    units = _types_phrase(f.get("direct_units") or {})
    members, workers = int(f.get("members") or 0), int(f.get("workers") or 0)
    if members and workers:
        people = f"{vn_number(members)} đoàn viên/{vn_number(workers)} {WORKERS}"
    elif members:
        people = f"{vn_number(members)} đoàn viên"
    elif workers:
        people = f"{vn_number(workers)} {WORKERS}"
    else:
        people = ""
    if units and people:
        return f"{name} đang quản lý trực tiếp {units} với {people}."
    if units:
        return f"{name} đang quản lý trực tiếp {units}."
    if people:
        return f"{name} có {people}."
    return ""


def movements(f: Mapping[str, Any]) -> list[str]:
    """"Phong trào thi đua “A”, “B” được 19/19 Tổ công đoàn trực thuộc triển khai thực hiện."
    Movements sharing a coverage share a sentence; one that reached nobody is left out."""
    groups: dict[tuple[int, int, str], list[str]] = {}
    for m in f.get("movements") or []:
        done, of = int(m["coverage"]["done"]), int(m["coverage"]["of"])
        key = (done, of, m.get("unit_type") or "")
        names = groups.setdefault(key, []) if done and of else None
        # over several years the same movement is launched again each year: named once
        if names is not None and f"“{m['name']}”" not in names:
            names.append(f"“{m['name']}”")
    out = []
    for (done, of, unit_type), names in groups.items():
        word = "Phong trào thi đua" if len(names) == 1 else "Các phong trào thi đua"
        noun = unit_noun(unit_type) if unit_type else "đơn vị"
        out.append(f"{word} {', '.join(names)} được {vn_number(done)}/{vn_number(of)} {noun} "
                   f"trực thuộc triển khai thực hiện.")
    return out


def initiatives(f: Mapping[str, Any]) -> list[str]:
    """"Trong 2 năm 2022, 2023, X có 89 sáng kiến, sáng tạo được công nhận …"."""
    data = f.get("initiatives") or {}
    total = int(data.get("total") or 0)
    if not total:
        return []
    levels = [lvl for lvl in LEVELS_DOWN if data.get(lvl.value)]
    names = f.get("level_names") or {}

    def level(lvl: Level) -> str:
        return str(names.get(lvl.value) or lvl.label.lower())

    where = (" " + _join([level(lvl) for lvl in levels])) if levels else ""
    out = [f"{period_phrase(f['years'])}, {f['unit']['name']} có {vn_number(total)} sáng kiến, "
           f"sáng tạo được công nhận{where}."]
    tail = []
    if data.get("proposed_for_awards"):
        tail.append(f"{vn_number(data['proposed_for_awards'])} sáng kiến, sáng tạo được đề nghị "
                    f"làm hồ sơ khen thưởng")
    for lvl in levels:
        if lvl in (Level.TOAN_QUOC, Level.BO_NGANH, Level.TINH) and len(levels) > 1:
            tail.append(f"{vn_number(data[lvl.value])} sáng kiến, sáng tạo được "
                        f"{level(lvl)} công nhận")
    if tail:
        out.append("; ".join(tail) + ".")
    return out


def titles(f: Mapping[str, Any]) -> list[str]:
    """"Năm 2023, 380/393 CBCCVCLĐ (96,7%) đạt danh hiệu “Lao động tiên tiến”; …"."""
    catalogue = by_code()
    parts = []
    held = f.get("titles") or {}
    for code, title in catalogue.items():  # in the catalogue's order: LĐTT, CSTĐCS, …
        row = held.get(code) or {}
        count, of = int(row.get("count") or 0), int(row.get("of") or 0)
        if not count:
            continue
        if title.individual:
            who = f"nữ {WORKERS}" if title.gender == "nu" else WORKERS
        elif code == AGENCY_CULTURE_TITLE:
            who = "cơ quan, đơn vị"
        else:
            who = "tập thể"
        share = f" ({percent(count, of)})" if of and count <= of else ""
        amount = f"{vn_number(count)}/{vn_number(of)}" if of and count <= of else vn_number(count)
        parts.append(f"{amount} {who}{share} đạt danh hiệu “{title.name}”")
    families = held.get(FAMILY_TITLE) or {}
    count, of = int(families.get("count") or 0), int(families.get("of") or 0)
    women = families.get("women") or {}
    whose = WORKERS
    if count and int(women.get("count") or 0) == count and int(women.get("of") or 0) < of:
        # only women's families were recognised: the unit judged those, so say so and count
        # over the women, as the article does ("trên 98% gia đình nữ CBCCVC, NLĐ")
        of, whose = int(women.get("of") or 0), f"nữ {WORKERS}"
    if count:
        share = f" ({percent(count, of)})" if of and count <= of else ""
        amount = f"{vn_number(count)}/{vn_number(of)}" if of and count <= of else vn_number(count)
        parts.append(f"{amount} gia đình {whose}{share} đạt danh hiệu “Gia đình văn hóa”")
    if not parts:
        return []
    return [f"Năm {f['year']}, " + "; ".join(parts) + "."]


#: Issuers of one type below the reporting unit named one by one up to this many; more are one
#: line ("8.012 công đoàn cơ sở"): the nation's report would otherwise list every CĐCS that gave
#: a Giấy khen, thousands of clauses, rows and bars.
NAMED_ISSUERS_MAX = 5


def award_groups(f: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The figures' award rows as the pages, prose and charts show them, in their order, rows
    with no award left out. The database has grouped them (`year_figures(grouped=True)`,
    `honours.selectors_lists.award_counts(group_over=NAMED_ISSUERS_MAX)`): the issuers
    strictly below the unit of a type with more than `NAMED_ISSUERS_MAX` of them are one row
    per type and form, where its first issuer was. Such a group is named here: its `issuer` is
    "*<type>", its `issuer_name` "8.012 công đoàn cơ sở" (those of the type who gave any award:
    the prose and charts join a group's forms), `issuers` how many gave this form and
    `issuer_noun` the type's noun (`award_issuer`). The other rows are issuers by name. (The
    rows of `year_figures` without `grouped`, the JSON file's, are every issuer's.)"""
    out: list[dict[str, Any]] = []
    for r in f.get("awards") or []:
        if not int(r.get("collectives") or 0) + int(r.get("individuals") or 0):
            continue
        if "type_issuers" not in r:
            out.append(dict(r))
            continue
        noun = UNIT_TYPE_NOUNS.get(r.get("issuer_type") or "", "đơn vị")
        named = {k: v for k, v in r.items() if k != "type_issuers"}
        out.append({**named, "issuer_name": f"{vn_number(r['type_issuers'])} {noun}",
                    "issuer_noun": noun})
    return out


def award_issuer(row: Mapping[str, Any]) -> str:
    """Who gave a row of `award_groups`, as a table names it: "Liên đoàn Lao động Thành phố",
    or for a group the issuers of this form, "812 công đoàn cơ sở"."""
    if "issuers" in row:
        return f"{vn_number(row['issuers'])} {row['issuer_noun']}"
    return str(row["issuer_name"])


def awards(f: Mapping[str, Any]) -> list[str]:
    """"Qua các phong trào thi đua, 01 tập thể được Tổng Liên đoàn Lao động Việt Nam tặng Bằng
    khen; 9 tập thể, cá nhân được …"; one clause per issuer, its forms joined."""
    by_issuer: dict[str, dict[str, Any]] = {}
    for row in award_groups(f):
        n_units, n_people = int(row.get("collectives") or 0), int(row.get("individuals") or 0)
        if not n_units + n_people:
            continue
        entry = by_issuer.setdefault(row["issuer"], {"name": row.get("issuer_name") or row["issuer"],
                                                     "units": 0, "people": 0, "forms": []})
        entry["units"] += n_units
        entry["people"] += n_people
        form = short_form(row.get("form_name") or row["form"])
        if form not in entry["forms"]:
            entry["forms"].append(form)
    clauses = []
    for entry in by_issuer.values():
        who = ("tập thể, cá nhân" if entry["units"] and entry["people"]
               else "tập thể" if entry["units"] else "cá nhân")
        clauses.append(f"{_count(entry['units'] + entry['people'])} {who} được {entry['name']} "
                       f"tặng {_join(entry['forms'])}")
    if not clauses:
        return []
    total = sum(e["units"] + e["people"] for e in by_issuer.values())
    if total == 1:  # "nhiều tập thể, cá nhân tiêu biểu" would say more than the records
        return [f"{period_phrase(f['years'])}, {clauses[0]}."]
    return [f"{period_phrase(f['years'])}, qua các phong trào thi đua đã xuất hiện nhiều tập thể, "
            f"cá nhân tiêu biểu. Trong đó, " + "; ".join(clauses) + "."]


def _count(n: int) -> str:
    """"01 tập thể", "9 tập thể, cá nhân", "138 …": the article pads a lone one and nothing else
    ("01tập thể được Tổng Liên đoàn …; 9 tập thể, cá nhân được Công đoàn Viên chức Việt Nam …")."""
    return "01" if n == 1 else vn_number(n)


def _when(f: Mapping[str, Any]) -> str:
    years = f["years"]
    return f"Trong năm {years[0]}" if len(years) == 1 else period_phrase(years)


def party(f: Mapping[str, Any]) -> list[str]:
    """"Trong năm 2017, các cấp công đoàn đã giới thiệu … ; đã có 291 đoàn viên ưu tú được kết
    nạp vào Đảng …"; absent or zero figures write nothing."""
    introduced = int(f.get("party_introduced") or 0)
    admitted = int(f.get("party_admitted") or 0)
    out = []
    if introduced:
        out.append(f"{_when(f)}, các cấp công đoàn đã giới thiệu {vn_number(introduced)} đoàn viên "
                   f"ưu tú cho Đảng xem xét kết nạp.")
    if admitted:
        out.append(f"{_when(f)}, đã có {vn_number(admitted)} đoàn viên ưu tú được kết nạp vào "
                   f"Đảng Cộng sản Việt Nam.")
    return out


#: occasions a gift is given "nhân dịp"; the others are named as what was done
DATED_OCCASIONS = ("8_3", "20_10", "19_11", "28_6", "TET")


def welfare(f: Mapping[str, Any]) -> list[str]:
    """"Trong năm 2023, X đã tổ chức thăm hỏi, tặng quà nhân dịp Quốc tế Phụ nữ 8/3, … cho 412
    lượt đoàn viên, người lao động với tổng số tiền 61.800.000 đồng."."""
    data = f.get("welfare") or {}
    rows = [r for r in data.get("occasions") or [] if int(r.get("beneficiaries") or 0)]
    total = sum(int(r["beneficiaries"]) for r in rows)
    if not total:
        return []
    dated = [r["name"] for r in rows if r["code"] in DATED_OCCASIONS]
    others = [r["name"][:1].lower() + r["name"][1:] for r in rows
              if r["code"] not in DATED_OCCASIONS]
    deeds = ([f"tổ chức thăm hỏi, tặng quà nhân dịp {_join(dated)}"] if dated else []) + others
    amount = sum(int(r.get("amount") or 0) for r in rows)
    money = f" với tổng số tiền {vn_number(amount)} đồng" if amount else ""
    # with several deeds the count is their sum: "cho" after the last one would give it alone
    whom = (f" cho {vn_number(total)} lượt đoàn viên, người lao động" if len(deeds) == 1 else
            f", tổng cộng {vn_number(total)} lượt đoàn viên, người lao động")
    return [f"{_when(f)}, {f['unit']['name']} đã {'; '.join(deeds)}{whom}{money}."]


def target_text(row: Mapping[str, Any]) -> str:
    """"trên 75%", "85–90%", "100%", "không có": a target's level as a plan writes it."""
    sign = "%" if row.get("kind") == PERCENT else ""
    target = row["target"]
    if row["comparison"] == "range":
        return f"{_num(target[0])}–{_num(target[1])}{sign}"
    if row["comparison"] == "le" and not target:
        return "không có"
    # "95% gia đình" but "ít nhất 5 đoàn viên": a bare count would read as exactly that many
    at_least = "ít nhất " if row.get("kind") != PERCENT else ""
    prefix = {"gt": "trên ", "le": "không quá ", "ge": at_least}.get(row["comparison"], "")
    return f"{prefix}{_num(target)}{sign}"


def actual_text(row: Mapping[str, Any]) -> str:
    """"80,2%", "291": a target's actual (empty when unknown)."""
    value = row.get("actual")
    if value is None:
        return ""
    return f"{_num(value)}%" if row.get("kind") == PERCENT else vn_number(value)


def _num(value: float) -> str:
    return vn_number(value, 0 if value == int(value) else 1)


def _lower(name: str) -> str:
    """"Công đoàn cơ sở …" -> "công đoàn cơ sở …"; "CBCCVCLĐ …" stays."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _aim(row: Mapping[str, Any]) -> str:
    """"trên 75% CBCCVCLĐ đạt …", "không có công đoàn cơ sở xếp loại yếu"."""
    return f"{target_text(row)} {_lower(row['name'])}"


def targets(f: Mapping[str, Any]) -> list[str]:
    """"Năm 2023, đạt 5/6 chỉ tiêu thi đua đề ra: …; chưa đạt: …"; targets whose actual is
    unknown are left out."""
    known = [r for r in f.get("targets") or [] if r.get("met") is not None]
    if not known:
        return []
    met = [r for r in known if r["met"]]
    missed = [r for r in known if not r["met"]]

    def item(r: Mapping[str, Any]) -> str:
        return f"{_lower(r['name'])}: {actual_text(r)} (chỉ tiêu {target_text(r)})"

    who = f"Năm {f['year']}, {f['unit']['name']}"
    if not met:  # "đạt 0/2" would print a zero
        return [f"{who} chưa đạt {len(known)} chỉ tiêu thi đua đề ra: "
                + "; ".join(item(r) for r in missed) + "."]
    text = f"{who} đạt {len(met)}/{len(known)} chỉ tiêu thi đua đề ra: "
    text += "; ".join(item(r) for r in met)
    if missed:
        text += ". Chưa đạt: " + "; ".join(item(r) for r in missed)
    return [text + "."]


def next_year(f: Mapping[str, Any]) -> list[str]:
    """"Phấn đấu năm 2018: 100% công đoàn cơ sở phát động … (năm 2017 đạt 95%); trên 75% …":
    next year's targets, each beside this year's actual when it is known."""
    rows = f.get("next_targets") or []
    if not rows:
        return []
    actuals = {**{r["code"]: r for r in f.get("targets") or []}, **(f.get("actuals") or {})}
    parts = []
    for row in rows:
        now = actuals.get(row["code"])
        done = actual_text({**row, "actual": now.get("actual") or None}) if now else ""
        parts.append(_aim(row) + (f" (năm {f['year']} đạt {done})" if done else ""))
    return [f"Phấn đấu năm {int(f['year']) + 1}: " + "; ".join(parts) + "."]


def sections(f: Mapping[str, Any]) -> list[Section]:
    """The report's body; a section with nothing to say is left out."""
    general = [p for p in [overview(f)] if p]
    result = [*movements(f), *titles(f), *initiatives(f), *welfare(f), *targets(f)]
    honours = [*awards(f), *party(f)]
    ahead = next_year(f)
    out = [Section("I. TÌNH HÌNH CHUNG", general),
           Section("II. KẾT QUẢ THỰC HIỆN CÁC PHONG TRÀO THI ĐUA", result),
           Section("III. CÔNG TÁC KHEN THƯỞNG", honours),
           Section(f"IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {int(f['year']) + 1}", ahead)]
    return [s for s in out if s.paragraphs]


def report_title(f: Mapping[str, Any]) -> str:
    years = f["years"]
    span = str(years[0]) if len(years) == 1 else f"{years[0]} - {years[-1]}"
    return f"Tổng kết công tác thi đua, khen thưởng năm {span}"


def markdown(f: Mapping[str, Any]) -> str:
    lines = ["# BÁO CÁO", "", f"## {report_title(f)}", "", f"*{f['unit']['name']}*", ""]
    for section in sections(f):
        lines += [f"### {section.title}", ""]
        for p in section.paragraphs:
            lines += [p, ""]
    return "\n".join(lines).rstrip() + "\n"
