"""Recognition once per level with its certificate, and the one-commendation rule for
uses in award dossiers (Công văn 5007/BNV-TĐKT)."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.initiatives import services
from thidua.initiatives.models import (
    InitiativeUse,
    Level,
    Recognition,
    Status,
    StatusChange,
    UseKind,
)
from thidua.initiatives.tests.helpers import council, recognised, submitted, vote
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.testing import make_person

pytestmark = pytest.mark.django_db
D = dt.date


def test_recognised_once_per_level(world):
    ini = recognised(world)
    assert ini.status == Status.RECOGNIZED
    rec = ini.recognitions.get()
    assert rec.certificate_no.endswith("/GCN-SK") and rec.review is not None
    with pytest.raises(ApplicationError) as exc:
        services.recognition_create(actor=world.officer_cdcs, initiative=ini, level=Level.CO_SO,
                                    decided_on=D(2024, 1, 5), decision_no="2/QĐ",
                                    issuer="Giám đốc Sở")
    assert "một lần ở mỗi cấp" in exc.value.message and "45/QĐ-STP" in exc.value.message
    city = services.recognition_create(
        actor=world.officer_cdcs, initiative=ini, level=Level.TINH, decided_on=D(2024, 3, 1),
        decision_no="1234/QĐ-UBND", issuer="Chủ tịch UBND thành phố Hà Nội",
        certificate_no="SKTĐ-2024-015")
    assert city.year == 2024 and city.certificate_no == "SKTĐ-2024-015"
    assert Recognition.objects.filter(initiative=ini).count() == 2


def test_recognition_needs_the_council_pass_at_its_level(world):
    ini = submitted(world)
    with pytest.raises(ApplicationError, match="Hội đồng sáng kiến"):
        services.recognition_create(actor=world.officer_cdcs, initiative=ini, level=Level.CO_SO,
                                    decided_on=D(2023, 5, 1), decision_no="1", issuer="X")
    c, _ = council(world)
    review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    with pytest.raises(ApplicationError, match="biểu quyết thông qua"):
        services.recognition_create(actor=world.officer_cdcs, initiative=ini, level=Level.CO_SO,
                                    decided_on=D(2023, 5, 1), decision_no="1", issuer="X")
    vote(world, review, 3)
    services.review_close(actor=world.officer_cdcs, review=review)
    with pytest.raises(ApplicationError, match="hãy chọn đúng cấp"):
        services.recognition_create(actor=world.officer_cdcs, initiative=ini, level=Level.TINH,
                                    decided_on=D(2023, 5, 1), decision_no="1", issuer="X")
    with pytest.raises(ApplicationError, match="tương lai"):
        services.recognition_create(actor=world.officer_cdcs, initiative=ini, level=Level.CO_SO,
                                    decided_on=D(2099, 5, 1), decision_no="1", issuer="X")
    with pytest.raises(NotFoundError):
        services.recognition_create(actor=world.outsider, initiative=ini, level=Level.CO_SO,
                                    decided_on=D(2023, 5, 1), decision_no="1", issuer="X")


def test_a_failed_initiative_cannot_be_recognised(world):
    ini = submitted(world)
    c, _ = council(world)
    review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    vote(world, review, 1, 2)
    services.review_close(actor=world.officer_cdcs, review=review)
    with pytest.raises(ApplicationError):
        services.recognition_create(actor=world.officer_cdcs, initiative=ini, level=Level.CO_SO,
                                    decided_on=D(2023, 5, 1), decision_no="1", issuer="X")
    assert StatusChange.objects.filter(initiative=ini, to_status=Status.NOT_RECOGNIZED,
                                       reason__contains="1/3 thành viên đồng ý").exists()


def test_one_initiative_backs_one_commendation(world):
    ini = recognised(world)
    first = services.initiative_use_record(
        actor=world.officer_cdcs, initiative=ini, kind=UseKind.COMMENDATION,
        reference="Bằng khen của Chủ tịch UBND Thành phố năm 2023", year=2023, person=world.member)
    assert first.warnings == []
    with pytest.raises(ApplicationError) as exc:
        services.initiative_use_record(actor=world.officer_cdcs, initiative=ini,
                                       kind=UseKind.COMMENDATION,
                                       reference="Giấy khen của LĐLĐ quận", year=2024)
    assert "5007/BNV-TĐKT" in exc.value.message and exc.value.extra["used_for"] == first.use.pk
    reused = services.initiative_use_record(actor=world.officer_cdcs, initiative=ini,
                                            kind=UseKind.TITLE, reference="CSTĐ cơ sở 2024",
                                            year=2024)
    assert len(reused.warnings) == 1 and "Bằng khen" in reused.warnings[0]
    assert reused.use.warning == reused.warnings[0]
    assert InitiativeUse.objects.filter(initiative=ini).count() == 2


def test_a_commendation_after_a_title_warns(world):
    ini = recognised(world)
    services.initiative_use_record(actor=world.officer_cdcs, initiative=ini, kind=UseKind.TITLE,
                                   reference="CSTĐ cơ sở 2023", year=2023)
    result = services.initiative_use_record(actor=world.officer_cdcs, initiative=ini,
                                            kind=UseKind.COMMENDATION,
                                            reference="Bằng khen LĐLĐ TP", year=2024)
    assert result.warnings and "CSTĐ cơ sở 2023" in result.warnings[0]


def test_only_recognised_initiatives_and_their_authors_are_used(world):
    ini = submitted(world)
    with pytest.raises(ApplicationError, match="đã được công nhận"):
        services.initiative_use_record(actor=world.officer_cdcs, initiative=ini,
                                       kind=UseKind.TITLE, reference="x", year=2023)
    done = recognised(world, title="Một sáng kiến khác")
    stranger = make_person(world.cdcs_a, "Hoàng Văn Lạ", actor=world.admin)
    with pytest.raises(ApplicationError, match="không phải tác giả"):
        services.initiative_use_record(actor=world.officer_cdcs, initiative=done,
                                       kind=UseKind.TITLE, reference="x", year=2023,
                                       person=stranger)
