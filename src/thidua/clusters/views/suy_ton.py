"""The cluster's ranking and its year-end meeting: the head unit opens the meeting (delegates),
puts the leading units to the vote, records the votes and closes it; the issuer turns the units
passed into proposals of the honours workflow."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from thidua.clusters import permissions, selectors
from thidua.clusters.documents import num
from thidua.clusters.models import TieBreak
from thidua.clusters.services import suy_ton
from thidua.clusters.views.common import or_404, parse_day
from thidua.councils.models import Choice, Role
from thidua.councils.selectors import members_by_role
from thidua.councils.services import BallotIn, subject_tally
from thidua.honours import catalogue
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError
from thidua.platform.web import run_action


def _delegates(text: str) -> list[suy_ton.Delegate]:
    """One delegate a line: "Họ tên; chức vụ, đơn vị"; the first line chairs the meeting."""
    out = []
    for i, line in enumerate(x for x in text.splitlines() if x.strip()):
        name, _, position = line.partition(";")
        out.append(suy_ton.Delegate(name.strip(), position.strip(),
                                    Role.CHU_TICH if i == 0 else Role.UY_VIEN))
    return out


@login_required
@require_http_methods(["GET", "POST"])
def suy_ton_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    cluster = or_404(lambda: selectors.access_cluster(user, pk))
    back = reverse("clusters:suy-ton", args=[cluster.pk])
    if request.method == "POST":
        post = request.POST

        def act() -> str:
            action = post.get("action", "")
            if action == "open":
                day = parse_day(post.get("meeting_date"))
                if day is None:
                    raise ApplicationError("Hãy ghi ngày họp theo dạng ngày/tháng/năm.",
                                           field="meeting_date")
                suy_ton.meeting_open(actor=user, cluster=cluster, meeting_date=day,
                                     place=post.get("place", ""),
                                     delegates=_delegates(post.get("delegates", "")))
                return "Đã lập hội nghị của cụm."
            if action == "nominate":
                n = suy_ton.nominate(actor=user, cluster=cluster)
                return f"Đã đưa {len(n)} đơn vị ra hội nghị biểu quyết suy tôn."
            if action == "votes":
                council = cluster.council
                if council is None:
                    raise ApplicationError("Hãy lập hội nghị của cụm trước.", field="council")
                ballots = [BallotIn(n.subject_id, d.pk, post.get(f"v{n.subject_id}_{d.pk}", ""))
                           for n in cluster.nominations.all() if n.subject_id
                           for d in council.members.all()]
                changed = suy_ton.votes_record(actor=user, cluster=cluster, ballots=ballots)
                return f"Đã ghi {changed} phiếu."
            if action == "close":
                noms = suy_ton.vote_close(actor=user, cluster=cluster)
                return f"Đã kết thúc biểu quyết: {sum(1 for n in noms if n.passed)} đơn vị được suy tôn."
            if action == "forward":
                proposals = suy_ton.put_forward(actor=user, cluster=cluster)
                return f"Đã lập {len(proposals)} hồ sơ đề nghị khen thưởng (dự thảo)."
            raise ApplicationError("Thao tác không hợp lệ.", field="action")

        return run_action(request, act, success_url=back)
    council = cluster.council
    delegates = members_by_role(council) if council is not None else []
    nominations = list(selectors.nominations_of(cluster))
    threshold = suy_ton.threshold_of(cluster)
    rows = []
    for n in nominations:
        votes = {v.member_id: v.choice for v in n.subject.votes.all()} if n.subject else {}
        tally = subject_tally(n.subject, members=len(delegates)) if n.subject else None
        rows.append({"n": n, "form": catalogue.form(n.form).name, "votes": votes,
                     "tally": tally, "total": num(n.total),
                     "proposal_url": reverse("honours:proposal", args=[n.proposal_id])
                     if n.proposal_id else ""})
    standings = selectors.ranking(cluster)
    rules = selectors.rules_for(cluster.issuer, cluster.year)
    return render(request, "clusters/suy_ton.html", {
        "cluster": cluster, "standings": [{"s": s, "total": num(s.totals.total),
                                           "penalty": num(s.totals.penalty),
                                           "bonus": num(s.totals.bonus)} for s in standings],
        "all_checked": selectors.all_checked(cluster), "delegates": delegates, "rows": rows,
        "choices": Choice.choices, "threshold": threshold,
        "rules": rules, "tie_labels": [TieBreak(c).label for c in rules.tie_break_list],
        "may_run": permissions.may_run(user, cluster),
        "may_manage": permissions.may_manage(user, cluster),
        "closed": any(n.passed is not None for n in nominations),
        "forwardable": any(n.passed and not n.proposal_id for n in nominations),
        "detail_url": reverse("clusters:detail", args=[cluster.pk]),
    })
