"""Movements, plans, deployments and CĐCS gradings in the exchange format (version 7): what a
body above the dumped subtree issued is named by its natural key and matched in the target
database, or the load is refused in Vietnamese with file and line and nothing is written; a
dump of the whole tree carries every plan and template in full; loaded `without_above`, the
rows naming what the target lacks are left out (with the rows hanging on them), counted in
the result, the audit entry and the command's summary. The data is the national generator's
at a small scale."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from thidua.audit.models import AuditEntry
from thidua.demo.national.generate import national_generate
from thidua.demo.tests.exchange_above import dumped_rows, hold_what_is_issued_above
from thidua.evaluation.models import Grading, GradingAnswer, GradingCriterion, GradingTemplate
from thidua.movements.models import Deployment, Movement, Plan
from thidua.org.models import Unit
from thidua.people.exchange_format import LeftOut
from thidua.people.models import Membership, Person
from thidua.people.services.exchange import exchange_dump, exchange_load
from thidua.people.tests.exchange_helpers import edit_dumped_cell
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_number

pytestmark = pytest.mark.django_db
SCALE = 0.0002
ROOT = "LDLD-PTO"


def _dump(out: Path, code: str | None = ROOT,
          vary: Callable[[], None] | None = None) -> dict[str, int]:
    """Generate, dump `code`'s subtree (everything: None), roll back: the database is empty."""
    point = transaction.savepoint()
    try:
        national_generate(scale=SCALE, seed=11, say=lambda _: None)
        _answer_two_sheets()
        if vary is not None:
            vary()
        counts = {"plans": Plan.objects.count(), "movements": Movement.objects.count(),
                  "deployments": Deployment.objects.count(), "gradings": Grading.objects.count(),
                  "templates": GradingTemplate.objects.count(),
                  "answers": GradingAnswer.objects.count()}
        exchange_dump(actor=None, unit=Unit.objects.get(code=code) if code else None, out=out)
        return counts
    finally:
        transaction.savepoint_rollback(point)


def _answer_two_sheets() -> None:
    """The generator grades without points per criterion: two of ROOT's CĐCS filled theirs."""
    root = Unit.objects.get(code=ROOT)
    for grading in Grading.objects.filter(unit__path__startswith=root.path).order_by("id")[:2]:
        GradingAnswer.objects.bulk_create(
            [GradingAnswer(grading=grading, criterion=c, points=c.max_points / 2)
             for c in grading.template.criteria.all()])


def _figures_check() -> str:
    out = StringIO()
    call_command("figures_check", stdout=out)
    return out.getvalue()


def test_a_plan_or_template_issued_above_and_missing_from_the_target_is_refused(tmp_path):
    _dump(tmp_path / "pto")
    deployments = dumped_rows(tmp_path / "pto", "deployments")
    line, row = next((i, r) for i, r in enumerate(deployments, start=2) if r["plan_issuer"])
    assert row["plan_id"] == ""  # named by its natural key, not by an id of the source

    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=tmp_path / "pto")

    message = caught.value.message
    assert (f"deployments.csv, dòng {line}: Kế hoạch số {row['plan_number']} năm "
            f"{row['plan_year']} của đơn vị {row['plan_issuer']} chưa có trong cơ sở dữ liệu: "
            "hãy nạp dữ liệu của cấp trên trước, hoặc nạp với --without-above để bỏ qua các dòng "
            "này.") in message
    assert "plan_movements.csv, dòng 2: Phong trào mã «LDG_LDST-2021» của đơn vị TLD chưa có" \
        in message
    assert "chưa ghi gì" in message
    assert not Unit.objects.exists() and not Deployment.objects.exists()

    # the plans and movements are held, the TLĐ's grading sheet is not: the gradings are named
    hold_what_is_issued_above(tmp_path / "pto")
    GradingTemplate.objects.all().delete()
    gradings = dumped_rows(tmp_path / "pto", "gradings")
    line, row = next((i, r) for i, r in enumerate(gradings, start=2) if r["template_issuer"])
    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=tmp_path / "pto")
    message = caught.value.message
    assert (f"gradings.csv, dòng {line}: Bảng chấm điểm «{row['template_name']}» năm "
            f"{row['template_year']} của đơn vị TLD chưa có trong cơ sở dữ liệu: hãy nạp dữ "
            "liệu của cấp trên trước, hoặc nạp với --without-above để bỏ qua các dòng này.") \
        in message
    assert "deployments.csv" not in message and "plan_movements.csv" not in message
    assert not Unit.objects.filter(code=ROOT).exists() and not Grading.objects.exists()
    assert not Deployment.objects.exists()

    # the sheet held as well: the rows are matched, the points go to the held criteria
    hold_what_is_issued_above(tmp_path / "pto")
    counts = exchange_load(actor=None, source=tmp_path / "pto")
    assert counts["deployments"] == len(deployments) and counts["gradings"] == len(gradings)
    assert counts["grading_answers"] == GradingAnswer.objects.filter(
        criterion__template__issuer__code="TLD", grading__unit__code__isnull=False).count() > 2
    assert Deployment.objects.filter(unit__code=ROOT, plan__issuer__code="TLD").exists()
    assert "0 chỗ khác" in _figures_check()


def test_a_dump_of_the_whole_tree_carries_every_plan_and_template_in_full(tmp_path):
    source = _dump(tmp_path / "all.tar", code=None)
    for table, key in (("deployments", "plan_issuer"), ("plan_movements", "movement_issuer"),
                       ("gradings", "template_issuer")):
        assert not any(r[key] for r in dumped_rows(tmp_path / "all.tar", table)), table

    counts = exchange_load(actor=None, source=tmp_path / "all.tar")

    assert counts["plans"] == Plan.objects.count() == source["plans"] > 0
    assert counts["movements"] == Movement.objects.count() == source["movements"] > 0
    assert counts["deployments"] == Deployment.objects.count() == source["deployments"] > 0
    assert counts["gradings"] == Grading.objects.count() == source["gradings"] > 0
    assert counts["grading_templates"] == GradingTemplate.objects.count() == source["templates"]
    assert counts["grading_answers"] == GradingAnswer.objects.count() == source["answers"] > 2
    # a federation's plan carries the TLĐ's movement beside its own
    assert Plan.objects.filter(movements__issuer__code="TLD").exclude(issuer__code="TLD").exists()
    assert "0 chỗ khác" in _figures_check()


def test_a_malformed_plan_deployment_or_grading_row_is_refused_with_its_line(tmp_path):
    _dump(tmp_path / "pto")
    folder = tmp_path / "pto"
    hold_what_is_issued_above(folder)
    deployments = dumped_rows(folder, "deployments")
    inside = next(i for i, r in enumerate(deployments, start=2) if r["plan_id"])
    edit_dumped_cell(folder, "deployments", inside, "plan_issuer", "TLD")  # both
    edit_dumped_cell(folder, "deployments", 2, "launched_on", "2024-02-30")
    edit_dumped_cell(folder, "plan_movements", 3, "movement_id", "")  # neither
    edit_dumped_cell(folder, "gradings", 2, "label", "xuat_sac")
    answers = dumped_rows(folder, "grading_answers")
    edit_dumped_cell(folder, "grading_answers", 3, "code", "C99")

    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=folder)

    message = caught.value.message
    assert "deployments.csv, dòng 2: cột «launched_on» phải là ngày dạng YYYY-MM-DD" in message
    assert "gradings.csv, dòng 2: cột «label» có giá trị không hợp lệ «xuat_sac»." in message
    assert "chưa ghi gì" in message
    # the cells read, the rows' own checks
    edit_dumped_cell(folder, "deployments", 2, "launched_on", "")
    edit_dumped_cell(folder, "gradings", 2, "label", "")
    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=folder)
    message = caught.value.message
    assert (f"deployments.csv, dòng {inside}: mỗi lần triển khai ghi đúng một kế hoạch: plan_id "
            "(kế hoạch có trong tệp) hoặc đủ plan_issuer, plan_year và plan_number (kế hoạch của "
            "cấp trên).") in message
    assert ("plan_movements.csv, dòng 3: mỗi dòng ghi đúng một phong trào: movement_id") \
        in message
    assert (f"grading_answers.csv, dòng 3: bảng chấm điểm của kết quả {answers[1]['grading_id']} "
            "không có tiêu chí mã «C99».") in message
    assert not Unit.objects.filter(code=ROOT).exists()
    assert not Deployment.objects.exists() and not Grading.objects.exists()


# --- loaded --without-above --------------------------------------------------------------------

ABOVE_WHY = {"plan_movements": "phong trào của cấp trên chưa có trong cơ sở dữ liệu",
             "deployments": "kế hoạch của cấp trên chưa có trong cơ sở dữ liệu",
             "gradings": "bảng chấm điểm của cấp trên chưa có trong cơ sở dữ liệu",
             "grading_answers": "thuộc các dòng gradings.csv đã bỏ qua",
             "proposals": "đơn vị nhận hồ sơ chưa có trong cơ sở dữ liệu",
             "proposal_candidates": "thuộc các dòng proposals.csv đã bỏ qua"}


def _grade_on_the_federations_own_sheet() -> None:
    """A CĐCS of ROOT graded (2019) on a sheet ROOT issued: it goes with the dump in full."""
    root = Unit.objects.get(code=ROOT)
    template = GradingTemplate.objects.create(issuer=root, year=2019, name="Bảng riêng",
                                              scale="moi")
    criteria = [GradingCriterion.objects.create(template=template, order=i, code=f"R{i}",
                                                text=f"Tiêu chí {i}", max_points=10)
                for i in (1, 2)]
    unit = Unit.objects.filter(path__startswith=root.path, type="cdcs").order_by("path").first()
    assert unit is not None and not Grading.objects.filter(unit=unit, year=2019).exists()
    grading = Grading.objects.create(unit=unit, year=2019, template=template, total=15,
                                     label="kha")
    GradingAnswer.objects.bulk_create([GradingAnswer(grading=grading, criterion=c,
                                                     points=Decimal("7.5")) for c in criteria])


def _expected_left_out(folder: Path) -> dict[str, int]:
    """From the dump itself: the rows naming above (an empty target holds none of it), and
    the answers of those gradings; the proposals the federation sent the TLĐ, and their
    candidates (the awards the TLĐ decided on them stay: they only lose the link)."""
    gradings = {r["id"] for r in dumped_rows(folder, "gradings") if r["template_issuer"]}
    proposals = {r["id"] for r in dumped_rows(folder, "proposals") if r["recipient_code"]}
    return {"plan_movements": sum(1 for r in dumped_rows(folder, "plan_movements")
                                  if r["movement_issuer"]),
            "deployments": sum(1 for r in dumped_rows(folder, "deployments") if r["plan_issuer"]),
            "gradings": len(gradings),
            "grading_answers": sum(1 for r in dumped_rows(folder, "grading_answers")
                                   if r["grading_id"] in gradings),
            "proposals": len(proposals),
            "proposal_candidates": sum(1 for r in dumped_rows(folder, "proposal_candidates")
                                       if r["proposal_id"] in proposals)}


def test_a_federation_loads_into_an_empty_database_without_what_was_issued_above(tmp_path):
    folder = tmp_path / "pto"
    _dump(folder, vary=_grade_on_the_federations_own_sheet)
    dumped = {t["name"]: t["rows"]
              for t in json.loads((folder / "manifest.json").read_text())["tables"]}
    expected = _expected_left_out(folder)
    assert all(expected.values()), expected  # each kind of row named above is in the dump
    assert dumped["grading_answers"] > expected["grading_answers"]  # the own sheet's answers

    # the strict default: refused, the option named, nothing written
    with pytest.raises(ApplicationError, match="hoặc nạp với --without-above để bỏ qua các "
                                               "dòng này") as caught:
        exchange_load(actor=None, source=folder)
    assert "chưa ghi gì" in caught.value.message and not Unit.objects.exists()

    counts = exchange_load(actor=None, source=folder, without_above=True)

    assert {o.table: (o.rows, o.why) for o in counts.left_out} == {
        t: (n, ABOVE_WHY[t]) for t, n in expected.items()}
    assert len(counts.left_out) == len(expected)
    for table, rows in dumped.items():  # everything else is loaded
        assert counts[table] == rows - expected.get(table, 0), table
    assert Person.objects.count() == dumped["persons"] > 0
    assert Unit.objects.count() == dumped["units"] and Unit.objects.filter(code=ROOT).exists()
    assert Membership.objects.count() == dumped["memberships"] > 0
    for table in ("ratings", "titles", "decisions", "awards", "registrations", "plans",
                  "movements"):
        assert dumped[table] > 0, table
    # the federation's own plans reach its units; the TLĐ's plans and sheet stay out
    assert Deployment.objects.count() == counts["deployments"] > 0
    assert not Deployment.objects.exclude(plan__issuer__code=ROOT).exists()
    assert Plan.objects.count() == dumped["plans"] and not Plan.objects.filter(
        issuer__code="TLD").exists()
    # a plan carrying a TLĐ movement keeps its own movements: only that row was left out
    assert Plan.movements.through.objects.count() == counts["plan_movements"] > 0
    [grading] = Grading.objects.all()  # the one on the federation's own sheet, with its points
    assert grading.template.issuer.code == ROOT and grading.answers.count() == 2
    assert counts["grading_answers"] == 2 and counts["grading_templates"] == 1
    entry = AuditEntry.objects.get(action="unit.import")
    assert entry.after["rows"] == dict(counts)
    assert {(o["table"], o["rows"], o["why"]) for o in entry.after["left_out"]} == {
        (t, n, ABOVE_WHY[t]) for t, n in expected.items()}
    assert "0 chỗ khác" in _figures_check()  # the kept sums count the rows loaded


def test_without_above_rows_held_by_the_target_are_loaded_and_nothing_is_left_out(tmp_path):
    folder = tmp_path / "pto"
    _dump(folder)
    hold_what_is_issued_above(folder)
    deployments = dumped_rows(folder, "deployments")

    counts = exchange_load(actor=None, source=folder, without_above=True)

    assert counts.left_out == []
    assert counts["deployments"] == len(deployments) == Deployment.objects.count()
    assert AuditEntry.objects.get(action="unit.import").after["left_out"] == []
    assert "0 chỗ khác" in _figures_check()


def test_a_left_out_row_is_still_checked_on_its_own(tmp_path):
    """Only the target's lack is forgiven: a malformed row naming above is still refused."""
    folder = tmp_path / "pto"
    _dump(folder)
    line = next(i for i, r in enumerate(dumped_rows(folder, "deployments"), start=2)
                if r["plan_issuer"])
    edit_dumped_cell(folder, "deployments", line, "unit_id", "999999999")

    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=folder, without_above=True)

    message = caught.value.message
    assert (f"deployments.csv, dòng {line}: mã tham chiếu 999999999 (cột «unit_id») không có "
            "trong tệp.") in message
    assert "--without-above" not in message  # the lacking plans are not named
    assert not Unit.objects.exists()


def test_the_command_line_loads_without_above_and_prints_the_rows_left_out(tmp_path):
    folder = tmp_path / "pto"
    _dump(folder)
    expected = _expected_left_out(folder)

    with pytest.raises(CommandError, match="nạp với --without-above"):
        call_command("load", str(folder), stdout=StringIO())
    assert not Unit.objects.exists()

    out = StringIO()
    call_command("load", str(folder), "--without-above", stdout=out)

    printed = out.getvalue()
    assert printed.startswith("Đã nạp units ")
    assert (f"Bỏ qua {vn_number(expected['deployments'])} dòng deployments.csv: kế hoạch của "
            "cấp trên chưa có trong cơ sở dữ liệu.\n") in printed
    assert (f"Bỏ qua {vn_number(expected['grading_answers'])} dòng grading_answers.csv: thuộc "
            "các dòng gradings.csv đã bỏ qua.\n") in printed
    assert (f"Bỏ qua {vn_number(expected['proposals'])} dòng proposals.csv: đơn vị nhận hồ sơ "
            "chưa có trong cơ sở dữ liệu.\n") in printed
    assert printed.count("Bỏ qua ") == 6
    assert LeftOut("gradings", 1234, "x").say() == "Bỏ qua 1.234 dòng gradings.csv: x."
    assert Unit.objects.filter(code=ROOT).exists()
