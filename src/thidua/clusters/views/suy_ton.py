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
from thidua.clusters.forms import TieOrderForm, delegates_from_text, first_error
from thidua.clusters.models import Membership, TieBreak
from thidua.clusters.scoring import BY_HAND
from thidua.clusters.services import suy_ton
from thidua.clusters.views.common import or_404, parse_day
from thidua.councils.models import Choice
from thidua.councils.selectors import members_by_role
from thidua.councils.services import BallotIn, subject_tally
from thidua.honours import catalogue
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError
from thidua.platform.web import run_action


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
                                     delegates=delegates_from_text(post.get("delegates", "")))
                return "Đã lập hội nghị của cụm."
            if action == "tie_order":
                form = TieOrderForm(post, members=cluster.memberships.filter(
                    pk__in=[int(k[4:]) for k in post if k.startswith("pos_")
                            and k[4:].isdigit()]).select_related("unit"))
                if not form.is_valid():
                    raise first_error(form)
                suy_ton.ranking_reorder(actor=user, cluster=cluster, order=form.order(),
                                        reason=form.cleaned_data["reason"])
                return "Đã xếp thứ tự các đơn vị đồng hạng."
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
    may_run = permissions.may_run(user, cluster)
    # groups the issuer's rules leave level, which the head may put in order by hand
    level: dict[int, list[Membership]] = {}
    if may_run and not nominations:
        for s in selectors.ranking(cluster, by_hand=False):
            if s.tied:
                level.setdefault(s.rank, []).append(s.membership)
    rules = selectors.rules_for(cluster.issuer, cluster.year)
    return render(request, "clusters/suy_ton.html", {
        "cluster": cluster, "standings": [{"s": s, "total": num(s.totals.total),
                                           "penalty": num(s.totals.penalty),
                                           "bonus": num(s.totals.bonus),
                                           "rule": _rule_label(s.decided_by)}
                                          for s in standings],
        "level_groups": [{"rank": rank, "members": members}
                         for rank, members in sorted(level.items())],
        "all_checked": selectors.all_checked(cluster), "delegates": delegates, "rows": rows,
        "choices": Choice.choices, "threshold": threshold,
        "rules": rules, "tie_labels": [TieBreak(c).label for c in rules.tie_break_list],
        "may_run": may_run,
        "may_manage": permissions.may_manage(user, cluster),
        "closed": any(n.passed is not None for n in nominations),
        "forwardable": any(n.passed and not n.proposal_id for n in nominations),
        "detail_url": reverse("clusters:detail", args=[cluster.pk]),
    })


def _rule_label(code: str) -> str:
    if not code:
        return ""
    if code == BY_HAND:
        return "Xếp theo thứ tự cụm trưởng đặt khi đồng hạng"
    return f"Xếp theo quy tắc phụ: {TieBreak(code).label.lower()}"
