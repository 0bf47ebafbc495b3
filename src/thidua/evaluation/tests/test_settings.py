"""Issuer settings (issue 8 §2 "Registration", exclusions, CSTĐ cơ sở vote share before 2024):
stored per unit and years, set by the unit's officers, read into the pure engine as overrides."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.test import Client
from django.urls import reverse

from thidua.audit.models import AuditEntry
from thidua.evaluation import services
from thidua.evaluation.engine import evaluate_person
from thidua.evaluation.models import EvaluationSetting
from thidua.evaluation.thresholds import threshold_for
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.rules.tests.factories import person

pytestmark = pytest.mark.django_db


def _set(world, key, value, year_from=2024, year_to=None, unit=None, actor=None):
    return services.setting_set(actor=actor or world.officer_cdcs, unit=unit or world.cdcs_a,
                                key=key, year_from=year_from, year_to=year_to, value=value,
                                source="Quy chế thi đua của CĐCS năm 2024")


def test_registration_setting_changes_the_rule_for_the_unit_and_its_subtree(world):
    """From 2024 registration is not a condition by default (Luật 06/2022 Điều 7); an issuer
    that requires it says so, and the rule then cites the issuer's own decision."""
    facts = person(2024, registered={})
    assert evaluate_person(facts)["titles"]["LDTT"]["eligible"]
    _set(world, "registration_required", "có")
    overrides = services.overrides_for(world.to_a1, 2024)  # the tổ CĐ under CDCS-A
    out = evaluate_person(facts, overrides=overrides)["titles"]["LDTT"]
    assert not out["eligible"]
    r = next(r for r in out["reasons"] if r["rule_id"] == "LDTT.dang_ky")
    assert r["source"].startswith("Thực tiễn địa phương, Quy chế thi đua của CĐCS năm 2024")
    assert services.overrides_for(world.cdcs_b, 2024) == {}  # a sibling keeps the default
    assert services.overrides_for(world.cdcs_a, 2023) == {}  # years outside the range


def test_exclusion_settings_and_the_nearest_unit_wins(world):
    facts = person(2024, service_months={"2024": 9})
    assert not evaluate_person(facts)["titles"]["LDTT"]["eligible"]
    _set(world, "min_service_months", "6", unit=world.cdvc, actor=world.officer_above)
    assert evaluate_person(facts, overrides=services.overrides_for(world.to_a1, 2024)
                           )["titles"]["LDTT"]["eligible"]
    _set(world, "min_service_months", "12")
    assert not evaluate_person(facts, overrides=services.overrides_for(world.to_a1, 2024)
                               )["titles"]["LDTT"]["eligible"]


def test_setting_is_checked_audited_and_scoped(world):
    with pytest.raises(ApplicationError, match="từ 0 đến 12"):
        _set(world, "min_service_months", "13")
    with pytest.raises(ApplicationError, match="danh mục"):
        _set(world, "khong_co", "1")
    with pytest.raises((NotFoundError, PermissionDeniedError)):
        _set(world, "min_service_months", "8", actor=world.outsider)
    row = _set(world, "min_service_months", "8")
    assert row.value == 8
    assert AuditEntry.objects.filter(action="evaluation.setting_set").count() == 1
    services.setting_delete(actor=world.officer_cdcs, unit=world.cdcs_a, setting_id=row.pk)
    assert not EvaluationSetting.objects.exists()


def test_cstdcs_vote_share_before_2024_is_the_issuers_setting__nd91_art45_8(world):
    assert threshold_for("CSTDCS", 2023, world.cdcs_a).source.startswith("Thực tiễn địa phương")
    _set(world, "vote_percent_CSTDCS", "75", year_from=2017, year_to=2023)
    t = threshold_for("CSTDCS", 2023, world.cdcs_a)
    assert t.share == Fraction(3, 4) and "Quy chế thi đua của CĐCS" in t.source
    # the body's own rule is a basis the minutes cite, not a local-practice default
    assert not t.source.startswith("Thực tiễn địa phương")
    # From 2024 NĐ 98/2023 sets it: the issuer's value does not apply.
    _set(world, "vote_percent_CSTDCS", "75", year_from=2024)
    assert threshold_for("CSTDCS", 2024, world.cdcs_a).share == Fraction(4, 5)


def test_settings_page_for_officers_and_404_for_outsiders(world):
    url = reverse("evaluation:settings", args=["CDCS-A", 2024])
    officer, outsider = Client(), Client()
    officer.force_login(world.officer_cdcs)
    outsider.force_login(world.outsider)
    page = officer.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Đăng ký thi đua là điều kiện xét" in text and "Luật 06/2022/QH15, Điều 7" in text
    assert outsider.get(url).status_code == 404
    response = officer.post(url, {"key": "absence_limit_days", "value": "30",
                                  "year_from": "2024", "source": "Quy chế CĐCS 2024"})
    assert response.status_code in (302, 303)
    assert EvaluationSetting.objects.get().value == 30
    assert outsider.post(url, {"key": "absence_limit_days", "value": "20",
                               "source": "xxxxxx"}).status_code == 404


def test_the_page_speaks_labels_takes_them_and_keeps_what_was_typed(world):
    url = reverse("evaluation:settings", args=["CDCS-A", 2024])
    officer = Client()
    officer.force_login(world.officer_cdcs)
    text = officer.get(url).content.decode()
    assert "Khiển trách" in text and ">khien_trach<" not in text  # a label, not a code
    # a bad value: the page again, the message beside the form, nothing typed is lost
    bad = officer.post(url, {"key": "discipline_excludes_from", "value": "nặng lắm",
                             "year_from": "2024", "source": "Quy chế CĐCS năm 2024"})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "Giá trị phải là một trong" in page and 'value="nặng lắm"' in page
    assert 'value="Quy chế CĐCS năm 2024"' in page
    # the label as the page shows it, typed without marks, is understood
    ok = officer.post(url, {"key": "discipline_excludes_from", "value": "canh cao",
                            "year_from": "2024", "source": "Quy chế CĐCS năm 2024"})
    assert ok.status_code == 302
    assert EvaluationSetting.objects.get(key="discipline_excludes_from").value == "canh_cao"
