"""The novelty panel with the real thidua.initiatives.similarity package (skipped until it is
installed): a paraphrase typed without diacritics finds the earlier initiative first, with its
passages marked, and the one outside the user's scope is only counted."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from thidua.initiatives import novelty, services
from thidua.initiatives.models import Status
from thidua.initiatives.services import AuthorInput
from thidua.platform.text import fold
from thidua.testing import make_person

pytestmark = pytest.mark.django_db
QUERY_TITLE = "phieu hen co ma QR de tra cuu ho so"


@pytest.fixture(autouse=True)
def real_index():
    try:
        novelty._similarity()
    except ImportError:
        pytest.skip("thidua.initiatives.similarity is not installed yet")
    novelty.forget_index()
    yield
    novelty.forget_index()


def _submit(world, unit, officer, title, description):
    person = make_person(unit, f"Tác Giả {title[:12]}", actor=world.admin)
    ini = services.initiative_create(
        actor=officer, unit=unit, year=2023, title=title, field="Hành chính", kind="tac_nghiep",
        description=description,
        authors=[AuthorInput(person_id=person.pk, contribution=Decimal(100))])
    return services.initiative_transition(actor=officer, initiative=ini, to=Status.SUBMITTED)


def test_paraphrase_without_diacritics(world):
    target = _submit(world, world.cdcs_a, world.officer_cdcs,
                     "Phiếu hẹn trả kết quả có mã QR tra cứu tiến độ hồ sơ",
                     "In mã QR trên phiếu hẹn, người dân quét mã là xem được hồ sơ đang ở bước "
                     "nào, không phải gọi điện hỏi bộ phận một cửa.")
    _submit(world, world.cdcs_a, world.officer_cdcs,
            "Kiểm tra an toàn thực phẩm theo danh sách rủi ro",
            "Chấm điểm rủi ro từng cơ sở kinh doanh ăn uống để lập kế hoạch kiểm tra.")
    hidden = _submit(world, world.cdcs_c, world.outsider,
                     "Mã QR trên phiếu hẹn để tra cứu tiến độ giải quyết hồ sơ",
                     "Người dân quét mã QR in trên phiếu hẹn để biết hồ sơ đang ở bước nào.")
    result = novelty.similar_initiatives(
        user=world.officer_cdcs, title=QUERY_TITLE,
        text="nguoi dan quet ma QR tren phieu hen de xem ho so dang o buoc nao")
    assert result.searched and result.visible
    assert result.visible[0].id == target.pk
    marked = re.findall(r"<mark>(.*?)</mark>", result.visible[0].title_html)
    assert marked, result.visible[0].title_html
    query_words = set(fold(QUERY_TITLE).split())
    for passage in marked:  # the marks sit on the earlier initiative's own words
        assert set(fold(passage).split()) <= query_words, passage
    assert hidden.pk not in [m.id for m in result.visible]
    assert result.hidden_count >= 1


def test_the_panel_prints_its_calibrated_floor(client, world, settings):
    """With matches or without, the panel says from which similarity it shows one."""
    _submit(world, world.cdcs_a, world.officer_cdcs,
            "Phiếu hẹn trả kết quả có mã QR tra cứu tiến độ hồ sơ",
            "In mã QR trên phiếu hẹn, người dân quét mã là xem được hồ sơ đang ở bước "
            "nào, không phải gọi điện hỏi bộ phận một cửa.")
    floor = f"mức giống nhau từ {settings.THIDUA_NOVELTY_MIN_PERCENT}% trở lên"
    client.force_login(world.officer_cdcs)
    url = reverse("initiatives:similar")
    found = client.post(url, {"title": QUERY_TITLE, "description": "nguoi dan quet ma QR tren "
                              "phieu hen de xem ho so dang o buoc nao"}).content.decode()
    assert "sk-similar-item" in found and floor in found
    nothing = client.post(url, {"title": "Sắp xếp kho lưu trữ hồ sơ cán bộ theo mã màu",
                                "description": "Dán nhãn màu theo năm trên gáy hồ sơ."})
    assert floor in nothing.content.decode()
