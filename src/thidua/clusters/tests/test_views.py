"""The cluster pages: the issuer's list and set-up, the cluster page as seen by a member and by
an outsider, the pledge with its signatures and .docx, the sheet a member fills and the head
checks."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from thidua.audit.models import AuditEntry
from thidua.clusters.models import Cluster, ClusterRules, SheetStatus
from thidua.clusters.tests.helpers import YEAR, Clusters, fill, make_clusters
from thidua.testing import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def cs(world: World) -> Clusters:
    return make_clusters(world)


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_issuer_lists_creates_and_sets_rules(cs: Clusters):
    c = _client(cs.officer_ldld)
    url = reverse("clusters:list", args=["LDLD-HN", YEAR])
    page = c.get(url).content.decode()
    assert "Cụm thi đua số 1" in page and "Cụm thi đua số 2" in page
    assert "Công đoàn Viên chức thành phố Hà Nội" in page  # the head of Cụm 1
    r = c.post(url, {"action": "create", "kind": "khoi", "number": "1", "name": "Khối ngành"})
    assert r.status_code == 302
    assert Cluster.objects.filter(kind="khoi", number=1, name="Khối ngành").exists()
    c.post(url, {"action": "rules", "tie": ["it_diem_tru", "nhieu_diem_thuong"], "vote_num": "1",
                 "vote_den": "2", "flag_count": "1", "merit_count": "2", "source": ""})
    rules = ClusterRules.objects.get(issuer=cs.world.hn, year=YEAR)
    assert (rules.tie_breaks, rules.flag_form, rules.merit_form, rules.merit_count) == (
        "it_diem_tru,nhieu_diem_thuong", "CO_TD_XS_LDLD", "BK_LDLD", 2)
    # a member's officer sees the clusters it is in, and may not set anything up
    dd = _client(cs.officer_dongda)
    page = dd.get(reverse("clusters:list", args=["LDLD-DD", YEAR])).content.decode()
    assert "Cụm, khối đơn vị tham gia" in page and "Cụm thi đua số 1" in page
    assert dd.get(url).status_code == 404


def test_cluster_page_scope_and_figures(cs: Clusters, django_assert_num_queries):
    fill(cs, cs.dongda, cs.officer_dongda, {"1": 100, "2": 1, "3": 30, "4": 2, "5": 1})
    url = reverse("clusters:detail", args=[cs.one.pk])
    dd = _client(cs.officer_dongda)
    dd.get(url)  # warm the session and the grants
    with django_assert_num_queries(11):
        page = dd.get(url).content.decode()
    assert "<strong>91</strong>" in page  # 40 + 20 + 30 + 2 − 1, the total every member sees
    own = reverse("clusters:sheet", args=[cs.member(cs.one, cs.dongda).pk])
    other = reverse("clusters:sheet", args=[cs.member(cs.one, cs.badinh).pk])
    assert own in page and other not in page
    assert dd.get(other).status_code == 404
    hbt = _client(cs.officer_hbt)
    assert hbt.get(url).status_code == 404
    assert hbt.get(own).status_code == 404
    assert hbt.get(reverse("clusters:pledge", args=[cs.one.pk])).status_code == 404


def test_issuer_sets_members_and_criteria_from_the_page(cs: Clusters):
    c = _client(cs.officer_ldld)
    manage = reverse("clusters:manage", args=[cs.two.pk])
    r = c.post(manage, {"action": "member_add", "unit": cs.badinh.pk, "role": "thanh_vien"},
               follow=True)
    assert "đã ở Cụm thi đua số 1" in r.content.decode()
    gl = cs.member(cs.two, cs.gialam)
    c.post(manage, {"action": "member_role", "membership": gl.pk, "role": "truong"})
    assert cs.member(cs.two, cs.gialam).role == "truong"
    assert cs.member(cs.two, cs.world.hbt).role == "thanh_vien"  # one head per year
    c.post(manage, {"action": "criterion_add", "code": "6", "name": "Sáng kiến", "kind": "chi_tieu",
                    "max_points": "10", "target": "3", "source": "sang_kien"})
    crit = cs.two.criteria.get(code="6")
    c.post(manage, {"action": "target_set", "criterion": crit.pk, "membership": gl.pk,
                    "value": "5"})
    assert crit.targets.get().value == 5
    # a member's officer is refused with the reason
    r = _client(cs.officer_hbt).post(manage, {"action": "criterion_remove",
                                              "criterion": crit.pk})
    assert r.status_code == 403 and cs.two.criteria.filter(code="6").exists()


def test_pledge_signed_on_the_page_and_as_docx(cs: Clusters):
    dd = _client(cs.officer_dongda)
    url = reverse("clusters:pledge", args=[cs.one.pk])
    m = cs.member(cs.one, cs.dongda)
    page = dd.get(url).content.decode()
    assert "Ký giao ước cho Liên đoàn Lao động quận Đống Đa" in page
    assert "Ký giao ước cho Liên đoàn Lao động quận Ba Đình" not in page
    r = dd.post(url, {"action": "sign", "membership": m.pk, "signer_name": "Phạm Văn Bình",
                      "signer_title": "Chủ tịch", "signed_on": "20/02/2024"})
    assert r.status_code == 302
    text = _docx_text(dd.get(reverse("clusters:pledge-docx", args=[cs.one.pk])).content)
    assert "GIAO ƯỚC THI ĐUA" in text and "100% CĐCS phát động phong trào thi đua." in text
    assert "Phạm Văn Bình (Chủ tịch)" in text and "20/02/2024" in text and "Chưa ký" in text


def test_member_fills_sheet_with_evidence_head_checks(cs: Clusters, world: World):
    m = cs.member(cs.one, cs.dongda)
    url = reverse("clusters:sheet", args=[m.pk])
    crit = cs.criteria
    dd = _client(cs.officer_dongda)
    page = dd.get(url).content.decode()
    assert "Số liệu hệ thống" in page and 'inputmode="decimal"' in page
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    data = {"action": "save", f"c{crit['1'].pk}": "90", f"n{crit['1'].pk}": "Báo cáo số 12",
            f"f{crit['1'].pk}": pdf, f"c{crit['2'].pk}": "1", f"c{crit['3'].pk}": "abc"}
    r = dd.post(url, data, follow=True)
    assert "không phải là số" in r.content.decode()
    assert not m.scores.exists()  # nothing of the refused save is kept
    pdf.seek(0)
    data[f"c{crit['3'].pk}"] = "35,5"
    data.update({f"c{crit['4'].pk}": "0", f"c{crit['5'].pk}": "0", "action": "submit"})
    r = dd.post(url, data)
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.sheet_status == SheetStatus.SUBMITTED
    s1 = m.scores.get(criterion=crit["1"])
    assert (s1.points, s1.note, s1.original_name) == (Decimal("36.00"), "Báo cáo số 12",
                                                      "bao-cao.pdf")
    assert dd.get(reverse("clusters:evidence", args=[s1.pk])).status_code == 200
    assert _client(cs.officer_badinh).get(
        reverse("clusters:evidence", args=[s1.pk])).status_code == 404
    head = _client(world.officer_above)
    r = head.post(url, {"action": "check", f"k{crit['3'].pk}": "30",
                        f"kn{crit['3'].pk}": "Thiếu minh chứng", "check_note": "Đạt"})
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.sheet_status == SheetStatus.CHECKED
    assert m.scores.get(criterion=crit["3"]).checked_points == 30
    text = _docx_text(head.get(reverse("clusters:sheet-docx", args=[m.pk])).content)
    assert "BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2024" in text and "86" in text  # 36 + 20 + 30
    assert AuditEntry.objects.filter(action="cluster.evidence_attach").count() == 1
