"""The plan pages: issuing and deploying in one go, the coverage page with the acknowledge and
launch actions, the list and the deploy form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from thidua.movements.models import Deployment, Plan
from thidua.movements.tests.helpers import YEAR, deployed_plan, movement, typed_unit_field
from thidua.platform import forms as platform_forms

pytestmark = pytest.mark.django_db
D = dt.date


def _html(response) -> str:
    return response.content.decode()


def test_plan_create_and_deploy_in_one_go(client, world):
    m = movement(world)
    client.force_login(world.officer_above)
    page = client.get(reverse("movements:plan-create") + f"?phong_trao={m.pk}")
    assert page.status_code == 200 and "Lao động giỏi" in _html(page)
    response = client.post(reverse("movements:plan-create"), {
        "issuer": "CDVC-HN", "number": "04/KH-CĐVC", "date": f"10/01/{YEAR}",
        "title": "Kế hoạch triển khai", "movements": [str(m.pk)], "deadline": f"15/02/{YEAR}",
        "levels": ["cdcs"]})
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert plan.deployments.count() == 2
    html = _html(client.get(reverse("movements:plan", args=[plan.pk])))
    assert "<strong>0/2 công đoàn cơ sở</strong> triển khai" in html
    assert "Chưa tiếp nhận (2)" in html and "Công đoàn Sở Y tế" in html


def test_coverage_page_acknowledge_and_launch(client, world, django_assert_max_num_queries):
    plan = deployed_plan(world)
    dep = plan.deployments.get(unit=world.cdcs_a)
    client.force_login(world.officer_cdcs)
    url = reverse("movements:plan", args=[plan.pk])
    html = _html(client.get(url))
    assert "Báo cáo đã phát động" in html and "Công đoàn Sở Y tế" not in html  # scoped
    assert client.post(reverse("movements:deployment-acknowledge", args=[dep.pk])).status_code \
        == 302
    response = client.post(reverse("movements:deployment-launch", args=[dep.pk]),
                           {"launched_on": f"20/01/{YEAR}", "note": "Hội nghị CBCCVC"})
    assert response.status_code == 302
    dep.refresh_from_db()
    assert dep.launched_on == D(YEAR, 1, 20) and dep.note == "Hội nghị CBCCVC"
    client.force_login(world.officer_above)
    with django_assert_max_num_queries(16):
        html = _html(client.get(url))
    assert "<strong>1/2 công đoàn cơ sở</strong> triển khai" in html
    assert "50% công đoàn cơ sở đã phát động" in html
    assert "Chưa báo cáo phát động (1)" in html
    # a refusal comes back as a message, nothing changes
    response = client.post(reverse("movements:deployment-launch", args=[dep.pk]),
                           {"launched_on": f"20/01/{YEAR}"}, follow=True)
    assert "đã báo cáo phát động ngày" in _html(response)


def test_deployment_actions_outside_scope_are_404(client, world):
    plan = deployed_plan(world)
    dep = plan.deployments.get(unit=world.cdcs_b)
    client.force_login(world.officer_cdcs)
    assert client.post(reverse("movements:deployment-launch", args=[dep.pk]),
                       {"launched_on": f"20/01/{YEAR}"}).status_code == 404
    client.force_login(world.viewer)
    assert client.post(reverse("movements:deployment-acknowledge", args=[dep.pk])).status_code \
        == 403
    assert not Deployment.objects.filter(acknowledged_at__isnull=False).exists()


def test_plan_list_and_deploy_form(client, world):
    plan = deployed_plan(world)
    client.force_login(world.officer_above)
    html = _html(client.get(reverse("movements:plans")))
    assert plan.number in html and "0/2 đơn vị" in html
    response = client.post(reverse("movements:plan-deploy", args=[plan.pk]), {"levels": []})
    assert response.status_code == 400 and "ít nhất một cấp" in _html(response)
    response = client.post(reverse("movements:plan-deploy", args=[plan.pk]),
                           {"levels": ["to_cd"]})
    assert response.status_code == 302 and plan.deployments.count() == 3


def test_a_wide_scope_types_the_issuing_units_code(client, world, monkeypatch):
    """Beyond `UNIT_CHOICES` units the officer types the issuing unit's code; the form opens on
    the first unit they manage under the movement's issuer."""
    m = movement(world)  # launched by CDVC-HN
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    client.force_login(world.leader)  # LĐLĐ Hà Nội: 7 units
    url = reverse("movements:plan-create")
    field, suggested = typed_unit_field(_html(client.get(url, {"phong_trao": m.pk})), "issuer")
    assert 'value="CDVC-HN"' in field
    assert 'value="LDLD-HN"' in suggested and "CDCS-A" not in suggested
    data = {"number": "02/KH-CĐCS", "date": f"10/01/{YEAR}", "title": "Kế hoạch triển khai",
            "movements": [str(m.pk)], "deadline": "", "levels": ["to_cd"]}
    response = client.post(url, {**data, "issuer": "cdcs-a"})
    plan = Plan.objects.get()
    assert response.status_code == 302 and plan.issuer == world.cdcs_a
    assert [d.unit for d in plan.deployments.all()] == [world.to_a1]
    for code in ("tld", "khong-co"):
        refused = client.post(url, {**data, "issuer": code})
        assert refused.status_code == 400
        assert (f"Không có đơn vị mã «{code.upper()}» trong các đơn vị bạn làm cán bộ"
                in _html(refused))
    assert Plan.objects.count() == 1
