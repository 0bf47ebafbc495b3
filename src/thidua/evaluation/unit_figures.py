"""The year's unit records kept as subtree sums (ADR 0036): the CĐCS gradings (graded, "vững
mạnh" or "hoàn thành xuất sắc nhiệm vụ", "yếu" or "không hoàn thành nhiệm vụ") and the
collective titles (each title, and the CĐCS holding «Cơ quan, đơn vị văn hóa»). The dashboard's
children and the year-end report's measures and collective titles read a unit's sums instead of
counting the records of its subtree (47.708 units' versions joined for the nation's collective
titles: 65 ms at a tenth of the nation).

The records are already one row per unit and year, so no per-unit table is kept: the sums are
the source's only rows (`org.rollups.Rolled` with no table). The services that write them wrap
their writes in `unit_figures(unit_ids)` — the figures of those units are counted from the
records before and after, in the change's transaction, and the difference added to the sums of
the subtrees that held each unit on 31/12 (`platform.kept`, `org.rollups`). `figures-check`
counts every unit's records and compares their sums; `figures_rebuild` rebuilds them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from thidua.evaluation.models import Grading, GradingLabel, TitleResult
from thidua.org.rollups import Rolled
from thidua.people.figures import CountedSums
from thidua.platform.kept import YearlyKey, id_batches

#: the grassroots unions a "% of CĐCS" measure is taken over (the catalogue's CĐCS gradings)
GRASSROOTS = ("cdcs", "cdcs_thanh_vien")
#: a CĐCS "vững mạnh" on the old scale is one that "hoàn thành xuất sắc nhiệm vụ" on the new
STRONG = (GradingLabel.VUNG_MANH, GradingLabel.HTXSNV)
WEAK = (GradingLabel.YEU, GradingLabel.KHTNV)
AGENCY_CULTURE_TITLE = "CQ_VAN_HOA"

GRADED, GRADED_STRONG, GRADED_WEAK = "xep_loai", "vung_manh", "yeu"
CULTURE = "cdcs_van_hoa"  # CĐCS holding «Cơ quan, đơn vị văn hóa»
TITLE = "dh:"  # + title code: the units holding the collective title

SUMS = Rolled("u")
Figures = dict[YearlyKey, int]


def title_key(code: str) -> str:
    return TITLE + code


def _add(out: Figures, unit_id: int, year: int, key: str) -> None:
    k = (unit_id, int(year), key)
    out[k] = out.get(k, 0) + 1


def _compute(unit_ids: Iterable[int] | None = None) -> Figures:
    """The figures of these units' records (all units: None), from the records."""
    out: Figures = {}
    for batch in [None] if unit_ids is None else id_batches(unit_ids):
        gradings: QuerySet[Grading] = Grading.objects.filter(
            unit__type__in=GRASSROOTS).exclude(label="").order_by()
        titles: QuerySet[TitleResult] = TitleResult.objects.filter(
            subject_unit__isnull=False, revoked=False).order_by()
        if batch is not None:
            gradings = gradings.filter(batch.q("unit_id"))
            titles = titles.filter(batch.q("subject_unit_id"))
        for unit_id, year, label in gradings.values_list("unit_id", "year", "label"):
            _add(out, unit_id, year, GRADED)
            if label in STRONG:
                _add(out, unit_id, year, GRADED_STRONG)
            elif label in WEAK:
                _add(out, unit_id, year, GRADED_WEAK)
        for unit_id, year, code, unit_type in titles.values_list(
                "subject_unit_id", "year", "title", "subject_unit__type"):
            _add(out, unit_id, year, title_key(code))
            if code == AGENCY_CULTURE_TITLE and unit_type in GRASSROOTS:
                _add(out, unit_id, year, CULTURE)
    return out


_LABELS = {GRADED: "CĐCS được xếp loại", GRADED_STRONG: "CĐCS vững mạnh / HTXSNV",
           GRADED_WEAK: "CĐCS yếu / KHTNV", CULTURE: "CĐCS «Cơ quan, đơn vị văn hóa»"}


def label(key: str) -> str:
    """How `figures-check` names a key, in Vietnamese."""
    if key.startswith(TITLE):
        return f"danh hiệu tập thể {key[len(TITLE):]}"
    return _LABELS.get(key, key)


# registered for `figures-check` and `figures_rebuild`; imported from EvaluationConfig.ready
UNIT_SUMS = CountedSums("units", SUMS, _compute, label)
#: around a change to these units' gradings or collective titles (nested: the outermost writes)
unit_figures = UNIT_SUMS.track
#: the records of units that had none before (a load's new units)
unit_figures_add = UNIT_SUMS.add_new
rebuild = UNIT_SUMS.rebuild
differences = UNIT_SUMS.differences
