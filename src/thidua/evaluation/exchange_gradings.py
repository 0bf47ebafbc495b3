"""The CĐCS gradings in the exchange format (docs/exchange-format.md, version 7): the scoring
sheets (grading templates with their criteria) issued inside the subtree, and the gradings of
its units with their points per criterion. Registered with `people.exchange_format` from
`EvaluationConfig.ready`, after the ratings and titles.

A template goes with the subtree of the unit that issued it. A grading goes with its unit's
subtree; when its template was issued by a body above the subtree (the TLĐ's sheet), the row
names the template by its natural key — the issuer's unit code, the year and the name
(`gradingtemplate_unique`) — which the load looks up in the target database (loaded first: a
key it lacks is refused with its file and line before anything is written, or loaded
`without_above` the grading is left out with its answers). An answer names
its criterion by the criterion's code in the grading's template (codes are unique in a
template, `grading_template_create`). The account that graded stays behind. A load keeps the
CĐCS gradings' subtree sums (ADR 0036: graded, strong, weak)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thidua.evaluation.models import (
    Grading,
    GradingAnswer,
    GradingCriterion,
    GradingLabel,
    GradingScale,
    GradingTemplate,
)
from thidua.evaluation.unit_figures import unit_figures
from thidua.people.exchange_format import (
    ABOVE,
    NOT_HELD,
    ExtensionTable,
    Loaded,
    check_once,
    col,
    held_by_key,
    moment,
    new_ids,
    register_table,
    reset_sequences,
)
from thidua.people.imports.write import insert_rows
from thidua.platform.planner import fresh_statistics

SINCE = 7  # the format version that added these tables
YEARS = (1950, 2100)
SMALL = (0, 32767)
POINTS = (0, 9999)  # max_digits=6, decimal_places=2
TOTAL = (0, 99999)  # max_digits=7

TEMPLATES_SQL = (
    "SELECT t.id, t.issuer_id, t.year, t.name, t.scale, t.thresholds, t.source, t.confidence "
    "FROM evaluation_gradingtemplate t JOIN org_unit i ON i.id = t.issuer_id "
    "WHERE i.path LIKE {like} ORDER BY t.id")
CRITERIA_SQL = (
    'SELECT c.template_id, c."order", c.code, c."group", c.text, c.max_points '
    "FROM evaluation_gradingcriterion c JOIN evaluation_gradingtemplate t ON t.id = c.template_id "
    'JOIN org_unit i ON i.id = t.issuer_id WHERE i.path LIKE {like} ORDER BY c.template_id, '
    'c."order", c.id')
# the gradings of the subtree's units; a template issued above it by its natural key
GRADINGS_SQL = (
    "SELECT g.id, g.unit_id, g.year, CASE WHEN i.path LIKE {like} THEN g.template_id END, "
    "CASE WHEN i.path LIKE {like} THEN NULL ELSE i.code END, "
    "CASE WHEN i.path LIKE {like} THEN NULL ELSE t.year END, "
    "CASE WHEN i.path LIKE {like} THEN NULL ELSE t.name END, "
    "g.total, g.label, g.reasons, g.rule_set, g.graded_at FROM evaluation_grading g "
    "JOIN org_unit u ON u.id = g.unit_id JOIN evaluation_gradingtemplate t ON t.id = g.template_id "
    "JOIN org_unit i ON i.id = t.issuer_id WHERE u.path LIKE {like} ORDER BY g.id")
ANSWERS_SQL = (
    "SELECT a.grading_id, c.code, a.points FROM evaluation_gradinganswer a "
    "JOIN evaluation_gradingcriterion c ON c.id = a.criterion_id "
    "JOIN evaluation_grading g ON g.id = a.grading_id JOIN org_unit u ON u.id = g.unit_id "
    'WHERE u.path LIKE {like} ORDER BY a.grading_id, c."order", c.id')

TemplateKey = tuple[str, int, str]  # issuer's code, year, name


def templates_held(keys: set[TemplateKey]) -> dict[TemplateKey, int]:
    """The grading templates of the target database with these natural keys: key -> id."""
    found: dict[TemplateKey, int] = {}
    codes = {k[0] for k in keys}
    for pk, code, year, name in GradingTemplate.objects.filter(issuer__code__in=codes).values_list(
            "pk", "issuer__code", "year", "name").order_by():
        if (code, year, name) in keys:
            found[code, year, name] = pk
    return found


def _codes_held(template_ids: set[int]) -> dict[int, dict[str, int]]:
    """The criteria of these templates of the target database: template id -> code -> id."""
    out: dict[int, dict[str, int]] = {t: {} for t in template_ids}
    for pk, template_id, code in GradingCriterion.objects.filter(
            template_id__in=template_ids).values_list("pk", "template_id", "code").order_by():
        out[template_id][code] = pk
    return out


def _template_key(r: list[Any]) -> TemplateKey | None:
    if r[3] is None and r[4] is not None and r[5] is not None and r[6] is not None:
        return (r[4], r[5], r[6])
    return None


# --- templates and their criteria ----------------------------------------------------------


def _check_templates(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    check_once(rows, add, lambda r: (r[1], r[2], r[3]),
               lambda r, first: f"đơn vị {r[1]} đã có bảng chấm điểm «{r[3]}» năm {r[2]} ở dòng "
                                f"{first}.")


def _load_templates(data: Loaded) -> dict[int, int]:
    new = new_ids(GradingTemplate, data.rows)
    insert_rows(GradingTemplate, ["id", "issuer", "year", "name", "scale", "thresholds",
                                  "source", "confidence", "created_at"],
                [(new[r[0]], data.new_unit[r[1]], r[2], r[3], r[4], r[5] or "[]", r[6] or "",
                  r[7] or "G", data.stamp) for r in data.rows])
    reset_sequences(GradingTemplate)
    fresh_statistics({GradingTemplate: len(new)})
    return new


def _check_criteria(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    check_once(rows, add, lambda r: (r[0], r[2]),
               lambda r, first: f"tiêu chí «{r[2]}» đã có trong bảng chấm điểm {r[0]} ở dòng "
                                f"{first}.")


def _load_criteria(data: Loaded) -> None:
    new = data.new_ids["grading_templates"]
    insert_rows(GradingCriterion, ["template", "order", "code", "group", "text", "max_points"],
                [(new[r[0]], r[1] or 0, r[2], r[3] or "", r[4], r[5]) for r in data.rows])
    reset_sequences(GradingCriterion)
    fresh_statistics({GradingCriterion: len(data.rows)})


# --- gradings and their answers ------------------------------------------------------------


def _check_gradings(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    for line, r in enumerate(rows, start=2):
        given = [v is not None for v in r[4:7]]
        if (r[3] is None and not all(given)) or (r[3] is not None and any(given)):
            add(line, "mỗi kết quả chấm điểm ghi đúng một bảng chấm điểm: template_id (bảng có "
                      "trong tệp) hoặc đủ template_issuer, template_year và template_name (bảng "
                      "của cấp trên).")
    check_once(rows, add, lambda r: (r[1], r[2]),
               lambda r, first: f"đơn vị {r[1]} đã có kết quả chấm điểm năm {r[2]} ở dòng "
                                f"{first}.")


_unheld_gradings, _check_gradings_held = held_by_key(
    "gradings", _template_key, templates_held,
    lambda k: f"Bảng chấm điểm «{k[2]}» năm {k[1]} của đơn vị {k[0]} {ABOVE}")


def _load_gradings(data: Loaded) -> dict[int, int]:
    unit, templates = data.new_unit, data.new_ids.get("grading_templates", {})
    held = templates_held({k for r in data.rows if (k := _template_key(r)) is not None})
    new = new_ids(Grading, data.rows)
    # the loaded units' gradings: their figures before and after these rows (ADR 0036)
    with unit_figures(unit.values()):
        insert_rows(Grading, ["id", "unit", "year", "template", "total", "label", "reasons",
                              "rule_set", "graded_at"],
                    [(new[r[0]], unit[r[1]], r[2],
                      templates[r[3]] if r[3] is not None else held[r[4], r[5], r[6]],
                      r[7] if r[7] is not None else 0, r[8] or "", r[9] or "[]", r[10] or "",
                      moment(r[11]) if r[11] is not None else data.stamp) for r in data.rows])
        reset_sequences(Grading)
        fresh_statistics({Grading: len(new)})
    return new


def _check_answers(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    check_once(rows, add, lambda r: (r[0], r[1]),
               lambda r, first: f"tiêu chí «{r[1]}» đã có điểm trong kết quả {r[0]} ở dòng "
                                f"{first}.")


def _criteria_of(gradings: list[list[Any]], criteria: list[list[Any]],
                 held: dict[TemplateKey, int]) -> dict[int, tuple[Any, set[str]]]:
    """Each grading of the dump: (its template, the codes of its criteria) — a template of the
    dump by its id, one above by the database's."""
    in_dump: dict[int, set[str]] = {}
    for r in criteria:
        in_dump.setdefault(r[0], set()).add(r[2])
    above = _codes_held(set(held.values()))
    out: dict[int, tuple[Any, set[str]]] = {}
    for r in gradings:
        if r[3] is not None:
            out[r[0]] = (r[3], in_dump.get(r[3], set()))
        elif (key := _template_key(r)) in held:
            out[r[0]] = (key, set(above[held[key]]))
    return out


def _check_answers_held(data: dict[str, list[list[Any]]],
                        add: Callable[[int, str], None]) -> None:
    gradings = data.get("gradings", [])
    held = templates_held({k for r in gradings if (k := _template_key(r)) is not None})
    of = _criteria_of(gradings, data.get("grading_criteria", []), held)
    for line, r in enumerate(data["grading_answers"], start=2):
        if r[0] in of and r[1] not in of[r[0]][1]:
            add(line, f"bảng chấm điểm của kết quả {r[0]} không có tiêu chí mã «{r[1]}».")


def _load_answers(data: Loaded) -> None:
    new = data.new_ids["gradings"]
    template_of = dict(Grading.objects.filter(pk__in=new.values()).values_list("pk", "template_id"))
    codes = _codes_held(set(template_of.values()))
    insert_rows(GradingAnswer, ["grading", "criterion", "points"],
                [(new[r[0]], codes[template_of[new[r[0]]]][r[1]], r[2]) for r in data.rows])
    reset_sequences(GradingAnswer)
    fresh_statistics({GradingAnswer: len(data.rows)})


TEMPLATES = ExtensionTable(
    name="grading_templates",
    columns=[col("id", "int", True), col("issuer_id", "int", True),
             col("year", "int", True, limits=YEARS), col("name", required=True, max_length=255),
             col("scale", "choice", True, tuple(GradingScale.values)), col("thresholds", "json"),
             col("source", max_length=255), col("confidence", max_length=1)],
    dump_sql=TEMPLATES_SQL, references=((1, "units"),), load=_load_templates,
    check=_check_templates, since=SINCE)

CRITERIA = ExtensionTable(
    name="grading_criteria",
    columns=[col("template_id", "int", True), col("order", "int", limits=SMALL),
             col("code", required=True, max_length=20), col("group", max_length=255),
             col("text", required=True, max_length=500),
             col("max_points", "decimal", True, limits=POINTS, places=2)],
    dump_sql=CRITERIA_SQL, references=((0, "grading_templates"),), load=_load_criteria,
    check=_check_criteria, since=SINCE)

GRADINGS = ExtensionTable(
    name="gradings",
    columns=[col("id", "int", True), col("unit_id", "int", True),
             col("year", "int", True, limits=YEARS), col("template_id", "int"),
             col("template_issuer", max_length=40), col("template_year", "int", limits=YEARS),
             col("template_name", max_length=255),
             col("total", "decimal", limits=TOTAL, places=2),
             col("label", "choice", False, tuple(GradingLabel.values)), col("reasons", "json"),
             col("rule_set", max_length=80), col("graded_at", "datetime")],
    dump_sql=GRADINGS_SQL, references=((1, "units"), (3, "grading_templates")),
    load=_load_gradings, check=_check_gradings, check_dump=_check_gradings_held,
    unheld=_unheld_gradings, unheld_why=f"bảng chấm điểm của cấp trên {NOT_HELD}", since=SINCE)

ANSWERS = ExtensionTable(
    name="grading_answers",
    columns=[col("grading_id", "int", True), col("code", required=True, max_length=20),
             col("points", "decimal", True, limits=POINTS, places=2)],
    dump_sql=ANSWERS_SQL, references=((0, "gradings"),), load=_load_answers,
    check=_check_answers, check_dump=_check_answers_held, since=SINCE)


def register() -> None:
    for table in (TEMPLATES, CRITERIA, GRADINGS, ANSWERS):
        register_table(table)
