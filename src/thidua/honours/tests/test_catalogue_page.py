"""The catalogue page /quan-tri/danh-muc-khen-thuong/: administrators read it, an administrator
of the whole tree edits it, everybody else gets the 404 of every administration page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from thidua.accounts.services import role_grant_create
from thidua.honours import catalogue
from thidua.honours.models import BaseSalaryEdit, CashRateEdit, FormEdit, QuotaEdit
from thidua.honours.services.catalogue import cash_rate_set
from thidua.testing import World, make_user

pytestmark = pytest.mark.django_db

URL = "/quan-tri/danh-muc-khen-thuong/"
SOURCE = "Quyết định 12/QĐ-TLĐ ngày 01/03/2026"


@pytest.fixture
def branch_admin(world: World) -> Any:
    user = make_user("quantri_cdvc")
    role_grant_create(actor=None, user=user, unit=world.cdvc, role="admin")
    return user


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_url_is_the_administration_one() -> None:
    assert reverse("honours:catalogue") == URL


def test_an_officer_gets_the_same_404_as_other_administration_pages(world: World) -> None:
    officer = _client(world.officer_cdcs)
    page = officer.get(URL)
    other = officer.get(reverse("accounts:list"))
    assert page.status_code == other.status_code == 404
    assert officer.post(URL, {"muc": "luong-co-so"}).status_code == 404
    assert _client(world.member_user).get(URL).status_code == 404
    assert Client().get(URL).status_code == 302


def test_the_page_shows_forms_cash_and_salary(world: World) -> None:
    response = _client(world.admin).get(URL)
    assert response.status_code == 200
    text = _text(response)
    assert "Hình thức khen thưởng của Công đoàn" in text
    assert "Giấy khen của Ban Chấp hành công đoàn cơ sở" in text or "GK_CDCS" in text
    assert "2.340.000" in text and "01/07/2024" in text  # NĐ 73/2024
    assert "702.000" in text  # Lao động tiên tiến: 0,3 × 2.340.000
    assert "chưa đặt mức" in text
    assert "Mức thưởng của công đoàn chưa đặt" in text
    assert "Đặt mức tiền thưởng" in text and "Thêm mức lương cơ sở" in text


def test_a_branch_administrator_reads_but_cannot_edit(world: World, branch_admin: Any) -> None:
    c = _client(branch_admin)
    page = c.get(URL)
    assert page.status_code == 200 and "Đặt mức tiền thưởng" not in _text(page)
    refused = c.post(URL, {"muc": "luong-co-so", "lcs-amount": "2.530.000",
                           "lcs-valid_from": "01/07/2026", "lcs-source": SOURCE})
    assert refused.status_code == 403
    assert BaseSalaryEdit.objects.count() == 0


def test_an_administrator_adds_a_base_salary_row_that_applies_from_its_date(world: World) -> None:
    c = _client(world.admin)
    response = c.post(URL, {"muc": "luong-co-so", "lcs-amount": "2.530.000",
                            "lcs-valid_from": "01/07/2026", "lcs-source": SOURCE})
    assert response.status_code == 302
    assert catalogue.base_salary(dt.date(2026, 6, 30)) == 2_340_000
    assert catalogue.base_salary(dt.date(2026, 7, 1)) == 2_530_000
    text = _text(c.get(URL))
    assert "2.530.000" in text and "Lương cơ sở" in text and SOURCE in text


def test_a_cash_rate_is_set_and_shown_in_the_history(world: World) -> None:
    c = _client(world.admin)
    response = c.post(URL, {"muc": "muc-thuong", "mt-form": "GK_CDCS", "mt-recipient": "",
                            "mt-multiple": "0,15", "mt-valid_from": "01/01/2025",
                            "mt-source": SOURCE})
    assert response.status_code == 302, _text(response)
    assert catalogue.cash_amount("GK_CDCS", dt.date(2025, 8, 1)) == 351_000
    text = _text(c.get(URL))
    assert "0,15 × lương cơ sở" in text and "351.000" in text


@pytest.mark.parametrize(("data", "message"), [
    ({"mt-source": ""}, "Hãy nhập căn cứ."),
    ({"mt-source": "abc"}, "Hãy ghi căn cứ"),
    ({"mt-multiple": "-0,5"}, "Hệ số không được âm."),
    ({"mt-valid_from": "31/02/2026"}, "Ngày không hợp lệ"),
    ({"mt-valid_from": "01/06/2025", "mt-valid_to": "01/01/2026"}, "chồng lên"),
])
def test_a_refused_cash_rate_shows_its_message_beside_the_field(
        world: World, data: dict[str, str], message: str) -> None:
    cash_rate_set(actor=world.admin, code="GK_CDCS", recipient="", multiple="0.15",
                  valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2026, 1, 1), source=SOURCE)
    post = {"muc": "muc-thuong", "mt-form": "GK_CDCS", "mt-recipient": "", "mt-multiple": "0,2",
            "mt-valid_from": "01/01/2026", "mt-source": SOURCE, **data}
    response = _client(world.admin).post(URL, post)
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'<p class="error" id="id_mt-[a-z_]+-loi">[^<]*' + re.escape(message), html)
    assert '<details class="panel card" id="muc-thuong" open>' in html
    assert CashRateEdit.objects.count() == 1


def test_a_quota_is_changed_and_a_form_ended(world: World) -> None:
    c = _client(world.admin)
    assert c.post(URL, {"muc": "ty-le", "tl-quota": "BK_TLD_CHUYEN_DE|BK_TLD_CHUYEN_DE_MOI_LDLD",
                        "tl-value": "6", "tl-valid_from": "01/01/2025",
                        "tl-source": SOURCE}).status_code == 302
    assert QuotaEdit.objects.get().value == 6
    assert c.post(URL, {"muc": "ket-thuc", "kt-form": "GK_CAP_TREN",
                        "kt-form_valid_to": "01/01/2025", "kt-source": SOURCE}).status_code == 302
    assert FormEdit.objects.get().form_valid_to == dt.date(2025, 1, 1)
    text = _text(c.get(URL))
    assert "đang áp dụng: 6" in text and "hết hiệu lực" in text
    again = c.post(URL, {"muc": "ket-thuc", "kt-form": "GK_CAP_TREN",
                         "kt-form_valid_to": "01/01/2025", "kt-source": SOURCE})
    assert again.status_code == 400 and "id_kt-form_valid_to-loi" in again.content.decode()


def test_the_page_query_count_is_pinned(world: World, django_assert_max_num_queries: Any) -> None:
    for i, code in enumerate(("GK_CDCS", "BK_LDLD", "CO_TD_LDLD", "GK_CAP_TREN")):
        cash_rate_set(actor=world.admin, code=code, recipient="", multiple=f"0.{i + 1}",
                      valid_from=dt.date(2025, 1, 1), source=SOURCE)
    c = _client(world.admin)
    with django_assert_max_num_queries(7):
        assert c.get(URL).status_code == 200
