"""Plans and their deployment: who is reached, acknowledgement and launch by the receiving units,
and every refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.audit.models import AuditEntry
from thidua.movements import services
from thidua.movements.models import Deployment, Plan
from thidua.movements.tests.helpers import YEAR, deployed_plan, movement
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError

pytestmark = pytest.mark.django_db
D = dt.date


def _last_audit() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq").first()  # type: ignore[return-value]


def test_deploy_to_all_cdcs_then_to_the_groups(world):
    plan = deployed_plan(world)
    assert set(plan.deployments.values_list("unit__code", flat=True)) == {"CDCS-A", "CDCS-B"}
    assert plan.levels == ["cdcs"] and plan.deployed_at is not None
    assert _last_audit().action == "plan.deploy"
    # again: nobody new; then the groups
    assert services.plan_deploy(actor=world.officer_above, plan=plan, levels=["cdcs"]) == 0
    assert services.plan_deploy(actor=world.officer_above, plan=plan, levels=["to_cd"]) == 1
    plan.refresh_from_db()
    assert plan.levels == ["cdcs", "to_cd"]


def test_deploy_refusals(world):
    plan = deployed_plan(world)
    with pytest.raises(ApplicationError, match="ít nhất một cấp"):
        services.plan_deploy(actor=world.officer_above, plan=plan, levels=[])
    with pytest.raises(ApplicationError, match="Không có công đoàn bộ phận nào"):
        services.plan_deploy(actor=world.officer_above, plan=plan, levels=["cd_bo_phan"])
    with pytest.raises(NotFoundError):
        services.plan_deploy(actor=world.officer_cdcs, plan=plan, levels=["to_cd"])


def test_plan_refusals(world):
    m = movement(world)
    deployed_plan(world, movement=m)
    other = services.movement_create(actor=world.leader, issuer=world.hbt, catalogue_code="LDG",
                                     start_date=D(YEAR, 1, 1), end_date=D(YEAR, 12, 31))
    base = {"actor": world.officer_above, "issuer": world.cdvc, "date": D(YEAR, 1, 10),
            "title": "KH"}
    with pytest.raises(ApplicationError, match="đã có kế hoạch số 01/KH-CĐVC"):
        services.plan_create(number="01/KH-CĐVC", movements=[m], **base)
    with pytest.raises(ApplicationError, match="không phải đơn vị này hay đơn vị cấp trên"):
        services.plan_create(number="02/KH", movements=[other], **base)
    with pytest.raises(ApplicationError, match="Hạn triển khai"):
        services.plan_create(number="03/KH", movements=[m], deadline=D(YEAR, 1, 1), **base)
    with pytest.raises(ApplicationError, match="ít nhất một phong trào"):
        services.plan_create(number="04/KH", movements=[], **base)


def test_acknowledge_then_launch_by_the_receiving_unit(world):
    plan = deployed_plan(world)
    dep = plan.deployments.get(unit=world.cdcs_a)
    services.deployment_acknowledge(actor=world.officer_cdcs, deployment=dep, note="Đã nhận")
    with pytest.raises(ApplicationError, match="đã tiếp nhận kế hoạch này ngày"):
        services.deployment_acknowledge(actor=world.officer_cdcs, deployment=dep)
    services.deployment_launch(actor=world.officer_cdcs, deployment=dep,
                               launched_on=D(YEAR, 1, 15))
    dep.refresh_from_db()
    assert dep.launched_on == D(YEAR, 1, 15) and dep.launched_by == world.officer_cdcs
    assert _last_audit().action == "deployment.launch"
    with pytest.raises(ApplicationError, match="đã báo cáo phát động ngày"):
        services.deployment_launch(actor=world.officer_cdcs, deployment=dep)


def test_launch_implies_acknowledgement_and_checks_its_date(world):
    plan = deployed_plan(world)
    dep = plan.deployments.get(unit=world.cdcs_b)
    with pytest.raises(ApplicationError, match="trước ngày ban hành"):
        services.deployment_launch(actor=world.officer_above, deployment=dep,
                                   launched_on=D(YEAR, 1, 1))
    with pytest.raises(ApplicationError, match="sau hôm nay"):
        services.deployment_launch(actor=world.officer_above, deployment=dep,
                                   launched_on=D(YEAR + 3, 1, 1))
    services.deployment_launch(actor=world.officer_above, deployment=dep)
    dep.refresh_from_db()
    assert dep.acknowledged_at is not None and dep.launched_at is not None


def test_only_officers_of_the_receiving_unit_act(world):
    plan = deployed_plan(world)
    dep_b = plan.deployments.get(unit=world.cdcs_b)
    with pytest.raises(NotFoundError):  # CDCS-A's officer cannot see CDCS-B
        services.deployment_acknowledge(actor=world.officer_cdcs, deployment=dep_b)
    with pytest.raises(PermissionDeniedError):
        services.deployment_acknowledge(actor=world.viewer, deployment=dep_b)
    assert not Deployment.objects.filter(acknowledged_at__isnull=False).exists()


def test_issue_creates_and_deploys_together_or_not_at_all(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m = movement(world)
    base = {"actor": world.officer_above, "issuer": world.cdvc, "date": D(YEAR, 1, 10),
            "title": "Kế hoạch", "movements": [m]}
    with pytest.raises(ApplicationError, match="Không có công đoàn bộ phận nào"):
        services.plan_issue(number="01/KH", levels=["cd_bo_phan"], **base)
    assert not Plan.objects.exists()  # the refused deployment took the plan back
    issued = services.plan_issue(number="01/KH", levels=["cdcs"],
                                 upload=SimpleUploadedFile("kh.html", b"<html></html>"), **base)
    assert issued.reached == 2 and issued.plan.deployments.count() == 2
    assert issued.attachment_error and not issued.plan.attachments.exists()
    later = services.plan_issue(number="02/KH", **base)
    assert later.reached is None and not later.plan.deployments.exists()
