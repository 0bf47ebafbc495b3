"""The workflow of an application: who may take which step, the guard on submission
(complete, not a duplicate), the reasons, and the log of every move."""

from __future__ import annotations

import pytest

from thidua.audit.models import AuditEntry
from thidua.initiatives import services
from thidua.initiatives.models import Initiative, Status, StatusChange
from thidua.initiatives.services import AuthorInput
from thidua.initiatives.tests.helpers import new_initiative, submitted
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError

pytestmark = pytest.mark.django_db


def test_submit_is_logged_and_audited(world):
    ini = submitted(world)
    assert ini.status == Status.SUBMITTED and ini.submitted_at is not None
    change = StatusChange.objects.get(initiative=ini)
    assert (change.from_status, change.to_status) == (Status.DRAFT, Status.SUBMITTED)
    assert AuditEntry.objects.filter(action="initiative.submit", object_id=str(ini.pk)).exists()


def test_a_duplicate_submission_is_refused(world):
    first = submitted(world)
    again = new_initiative(world)  # a second draft with the same title, author, unit and year
    with pytest.raises(ApplicationError) as exc:
        services.initiative_transition(actor=world.officer_cdcs, initiative=again,
                                       to=Status.SUBMITTED)
    assert exc.value.extra["duplicate_of"] == first.pk
    assert "Không nộp lại một đơn hai lần" in exc.value.message
    # folding: the same title typed without diacritics is the same title
    plain = new_initiative(world, title="so chung thuc dien tu tai bo phan mot cua")
    with pytest.raises(ApplicationError):
        services.initiative_transition(actor=world.officer_cdcs, initiative=plain,
                                       to=Status.SUBMITTED)
    # another year, or other authors, is another application
    other_year = new_initiative(world, year=2024)
    services.initiative_transition(actor=world.officer_cdcs, initiative=other_year,
                                   to=Status.SUBMITTED)
    co = new_initiative(world, authors=[AuthorInput(person_id=world.member.pk, contribution=50),
                                        AuthorInput(full_name="Phạm Văn Hai", contribution=50)])
    services.initiative_transition(actor=world.officer_cdcs, initiative=co, to=Status.SUBMITTED)


def test_submitting_twice_is_refused(world):
    ini = submitted(world)
    with pytest.raises(ApplicationError, match="Không thể chuyển"):
        services.initiative_transition(actor=world.officer_cdcs, initiative=ini,
                                       to=Status.SUBMITTED)


def test_guard_refuses_skipping_steps(world):
    ini = new_initiative(world)
    for target in (Status.UNDER_REVIEW, Status.RECOGNIZED, Status.NOT_RECOGNIZED, "bogus"):
        with pytest.raises(ApplicationError):
            services.initiative_transition(actor=world.officer_cdcs, initiative=ini, to=target)
    ini = submitted(world, title="Khác hẳn")
    with pytest.raises(ApplicationError, match="Hội đồng"):  # no council assigned
        services.initiative_transition(actor=world.officer_cdcs, initiative=ini,
                                       to=Status.UNDER_REVIEW)
    assert Initiative.objects.get(pk=ini.pk).status == Status.SUBMITTED


def test_return_needs_a_reason_and_an_officer(world):
    ini = submitted(world, actor=world.member_user, unit=world.to_a1)
    with pytest.raises(PermissionDeniedError):
        services.initiative_transition(actor=world.member_user, initiative=ini, to=Status.DRAFT,
                                       reason="tự rút")
    with pytest.raises(ApplicationError, match="lý do"):
        services.initiative_transition(actor=world.officer_cdcs, initiative=ini, to=Status.DRAFT)
    services.initiative_transition(actor=world.officer_cdcs, initiative=ini, to=Status.DRAFT,
                                   reason="Bổ sung số liệu làm lợi")
    assert StatusChange.objects.filter(initiative=ini, to_status=Status.DRAFT,
                                       reason="Bổ sung số liệu làm lợi").exists()


def test_outsiders_cannot_move_it(world):
    ini = submitted(world)
    with pytest.raises(NotFoundError):
        services.initiative_transition(actor=world.outsider, initiative=ini, to=Status.DRAFT,
                                       reason="x")
    with pytest.raises(PermissionDeniedError):
        services.initiative_transition(actor=world.viewer, initiative=ini, to=Status.DRAFT,
                                       reason="x")


def test_the_status_history_names_the_person_not_the_account(world, client):
    """Issue 8 §4: "Trần Thị Hoa", not the username, is stored and shown in the history."""
    from django.urls import reverse

    officer = world.officer_cdcs
    officer.last_name, officer.first_name = "Trần Thị", "Hoa"
    officer.save(update_fields=["last_name", "first_name"])
    ini = submitted(world)
    change = StatusChange.objects.get(initiative=ini)
    assert change.actor_name == "Trần Thị Hoa"
    client.force_login(officer)
    html = client.get(reverse("initiatives:detail", args=[ini.pk])).content.decode()
    history = html[html.index('id="lich-su"'):]
    history = history[:history.index("</section>")]
    assert "Trần Thị Hoa" in history and officer.get_username() not in history
