"""Personal data under Nghị định 13/2023/NĐ-CP: who read a full CCCD, the answers to "this CCCD
is already someone else's" (audited and rationed per user and day, so that the roster cannot be
used to test which numbers exist in other branches), and the anonymisation of people who left
long ago."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from thidua.accounts.models import Role
from thidua.audit.models import AuditEntry
from thidua.audit.services import audit_record
from thidua.org.permissions import scope_paths
from thidua.people.models import Employment, Membership, Person
from thidua.people.selectors import cccd_readable
from thidua.platform.actor import Actor, Visitor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import fold, vn_number

CONFLICT_ACTION = "person.cccd_conflict"
CCCD_VIEW_ACTION = "person.cccd_view"
LOOKUP_ACTION = "person.cccd_lookup"
# Never who or where: the same words whether the number is in a sibling branch or anywhere else.
CCCD_CONFLICT = ("Không thêm được người có số CCCD này vào đơn vị: người này đang do một đơn vị "
                 "khác quản lý. Hãy kiểm tra lại số CCCD; nếu đúng, đề nghị đơn vị đang quản lý "
                 "làm thủ tục chuyển sinh hoạt người này về đơn vị của bạn.")


def conflicts_per_day() -> int:
    return int(getattr(settings, "THIDUA_CCCD_CONFLICTS_PER_DAY", 20))


def _used_today(user: Visitor, action: str) -> int:
    return sum(
        int((after or {}).get("count", 1))
        for after in AuditEntry.objects.filter(
            action=action, actor_id=user.pk, at__gte=_today_start()
        ).values_list("after", flat=True)
    )


def cccd_lookup_allowed(*, actor: Actor, query: str) -> bool:
    """Whether a search for a whole 12-digit CCCD may match people whose number `actor` may not
    read. Typing whole numbers is still a way to test them (the mask leaves 9 digits, and most
    members of a province's union share its 3-digit code), so such look-ups are audited
    (`person.cccd_lookup`) and allowed THIDUA_CCCD_LOOKUPS_PER_DAY times a day; after that the
    number matches only people whose number the actor may read, as a fragment does. A number of
    someone the actor may read costs nothing."""
    digits = fold(query).replace(" ", "")
    if len(digits) != 12 or not digits.isdigit():
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    if scope_paths(actor, Role.OFFICER) == [""] or cccd_readable(actor).filter(
            cccd=digits).exists():
        return True
    limit = int(getattr(settings, "THIDUA_CCCD_LOOKUPS_PER_DAY", 30))
    if _used_today(actor, LOOKUP_ACTION) >= limit:
        return False
    audit_record(actor=actor, action=LOOKUP_ACTION, object_type="person", after={"count": 1})
    return True


def _today_start() -> dt.datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def cccd_conflicts_left(user: Visitor) -> int:
    """How many more "managed by another unit" answers `user` may get today."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return max(conflicts_per_day() - _used_today(user, CONFLICT_ACTION), 0)


def exhausted_message(limit: int) -> str:
    return (f"Hôm nay bạn đã nhận đủ {vn_number(limit)} lần báo số CCCD thuộc đơn vị khác quản "
            "lý (giới hạn mỗi ngày để bảo vệ dữ liệu cá nhân). Việc thêm người bằng số CCCD chưa "
            "có trong đơn vị của bạn tạm dừng đến hết ngày; nếu cần, hãy liên hệ quản trị hệ thống.")


def cccd_conflicts_answer(*, actor: Actor, unit_id: int | None, count: int, where: str,
                          refused_whole: bool = False) -> None:
    """Record that `actor` was told that `count` numbers belong to people managed elsewhere (one
    entry per answer: a form, an import). Runs in its own transaction so that the record stays
    when the caller then refuses; call it outside any other transaction."""
    audit_record(actor=actor, action=CONFLICT_ACTION, object_type="unit",  # its own transaction
                 object_id=unit_id or "", unit_id=unit_id,
                 after={"count": count, "where": where, "refused_whole": refused_whole})


def cccd_conflict_guard(*, actor: Actor | None, unit_id: int | None, cccd: str | None,
                        exclude_pk: int | None = None) -> None:
    """Before adding (or renumbering) a person with `cccd`: a number of someone the actor manages
    is named (they can see them); a number of someone managed elsewhere gets `CCCD_CONFLICT`,
    audited and counted against today's allowance. When the allowance is used up, every number
    the actor does not manage is refused alike, whether or not it exists, so the refusal tells
    nothing either. A malformed number is left to the form's own checks."""
    if not cccd or len(cccd) != 12 or not cccd.isdigit():
        return
    others = Person.objects.filter(cccd=cccd)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if actor is None or scope_paths(actor, Role.OFFICER) == [""]:
        _named_duplicate(others)  # the command line and whole-tree officers see everyone
        return
    _named_duplicate(others.filter(pk__in=Person.objects.restrict(actor, Role.OFFICER).values("pk")))
    if cccd_conflicts_left(actor) <= 0:
        raise ApplicationError(exhausted_message(conflicts_per_day()), field="cccd")
    if others.exists():
        cccd_conflicts_answer(actor=actor, unit_id=unit_id, count=1, where="form")
        raise ApplicationError(CCCD_CONFLICT, field="cccd")


def _named_duplicate(visible: QuerySet[Person]) -> None:
    known = visible.first()
    if known is not None:
        raise ApplicationError(
            f"Số CCCD này đã có trong danh sách: {known.full_name} (mở hồ sơ người này để cập "
            "nhật thay vì thêm mới).", field="cccd")


def cccd_views_record(*, actor: Actor, person_ids: Iterable[int], where: str,
                      unit_id: int | None = None) -> None:
    """One audit entry for one page (or API answer) that showed whole CCCD numbers of other
    people: who read whose numbers, visible in the audit pages."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    audit_record(actor=actor, action=CCCD_VIEW_ACTION, object_type="person",
                 object_id=ids[0] if len(ids) == 1 else "", unit_id=unit_id,
                 after={"where": where, "people": ids})


def cccd_export_record(*, actor: Actor, unit_id: int, where: str, rows: int | None = None) -> None:
    """One audit entry for a spreadsheet that carries whole CCCD numbers of a unit's people (the
    roster export has its own `person.export` entry)."""
    audit_record(actor=actor, action=CCCD_VIEW_ACTION, object_type="unit", object_id=unit_id,
                 unit_id=unit_id, after={"where": where, "rows": rows})


# --- retention ---------------------------------------------------------------------------------

# Ethnicity is sensitive personal data (NĐ 13/2023, Điều 2.4); gender, position and the periods
# stay: the figures of past years (women, members) must not change.
ANONYMISED = {"cccd": None, "phone": "", "email": "", "birth_date": None, "ethnicity": ""}


def retention_candidates(*, today: dt.date | None = None, years: int | None = None
                         ) -> QuerySet[Person]:
    """People with no open employment or membership whose last period ended more than `years`
    (THIDUA_RETENTION_YEARS_AFTER_LEAVING) years ago, and who still hold personal data."""
    years = int(settings.THIDUA_RETENTION_YEARS_AFTER_LEAVING) if years is None else years
    today = today or timezone.localdate()
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    open_job = Employment.objects.filter(person=OuterRef("pk"), valid_to__isnull=True)
    open_member = Membership.objects.filter(person=OuterRef("pk"), valid_to__isnull=True)
    recent_job = Employment.objects.filter(person=OuterRef("pk"), valid_to__gt=cutoff)
    recent_member = Membership.objects.filter(person=OuterRef("pk"), valid_to__gt=cutoff)
    has_left = Exists(Employment.objects.filter(person=OuterRef("pk"))) | Exists(
        Membership.objects.filter(person=OuterRef("pk")))
    holds_data = (Q(cccd__isnull=False) | ~Q(phone="") | ~Q(email="")
                  | Q(birth_date__isnull=False) | ~Q(ethnicity=""))
    return (Person.objects.filter(has_left, holds_data)
            .exclude(Exists(open_job) | Exists(open_member) | Exists(recent_job)
                     | Exists(recent_member))
            .order_by("pk"))


def retention_listing(*, today: dt.date | None = None, years: int | None = None
                      ) -> QuerySet[Person]:
    """`retention_candidates` with `left_on`, the end of their last period, for the dry run."""
    job = Max("employments__valid_to")
    member = Max("memberships__valid_to")
    return retention_candidates(today=today, years=years).annotate(
        left_on=Greatest(Coalesce(job, member), Coalesce(member, job)))


def people_anonymise_left(*, actor: Actor | None, today: dt.date | None = None,
                          years: int | None = None) -> list[int]:
    """Remove the CCCD, phone, e-mail, date of birth and ethnicity of the people
    `retention_candidates` finds; their name, gender, member code and periods stay (awards and decisions that name them
    are public records and must still print). One audit entry for the run."""
    years = int(settings.THIDUA_RETENTION_YEARS_AFTER_LEAVING) if years is None else years
    with transaction.atomic():
        ids = list(retention_candidates(today=today, years=years)
                   .select_for_update().values_list("pk", flat=True))
        for i in range(0, len(ids), 900):
            Person.objects.filter(pk__in=ids[i:i + 900]).update(**ANONYMISED,
                                                              version=F("version") + 1)
        after: dict[str, Any] = {"years": years, "people": ids, "count": len(ids),
                                 "removed": sorted(ANONYMISED)}
        audit_record(actor=actor, action="person.anonymise", object_type="person",
                     after=after)
    return ids
