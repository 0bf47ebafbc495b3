"""Units the issuer's tie-break rules leave level, put in order by hand by the head unit with
its reason (service, audit entry, the ranking page); the sheet's criteria corrected in place
while no unit has sent its sheet, refused after."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from thidua.audit.models import AuditEntry
from thidua.clusters import selectors
from thidua.clusters.scoring import BY_HAND
from thidua.clusters.services import setup, suy_ton
from thidua.clusters.tests.helpers import Clusters, fill, make_clusters
from thidua.clusters.tests.test_suy_ton import DELEGATES, day, scored
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.testing import World

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def _ranks(cs: Clusters) -> list[tuple[str, int, bool, str]]:
    return [(s.membership.unit.code, s.rank, s.tied, s.decided_by)
            for s in selectors.ranking(cs.one)]


def test_units_still_level_are_put_in_order_by_hand_with_a_reason(world: World):
    cs = scored(world, [])  # no rule: CĐVC and Đống Đa level on 98 points
    assert _ranks(cs)[:2] == [("CDVC-HN", 1, True, ""), ("LDLD-DD", 1, True, "")]
    dd, cdvc = cs.member(cs.one, cs.dongda), cs.member(cs.one, world.cdvc)
    bd = cs.member(cs.one, cs.badinh)
    head = world.officer_above
    reason = "Hội nghị cụm thống nhất: Đống Đa có mô hình được Thành phố nhân rộng"
    with pytest.raises(PermissionDeniedError):  # a member does not order the ranking
        suy_ton.ranking_reorder(actor=cs.officer_dongda, cluster=cs.one, order=[dd.pk, cdvc.pk],
                                reason=reason)
    with pytest.raises(NotFoundError):  # another cluster's head sees nothing of it
        suy_ton.ranking_reorder(actor=cs.officer_hbt, cluster=cs.one, order=[dd.pk, cdvc.pk],
                                reason=reason)
    with pytest.raises(ApplicationError, match="lý do"):
        suy_ton.ranking_reorder(actor=head, cluster=cs.one, order=[dd.pk, cdvc.pk], reason=" ")
    for wrong in ([dd.pk, bd.pk], [dd.pk], [dd.pk, cdvc.pk, bd.pk]):  # not one level group
        with pytest.raises(ApplicationError, match="còn đồng hạng"):
            suy_ton.ranking_reorder(actor=head, cluster=cs.one, order=wrong, reason=reason)
    suy_ton.ranking_reorder(actor=head, cluster=cs.one, order=[dd.pk, cdvc.pk], reason=reason)
    assert _ranks(cs) == [("LDLD-DD", 1, False, BY_HAND), ("CDVC-HN", 2, False, BY_HAND),
                          ("LDLD-BD", 3, False, "")]
    entry = AuditEntry.objects.get(action="cluster.tie_order")
    assert entry.after["reason"] == reason
    assert entry.after["order"] == [cs.dongda.pk, world.cdvc.pk]
    # the vote then has one unit for the flag, the one put first
    suy_ton.meeting_open(actor=head, cluster=cs.one, meeting_date=day(12, 15), place="Hà Nội",
                         delegates=DELEGATES)
    noms = suy_ton.nominate(actor=head, cluster=cs.one)
    assert [(n.membership.unit.code, n.form) for n in noms] == [
        ("LDLD-DD", "CO_TD_XS_LDLD"), ("CDVC-HN", "BK_LDLD")]
    with pytest.raises(ApplicationError, match="không xếp lại"):
        suy_ton.ranking_reorder(actor=head, cluster=cs.one, order=[cdvc.pk, dd.pk],
                                reason=reason)


def test_the_issuers_rules_come_first_and_leave_nothing_to_order(world: World):
    cs = scored(world, ["it_diem_tru"])
    dd, cdvc = cs.member(cs.one, cs.dongda), cs.member(cs.one, world.cdvc)
    with pytest.raises(ApplicationError, match="còn đồng hạng"):
        suy_ton.ranking_reorder(actor=world.officer_above, cluster=cs.one,
                                order=[dd.pk, cdvc.pk], reason="Hội nghị thống nhất")


def test_the_ranking_page_orders_a_level_group(world: World):
    cs = scored(world, [])
    url = reverse("clusters:suy-ton", args=[cs.one.pk])
    dd, cdvc = cs.member(cs.one, cs.dongda), cs.member(cs.one, world.cdvc)
    head = _client(world.officer_above)
    page = head.get(url).content.decode()
    assert "Các đơn vị đồng hạng 1 sau khi áp dụng quy tắc phụ" in page
    # a member sees the ranking, not the control
    assert "Lưu thứ tự đồng hạng" not in _client(cs.officer_dongda).get(url).content.decode()
    r = head.post(url, {"action": "tie_order", f"pos_{dd.pk}": "1", f"pos_{cdvc.pk}": "1",
                        "reason": "Hội nghị thống nhất"}, follow=True)
    assert "Mỗi đơn vị một thứ tự khác nhau." in r.content.decode()
    r = head.post(url, {"action": "tie_order", f"pos_{dd.pk}": "1", f"pos_{cdvc.pk}": "2",
                        "reason": "Hội nghị cụm thống nhất"}, follow=True)
    page = r.content.decode()
    assert "Đã xếp thứ tự các đơn vị đồng hạng." in page
    assert "Xếp theo thứ tự cụm trưởng đặt khi đồng hạng — lý do: Hội nghị cụm thống nhất" in page
    assert [s.membership.unit.code for s in selectors.ranking(cs.one)][:2] == [
        "LDLD-DD", "CDVC-HN"]


def test_criteria_are_corrected_in_place_until_a_unit_sends_its_sheet(world: World):
    cs = make_clusters(world)
    crit = cs.criteria
    m = fill(cs, cs.badinh, cs.officer_badinh, {"1": 95, "3": 30}, submit=False)
    assert m.scores.get(criterion=crit["1"]).points == 38  # 40 × 95/100
    with pytest.raises(PermissionDeniedError):  # the issuer's, not a member's
        setup.criterion_update(actor=cs.officer_badinh, criterion=crit["1"], name="X",
                               max_points=50, kind="chi_tieu", target=100)
    setup.criterion_update(actor=cs.officer_ldld, criterion=crit["1"],
                           name="CĐCS phát động, tổ chức phong trào thi đua", max_points="50",
                           kind="chi_tieu", target="95")
    crit["1"].refresh_from_db()
    assert (crit["1"].name, crit["1"].max_points, crit["1"].target) == (
        "CĐCS phát động, tổ chức phong trào thi đua", Decimal("50"), Decimal("95"))
    assert m.scores.get(criterion=crit["1"]).points == 50  # the draft follows: 95 of 95
    assert AuditEntry.objects.get(action="cluster.criterion_update").after["rescored"] == 1
    with pytest.raises(ApplicationError, match="không đổi cách chấm"):  # entries made
        setup.criterion_update(actor=cs.officer_ldld, criterion=crit["3"], name="Chăm lo",
                               max_points=40, kind="thuong")
    with pytest.raises(ApplicationError, match="phải giữ là nhóm"):
        setup.criterion_update(actor=cs.officer_ldld, criterion=crit["I"], name="Phong trào",
                               max_points=60, kind="tu_cham")
    setup.criterion_update(actor=cs.officer_ldld, criterion=crit["4"], name="Mô hình mới",
                           max_points="2,5", kind="thuong")
    fill(cs, cs.dongda, cs.officer_dongda, {"1": 90, "2": 1, "3": 35, "4": 2, "5": 0})
    with pytest.raises(ApplicationError, match="Đã có đơn vị gửi bảng điểm"):
        setup.criterion_update(actor=cs.officer_ldld, criterion=crit["2"], name="Ký giao ước",
                               max_points=10, kind="co_khong")


def test_the_setup_page_edits_a_criterion_then_says_it_no_longer_can(world: World):
    cs = make_clusters(world)
    crit = cs.criteria
    issuer = _client(cs.officer_ldld)
    detail = reverse("clusters:detail", args=[cs.one.pk])
    assert "Lưu tiêu chí" in issuer.get(detail).content.decode()
    manage = reverse("clusters:manage", args=[cs.one.pk])
    r = issuer.post(manage, {"action": "criterion_update", "criterion": crit["3"].pk,
                             "name": "Chăm lo đời sống, việc làm", "kind": "tu_cham",
                             "max_points": "35", "target": "", "unit_label": ""}, follow=True)
    assert "Đã sửa tiêu chí 3." in r.content.decode()
    crit["3"].refresh_from_db()
    assert (crit["3"].name, crit["3"].max_points) == ("Chăm lo đời sống, việc làm", 35)
    r = issuer.post(manage, {"action": "criterion_update", "criterion": crit["3"].pk,
                             "name": "", "kind": "tu_cham", "max_points": "35"}, follow=True)
    assert "Hãy nhập nội dung tiêu chí." in r.content.decode()
    fill(cs, cs.dongda, cs.officer_dongda, {"1": 90, "2": 1, "3": 30, "4": 2, "5": 0})
    page = issuer.get(detail).content.decode()
    assert "Lưu tiêu chí" not in page and "bảng tiêu chí không sửa được nữa" in page
    r = issuer.post(manage, {"action": "criterion_update", "criterion": crit["3"].pk,
                             "name": "Chăm lo", "kind": "tu_cham", "max_points": "30"},
                    follow=True)
    assert "Đã có đơn vị gửi bảng điểm: không sửa tiêu chí được nữa" in r.content.decode()


def test_the_issuers_list_sums_up_each_clusters_ranking(world: World):
    cs = scored(world, ["it_diem_tru"])
    page = _client(cs.officer_ldld).get(
        reverse("clusters:list", args=["LDLD-HN", cs.one.year])).content.decode()
    leader = selectors.ranking(cs.one)[0]
    assert leader.membership.unit == world.cdvc
    assert f"{world.cdvc.name} ({leader.totals.total.normalize():f} điểm)" in page
    assert "3/3" in page  # Cụm 1: every sheet checked
    assert "0/2" in page and "Chưa có điểm" in page  # Cụm 2: nothing scored yet


def test_the_pages_cite_the_rules_source_or_say_they_are_settings(world: World):
    cs = make_clusters(world)
    m = cs.member(cs.one, cs.dongda)
    sheet_url = reverse("clusters:sheet", args=[m.pk])
    ranking_url = reverse("clusters:suy-ton", args=[cs.one.pk])
    dd = _client(cs.officer_dongda)
    assert "Đây là cài đặt của hệ thống" in dd.get(sheet_url).content.decode()
    assert "(cài đặt, chưa ghi căn cứ)" in dd.get(ranking_url).content.decode()
    source = "Quy chế hoạt động cụm, khối thi đua ban hành kèm Quyết định số 12/QĐ-LĐLĐ"
    setup.rules_set(actor=cs.officer_ldld, issuer=world.hn, year=cs.one.year,
                    tie_breaks=["it_diem_tru"], source=source)
    assert f"quy định của đơn vị lập cụm: {source}" in dd.get(sheet_url).content.decode()
    assert f"Quy định của đơn vị lập cụm ({source})" in dd.get(ranking_url).content.decode()
