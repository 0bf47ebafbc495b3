"""Setting clusters up, scope, the pledge and the scoring sheets through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest

from thidua.audit.models import AuditEntry
from thidua.clusters import selectors
from thidua.clusters.models import Membership, SheetStatus
from thidua.clusters.services import setup, sheets
from thidua.clusters.tests.helpers import YEAR, Clusters, day, fill, make_clusters
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.testing import World, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def cs(world: World) -> Clusters:
    return make_clusters(world)


def test_a_unit_of_another_cluster_sees_nothing_of_this_one(cs: Clusters):
    hbt = cs.officer_hbt
    assert list(selectors.clusters_for(hbt)) == [cs.two]
    with pytest.raises(NotFoundError):
        selectors.access_cluster(hbt, cs.one.pk)
    for unit in (cs.world.cdvc, cs.dongda):
        with pytest.raises(NotFoundError):
            selectors.access_membership(hbt, cs.member(cs.one, unit).pk)
    # a CĐCS below a member is not the member: nothing either
    assert not selectors.clusters_for(cs.world.officer_cdcs).exists()
    # the issuer sees every cluster
    assert set(selectors.clusters_for(cs.officer_ldld)) == {cs.one, cs.two}


def test_members_see_the_cluster_and_their_own_sheet_the_head_sees_all_sheets(cs: Clusters):
    dd = cs.officer_dongda
    assert selectors.access_cluster(dd, cs.one.pk) == cs.one
    assert selectors.access_membership(dd, cs.member(cs.one, cs.dongda).pk)
    with pytest.raises(NotFoundError):  # another member's entries: not for a member
        selectors.access_membership(dd, cs.member(cs.one, cs.badinh).pk)
    head = cs.world.officer_above  # officer of CĐVC TP Hà Nội, the head unit
    assert selectors.access_membership(head, cs.member(cs.one, cs.badinh).pk)
    with pytest.raises(NotFoundError):
        selectors.access_membership(head, cs.member(cs.two, cs.gialam).pk)


def test_membership_follows_the_tree_of_the_year(cs: Clusters, world: World):
    ldld = cs.officer_ldld
    with pytest.raises(ApplicationError, match="đã ở Cụm thi đua số 1"):
        setup.member_add(actor=ldld, cluster=cs.two, unit=cs.dongda)
    later = make_unit("LDLD-NEW", "cap_tren_co_so", world.hn, day=day(1, 1).replace(YEAR + 1))
    with pytest.raises(ApplicationError, match="không hoạt động trong năm 2024"):
        setup.member_add(actor=ldld, cluster=cs.two, unit=later)
    own = setup.cluster_create(actor=world.admin, issuer=world.cdvc, year=YEAR, number=1)
    with pytest.raises(ApplicationError, match="không thuộc Công đoàn Viên chức"):
        setup.member_add(actor=world.admin, cluster=own, unit=world.cdcs_c)
    # the next year is a cluster of its own: the same unit may be in another cluster then
    nxt = setup.cluster_create(actor=ldld, issuer=world.hn, year=YEAR + 1, number=2)
    later_ok = setup.member_add(actor=ldld, cluster=nxt, unit=cs.dongda, role="truong")
    assert later_ok.role == "truong"
    assert cs.member(cs.one, cs.dongda).role == "pho"


def test_only_the_issuer_sets_up_and_the_head_rotates(cs: Clusters):
    with pytest.raises(PermissionDeniedError):
        setup.member_add(actor=cs.world.officer_above, cluster=cs.one, unit=cs.gialam)
    with pytest.raises(NotFoundError):
        setup.cluster_create(actor=cs.officer_hbt, issuer=cs.world.hn, year=YEAR, number=9)
    setup.member_role_set(actor=cs.officer_ldld, membership=cs.member(cs.one, cs.badinh),
                          role="truong")
    roles = dict(cs.one.memberships.values_list("unit__code", "role"))
    assert roles == {"CDVC-HN": "thanh_vien", "LDLD-DD": "pho", "LDLD-BD": "truong"}
    assert AuditEntry.objects.filter(action="cluster.member_role").count() == 1


def test_pledge_signed_by_each_member(cs: Clusters):
    m = cs.member(cs.one, cs.dongda)
    with pytest.raises(PermissionDeniedError):  # the head cannot sign for another unit
        sheets.pledge_sign(actor=cs.world.officer_above, membership=m, signer_name="A",
                           signer_title="Chủ tịch", signed_on=day(2, 20))
    sheets.pledge_sign(actor=cs.officer_dongda, membership=m, signer_name="Phạm Văn Bình",
                       signer_title="Chủ tịch LĐLĐ quận", signed_on=day(2, 20))
    m.refresh_from_db()
    assert (m.signer_name, m.signed_on) == ("Phạm Văn Bình", day(2, 20))
    with pytest.raises(ApplicationError, match="không sửa nội dung"):
        sheets.pledge_set(actor=cs.officer_ldld, cluster=cs.one, text="Nội dung khác")


def test_sheet_scoring_submit_and_check(cs: Clusters):
    c = cs.criteria
    m = cs.member(cs.one, cs.dongda)
    setup.target_set(actor=cs.officer_ldld, criterion=c["1"], unit=cs.dongda, value="80")
    with pytest.raises(ApplicationError, match="điểm phải từ 0 đến 5"):
        sheets.sheet_save(actor=cs.officer_dongda, membership=m, known={},
                          entries=[sheets.Entry(c["5"].pk, "6")])
    with pytest.raises(ApplicationError, match="không phải là số"):
        sheets.sheet_save(actor=cs.officer_dongda, membership=m, known={},
                          entries=[sheets.Entry(c["3"].pk, "ba mươi")])
    assert not m.scores.exists()  # a refused save writes nothing
    sheets.sheet_save(actor=cs.officer_dongda, membership=m,
                      known={"cdcs_phat_dong": Decimal("75.5")},
                      entries=[sheets.Entry(c["1"].pk, "72"), sheets.Entry(c["2"].pk, "1")])
    with pytest.raises(ApplicationError, match="Còn 3 tiêu chí chưa chấm"):
        sheets.sheet_submit(actor=cs.officer_dongda, membership=m)
    s1 = m.scores.get(criterion=c["1"])
    assert (s1.points, s1.known) == (Decimal("36.00"), Decimal("75.5"))  # 40 × 72/80
    fill(cs, cs.dongda, cs.officer_dongda, {"3": "30,5", "4": "2", "5": "1"})
    m.refresh_from_db()
    assert m.sheet_status == SheetStatus.SUBMITTED
    with pytest.raises(ApplicationError, match="không sửa được"):
        sheets.sheet_save(actor=cs.officer_dongda, membership=m, known={},
                          entries=[sheets.Entry(c["3"].pk, "40")])
    # a member cannot check; the head must give a reason to correct
    with pytest.raises(PermissionDeniedError):
        sheets.sheet_check(actor=cs.officer_dongda, membership=m)
    head = cs.world.officer_above
    with pytest.raises(ApplicationError, match="lý do chấm lại"):
        sheets.sheet_check(actor=head, membership=m,
                           corrections=[sheets.Correction(c["3"].pk, "25")])
    sheets.sheet_check(actor=head, membership=m, corrections=[
        sheets.Correction(c["3"].pk, "25", "Chưa có minh chứng chương trình Tết Sum vầy")])
    standing = next(s for s in selectors.ranking(cs.one) if s.membership.pk == m.pk)
    # 36 + 20 + 25 (head's) + 2 − 1
    assert standing.totals.total == Decimal("82.00")
    assert AuditEntry.objects.filter(action__startswith="cluster.sheet").count() >= 4


def test_head_returns_a_sheet_with_a_reason(cs: Clusters):
    m = fill(cs, cs.badinh, cs.officer_badinh, {"1": 100, "2": 1, "3": 40, "4": 0, "5": 0})
    with pytest.raises(ApplicationError, match="lý do trả lại"):
        sheets.sheet_check(actor=cs.world.officer_above, membership=m, accept=False)
    sheets.sheet_check(actor=cs.world.officer_above, membership=m, accept=False,
                       note="Thiếu minh chứng tiêu chí 3")
    m.refresh_from_db()
    assert m.sheet_status == SheetStatus.RETURNED
    sheets.sheet_save(actor=cs.officer_badinh, membership=m, known={},
                      entries=[sheets.Entry(cs.criteria["3"].pk, "35")])
    assert Membership.objects.get(pk=m.pk).scores.get(criterion=cs.criteria["3"]).points == 35


def test_next_year_rotates_the_head_and_follows_the_tree(cs: Clusters, world: World):
    from thidua.org.services import unit_dissolve

    unit_dissolve(actor=None, unit=cs.badinh, date=day(1, 1).replace(year=YEAR + 1))
    new, left_out = setup.cluster_next_year(actor=cs.officer_ldld, cluster=cs.one)
    assert (new.year, new.number, new.criteria.count()) == (YEAR + 1, 1, 6)
    assert left_out == ["Liên đoàn Lao động quận Ba Đình"]
    # the deputy becomes head, the next member deputy; the year before is unchanged
    assert dict(new.memberships.values_list("unit__code", "role")) == {
        "CDVC-HN": "pho", "LDLD-DD": "truong"}
    assert cs.member(cs.one, world.cdvc).role == "truong"
    with pytest.raises(ApplicationError, match="đã có"):
        setup.cluster_next_year(actor=cs.officer_ldld, cluster=cs.one)
