""""Việc chờ tôi": what waits for this user's action, group by group, each line a link the user
may open. Which state waits on which role comes from the workflows (the review's table in
`evaluation/workflow.py`, the application's in `initiatives/services/workflow.py`, a plan's
deployment, a roster import): officers are shown the steps they take on the units of their
officer grants, leaders the approvals (locking a year, recognising an initiative) over their
subtrees. Each group costs one query, plus a COUNT only when it has more lines than shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from thidua.accounts.models import ROLE_RANK, Role
from thidua.evaluation import selectors_pending as evaluation
from thidua.evaluation.models import ReviewStatus
from thidua.honours import selectors_pages as honours
from thidua.initiatives import selectors_pending as initiatives
from thidua.movements import selectors_pending as movements
from thidua.org.permissions import grants, scope_paths
from thidua.people.models import ImportJob, ImportStatus
from thidua.platform.actor import Actor
from thidua.platform.text import vn_date

#: failed imports older than this are no longer "waiting"
FAILED_IMPORT_DAYS = 30


@dataclass(frozen=True)
class PendingLine:
    text: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class PendingGroup:
    key: str
    title: str
    count: int
    lines: list[PendingLine]


def officer_paths(user: Actor) -> list[str]:
    """Subtrees where the user's grant is exactly an officer's: the data-entry steps wait there.
    A leader is not shown every draft of the city; those wait on the units' officers."""
    paths = sorted({p for p, rank, _ in grants(user) if rank == ROLE_RANK[Role.OFFICER]})
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def _group(key: str, title: str, qs: QuerySet[Any], line: Callable[[Any], PendingLine],
           limit: int) -> PendingGroup | None:
    rows = list(qs[: limit + 1])
    if not rows:
        return None
    count = len(rows) if len(rows) <= limit else qs.count()
    return PendingGroup(key, title, count, [line(r) for r in rows[:limit]])


def _deployment(dep: Any) -> PendingLine:
    step = "tiếp nhận" if dep.acknowledged_at is None else "báo cáo phát động"
    note = f"hạn {vn_date(dep.plan.deadline)}" if dep.plan.deadline else ""
    return PendingLine(f"{dep.unit.name}: {step} kế hoạch {dep.plan.number} — {dep.plan.title}",
                       reverse("movements:plan", args=[dep.plan_id]), note)


def _review(review: Any) -> PendingLine:
    step = ("lập danh sách đề nghị, chuyển Hội đồng bỏ phiếu"
            if review.status == ReviewStatus.DRAFT else "ghi phiếu của Hội đồng, kết thúc bỏ phiếu")
    return PendingLine(f"Bình xét năm {review.year} — {review.unit.name}: {step}",
                       reverse("evaluation:review", args=[review.unit.code, review.year]))


def _lock(review: Any) -> PendingLine:
    return PendingLine(f"Năm {review.year} — {review.unit.name}: đã có kết quả bình xét, chờ khóa "
                       "số liệu năm", reverse("evaluation:results",
                                              args=[review.unit.code, review.year]))


def _submitted(ini: Any) -> PendingLine:
    when = vn_date(timezone.localtime(ini.submitted_at).date()) if ini.submitted_at else ""
    return PendingLine(f"Đơn số {ini.pk} «{ini.title}» — {ini.unit.name}: chuyển Hội đồng sáng "
                       "kiến hoặc trả lại để bổ sung", reverse("initiatives:detail", args=[ini.pk]),
                       f"nộp ngày {when}" if when else "")


def _council(review: Any) -> PendingLine:
    return PendingLine(f"{review.council.name}: chấm điểm, biểu quyết đơn «{review.initiative.title}»",
                       reverse("initiatives:review", args=[review.pk]))


def _decide(ini: Any) -> PendingLine:
    return PendingLine(f"Đơn số {ini.pk} «{ini.title}» — {ini.unit.name}: Hội đồng đã biểu quyết, "
                       "chờ quyết định công nhận", reverse("initiatives:detail", args=[ini.pk]))


def _days_note(last_day: dt.date | None) -> str:
    if last_day is None:
        return ""
    left = (last_day - timezone.localdate()).days
    if left < 0:
        return f"hạn nộp {vn_date(last_day)}, đã quá {-left} ngày"
    return f"hạn nộp {vn_date(last_day)}, còn {left} ngày"


def _honours_inbox(p: Any) -> PendingLine:
    step = {"da_gui": "tiếp nhận hoặc trả lại", "da_nhan": "chọn Hội đồng, đưa ra xét",
            "dang_xet": "ghi phiếu, kết thúc biểu quyết",
            "da_bieu_quyet": "ban hành quyết định hoặc trình cấp trên",
            "da_trinh_ngoai": "ghi kết quả của cấp trên"}.get(p.status, "xử lý")
    when = f"gửi ngày {vn_date(p.submitted_on)}" if p.submitted_on else ""
    return PendingLine(f"Hồ sơ số {p.pk} «{p.title}» — {p.unit.name}: {step}",
                       reverse("honours:proposal", args=[p.pk]), when)


def _honours_draft(p: Any) -> PendingLine:
    step = "bị trả lại, sửa và gửi lại" if p.status == "tra_lai" else "hoàn thiện và gửi"
    return PendingLine(f"Hồ sơ số {p.pk} «{p.title}» gửi {p.recipient.name}: {step}",
                       reverse("honours:proposal", args=[p.pk]), _days_note(p.last_day))


def _import(job: Any) -> PendingLine:
    day = vn_date(timezone.localtime(job.created_at).date())
    return PendingLine(f"Tệp «{job.file_name}» ({job.unit.name}) có lỗi, chưa ghi dữ liệu",
                       reverse("people:import-job", args=[job.pk]), f"nhập ngày {day}")


def failed_imports(user: Actor) -> QuerySet[ImportJob]:
    """The user's roster imports that failed lately and were not followed by a successful one
    for the same unit."""
    since = timezone.now() - dt.timedelta(days=FAILED_IMPORT_DAYS)
    later_ok = ImportJob.objects.filter(unit=OuterRef("unit"), created_by=user,
                                        status=ImportStatus.DONE, dry_run=False,
                                        created_at__gt=OuterRef("created_at"))
    return (ImportJob.objects.filter(created_by=user, status=ImportStatus.FAILED,
                                     created_at__gte=since)
            .exclude(Exists(later_ok)).select_related("unit").order_by("-created_at"))


def pending_for(user: Actor, *, limit: int = 5) -> list[PendingGroup]:
    """The groups of work waiting for `user`, each with at most `limit` lines and its count."""
    officer: Sequence[str] = officer_paths(user)
    leader: Sequence[str] = scope_paths(user, Role.LEADER)
    specs: list[tuple[str, str, QuerySet[Any], Callable[[Any], PendingLine]]] = []
    if officer:
        specs += [
            ("deployments", "Kế hoạch cấp trên gửi xuống chờ tiếp nhận, phát động",
             movements.deployments_waiting(officer), _deployment),
            ("reviews", "Bình xét đang làm dở", evaluation.reviews_in_progress(officer), _review),
            ("submitted", "Đơn sáng kiến chờ cán bộ xử lý",
             initiatives.applications_submitted(officer), _submitted),
            ("councils", "Hội đồng sáng kiến chờ chấm điểm, biểu quyết",
             initiatives.reviews_open(officer), _council),
            ("honours-inbox", "Hồ sơ khen thưởng chờ cấp mình xử lý",
             honours.pending_inbox(user), _honours_inbox),
            ("honours-drafts", "Hồ sơ khen thưởng đang soạn hoặc bị trả lại",
             honours.pending_drafts(user), _honours_draft),
        ]
    decide = [*officer, *leader]
    if decide:
        specs.append(("decide", "Sáng kiến chờ quyết định công nhận",
                      initiatives.applications_to_decide(decide), _decide))
    if leader:
        specs.append(("locks", "Năm đã bình xét xong, chờ lãnh đạo khóa số liệu",
                      evaluation.years_to_lock(leader), _lock))
    if officer or leader:
        specs.append(("imports", "Nhập danh sách bị lỗi", failed_imports(user), _import))
    groups = [_group(key, title, qs, line, limit) for key, title, qs, line in specs]
    return [g for g in groups if g is not None]
