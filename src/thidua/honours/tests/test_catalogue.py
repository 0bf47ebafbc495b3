"""The catalogue in force (issue 9 §1): the file's answers until an administrator edits; an edit
holds from its first day and not before; overlapping or unsourced edits are refused; history is
kept; only an administrator of the whole tree edits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from thidua.audit.models import AuditEntry
from thidua.honours import catalogue
from thidua.honours.models import CashRateEdit, FormEdit
from thidua.honours.services.catalogue import (
    award_form_edit,
    base_salary_add,
    cash_rate_set,
    quota_edit,
)
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.rules import awards
from thidua.testing import World

pytestmark = pytest.mark.django_db

D = dt.date
SOURCE = "Quyết định 12/QĐ-TLĐ ngày 01/03/2026 của Đoàn Chủ tịch Tổng Liên đoàn"


def test_without_edits_the_file_answers(world: World) -> None:
    day = D(2025, 8, 1)
    assert catalogue.base_salary(day) == 2_340_000  # NĐ 73/2024 from 01/07/2024
    assert catalogue.base_salary(D(2024, 6, 30)) is None
    assert catalogue.cash_amount("LDTT", day) == awards.cash_amount("LDTT", day) == 702_000
    assert catalogue.cash_amount("GK_THU_TRUONG", day, recipient="tap_the") == 1_404_000
    assert catalogue.cash_amount("GK_CDCS", day) is None  # a union rate not yet set
    assert [f.code for f in catalogue.forms_for_issuer("cdcs", day)] == ["GK_CDCS"]
    assert [f.code for f in catalogue.forms_proposed_by("cdcs", day)] == ["GK_THU_TRUONG"]
    assert catalogue.form("GK_CDCS") == awards.form("GK_CDCS")
    assert catalogue.citation("GK_CDCS") == awards.form("GK_CDCS").cited
    assert [q.value for q in catalogue.quota("BK_TLD_CHUYEN_DE")] == [300, 4]
    with pytest.raises(KeyError):
        catalogue.form("KHONG_CO")


def test_a_cash_edit_holds_from_its_first_day_and_not_before(world: World) -> None:
    cash_rate_set(actor=world.admin, code="GK_CDCS", recipient="", multiple="0,15",
                  valid_from=D(2026, 1, 1), source=SOURCE)
    assert catalogue.cash_amount("GK_CDCS", D(2025, 12, 31)) is None
    assert catalogue.cash_amount("GK_CDCS", D(2026, 1, 1)) == 351_000
    rate = catalogue.cash_rate("GK_CDCS", D(2026, 1, 1))
    assert rate is not None and rate.cited.source == SOURCE and rate.cited.confidence == "C"
    # an edit replaces a rate of the file for its period only
    cash_rate_set(actor=world.admin, code="LDTT", recipient="", multiple=Decimal("0.4"),
                  valid_from=D(2026, 1, 1), valid_to=D(2027, 1, 1), source=SOURCE)
    assert catalogue.cash_amount("LDTT", D(2025, 12, 31)) == 702_000
    assert catalogue.cash_amount("LDTT", D(2026, 6, 1)) == 936_000
    assert catalogue.cash_amount("LDTT", D(2027, 1, 1)) == 702_000
    # the recipient's own edit before the file's row for any recipient
    cash_rate_set(actor=world.admin, code="GK_THU_TRUONG", recipient="ca_nhan", multiple="0.3",
                  valid_from=D(2026, 1, 1), source=SOURCE)
    assert catalogue.cash_amount("GK_THU_TRUONG", D(2026, 1, 1), recipient="ca_nhan") == 702_000
    assert catalogue.cash_amount("GK_THU_TRUONG", D(2026, 1, 1), recipient="tap_the") == 1_404_000


def test_a_later_edit_ends_the_open_one_and_keeps_it(world: World) -> None:
    first = cash_rate_set(actor=world.admin, code="GK_CDCS", recipient="", multiple="0.15",
                          valid_from=D(2026, 1, 1), source=SOURCE)
    cash_rate_set(actor=world.admin, code="GK_CDCS", recipient="", multiple="0.2",
                  valid_from=D(2026, 7, 1), source="Quyết định 40/QĐ-TLĐ ngày 01/06/2026")
    first.refresh_from_db()
    assert first.valid_to == D(2026, 7, 1)
    assert CashRateEdit.objects.count() == 2
    assert catalogue.cash_amount("GK_CDCS", D(2026, 6, 30)) == 351_000
    assert catalogue.cash_amount("GK_CDCS", D(2026, 7, 1)) == 468_000


def test_overlapping_edit_is_refused(world: World) -> None:
    cash_rate_set(actor=world.admin, code="LDTT", recipient="", multiple="0.4",
                  valid_from=D(2026, 1, 1), valid_to=D(2027, 1, 1), source=SOURCE)
    for start, end in ((D(2026, 6, 1), None), (D(2025, 1, 1), D(2026, 2, 1)),
                       (D(2026, 1, 1), D(2026, 3, 1))):
        with pytest.raises(ApplicationError) as exc:
            cash_rate_set(actor=world.admin, code="LDTT", recipient="", multiple="0.5",
                          valid_from=start, valid_to=end, source=SOURCE)
        assert exc.value.field == "valid_from" and "chồng" in exc.value.message
    # another recipient is another key; the day the period ends is free again
    cash_rate_set(actor=world.admin, code="LDTT", recipient="ca_nhan", multiple="0.5",
                  valid_from=D(2026, 6, 1), source=SOURCE)
    cash_rate_set(actor=world.admin, code="LDTT", recipient="", multiple="0.5",
                  valid_from=D(2027, 1, 1), source=SOURCE)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"source": "  "}, "source"),
    ({"multiple": "-1"}, "multiple"),
    ({"multiple": "một"}, "multiple"),
    ({"code": "KHONG_CO"}, "form"),
    ({"recipient": "ai_do"}, "recipient"),
    ({"valid_to": D(2025, 1, 1)}, "valid_to"),
])
def test_a_wrong_cash_edit_is_refused_in_vietnamese(world: World, kwargs: dict[str, Any],
                                                    field: str) -> None:
    args: dict[str, Any] = {"code": "GK_CDCS", "recipient": "", "multiple": "0.2",
                            "valid_from": D(2026, 1, 1), "source": SOURCE, **kwargs}
    with pytest.raises(ApplicationError) as exc:
        cash_rate_set(actor=world.admin, **args)
    assert exc.value.field == field
    assert CashRateEdit.objects.count() == 0


def test_base_salary_rows_apply_from_their_date(world: World) -> None:
    assert catalogue.base_salary(D(2026, 7, 1)) == 2_340_000
    base_salary_add(actor=world.admin, amount=2_530_000, valid_from=D(2026, 7, 1),
                    source="Nghị định 999/2026/NĐ-CP (thử nghiệm)")
    assert catalogue.base_salary(D(2026, 6, 30)) == 2_340_000
    assert catalogue.base_salary(D(2026, 7, 1)) == 2_530_000
    assert catalogue.cash_amount("LDTT", D(2026, 6, 30)) == 702_000
    assert catalogue.cash_amount("LDTT", D(2026, 7, 1)) == 759_000
    for amount, day, field in ((0, D(2027, 1, 1), "amount"), (-5, D(2027, 1, 1), "amount"),
                               (2_600_000, D(2026, 7, 1), "valid_from")):
        with pytest.raises(ApplicationError) as exc:
            base_salary_add(actor=world.admin, amount=amount, valid_from=day, source=SOURCE)
        assert exc.value.field == field
    with pytest.raises(ApplicationError) as exc:
        base_salary_add(actor=world.admin, amount=2_600_000, valid_from=D(2027, 1, 1), source="")
    assert exc.value.field == "source"


def test_a_form_ended_by_an_edit_leaves_the_issuers_list_from_that_day(world: World) -> None:
    award_form_edit(actor=world.admin, code="GK_CDCS", valid_from=D(2026, 1, 1),
                    form_valid_to=D(2026, 1, 1), source=SOURCE)
    assert [f.code for f in catalogue.forms_for_issuer("cdcs", D(2025, 12, 31))] == ["GK_CDCS"]
    assert catalogue.forms_for_issuer("cdcs", D(2026, 1, 1)) == ()
    # a later rename keeps the end
    award_form_edit(actor=world.admin, code="GK_CDCS", valid_from=D(2026, 3, 1),
                    name="Giấy khen của Ban Chấp hành công đoàn cơ sở", source=SOURCE)
    renamed = catalogue.form("GK_CDCS", D(2026, 3, 1))
    assert renamed.valid_to == D(2026, 1, 1) and renamed.name.endswith("công đoàn cơ sở")
    assert catalogue.citation("GK_CDCS", D(2026, 3, 1)).source == SOURCE
    assert FormEdit.objects.count() == 2
    with pytest.raises(ApplicationError) as exc:
        award_form_edit(actor=world.admin, code="GK_CDCS", valid_from=D(2026, 2, 1),
                        name="Tên khác", source=SOURCE)
    assert exc.value.field == "valid_from"


def test_a_quota_edit_changes_the_figure_for_its_period(world: World) -> None:
    quota_edit(actor=world.admin, form_code="BK_TLD_CHUYEN_DE",
               quota_code="BK_TLD_CHUYEN_DE_MOI_LDLD", value=6, valid_from=D(2026, 1, 1),
               source=SOURCE)
    assert [q.value for q in catalogue.quota("BK_TLD_CHUYEN_DE", D(2025, 12, 31))] == [300, 4]
    assert [q.value for q in catalogue.quota("BK_TLD_CHUYEN_DE", D(2026, 1, 1))] == [300, 6]
    with pytest.raises(ApplicationError) as exc:
        quota_edit(actor=world.admin, form_code="BK_TLD_CHUYEN_DE", quota_code="KHAC",
                   value=6, valid_from=D(2026, 1, 1), source=SOURCE)
    assert exc.value.field == "quota"
    with pytest.raises(ApplicationError) as exc:
        quota_edit(actor=world.admin, form_code="BK_TLD_CHUYEN_DE",
                   quota_code="BK_TLD_CHUYEN_DE_TOAN_QUOC", value=0, valid_from=D(2026, 1, 1),
                   source=SOURCE)
    assert exc.value.field == "value"


def test_each_edit_writes_one_audit_entry(world: World) -> None:
    before = AuditEntry.objects.count()
    cash_rate_set(actor=world.admin, code="GK_CDCS", recipient="", multiple="0.15",
                  valid_from=D(2026, 1, 1), source=SOURCE)
    base_salary_add(actor=world.admin, amount=2_530_000, valid_from=D(2026, 7, 1), source=SOURCE)
    quota_edit(actor=world.admin, form_code="BK_TLD_CHUYEN_DE",
               quota_code="BK_TLD_CHUYEN_DE_MOI_LDLD", value=6, valid_from=D(2026, 1, 1),
               source=SOURCE)
    award_form_edit(actor=world.admin, code="GK_CDCS", valid_from=D(2027, 1, 1),
                    form_valid_to=D(2027, 1, 1), source=SOURCE)
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))[before:]
    assert actions == ["cash_rate.set", "base_salary.add", "quota.set", "award_form.update"]


def test_only_an_administrator_of_the_whole_tree_edits(world: World) -> None:
    from thidua.accounts.services import role_grant_create
    from thidua.testing import make_user

    branch_admin = make_user("quantri_nhanh")
    role_grant_create(actor=None, user=branch_admin, unit=world.cdvc, role="admin")
    root_admin = make_user("quantri_tld")
    role_grant_create(actor=None, user=root_admin, unit=world.tld, role="admin")
    args: dict[str, Any] = {"amount": 2_530_000, "valid_from": D(2026, 7, 1), "source": SOURCE}
    with pytest.raises(NotFoundError):
        base_salary_add(actor=world.officer_cdcs, **args)
    with pytest.raises(PermissionDeniedError):
        base_salary_add(actor=branch_admin, **args)
    base_salary_add(actor=root_admin, **args)
    assert catalogue.base_salary(D(2026, 7, 1)) == 2_530_000


def test_a_snapshot_reads_each_table_once(world: World, django_assert_num_queries: Any) -> None:
    snapshot = catalogue.current()
    with django_assert_num_queries(2):
        for day in (D(2025, 1, 1), D(2025, 8, 1), D(2026, 1, 1)):
            for code in ("LDTT", "GK_CDCS", "CSTDCS", "GK_THU_TRUONG"):
                snapshot.cash_amount(code, day, recipient="ca_nhan")
