from django.urls import path

from thidua.honours.views import (
    catalogue,
    decisions,
    member,
    proposal_actions,
    proposals,
    register,
)

app_name = "honours"

P = "khen-thuong/ho-so/<int:pk>/"

urlpatterns = [
    path("quan-tri/danh-muc-khen-thuong/", catalogue.catalogue_view, name="catalogue"),
    # proposals
    path("khen-thuong/ho-so/", proposals.proposal_list, name="proposals"),
    path("khen-thuong/ho-so/them/", proposals.proposal_create, name="proposal-create"),
    path(P, proposals.proposal_detail, name="proposal"),
    path(P + "chuyen-buoc/", proposal_actions.proposal_step, name="proposal-step"),
    path(P + "them-de-nghi/", proposal_actions.candidate_add, name="candidate-add"),
    path(P + "tu-danh-hieu/", proposal_actions.candidates_from_titles,
         name="candidates-from-titles"),
    path(P + "de-nghi/<int:cid>/sua/", proposal_actions.candidate_edit, name="candidate-edit"),
    path(P + "de-nghi/<int:cid>/bo/", proposal_actions.candidate_remove,
         name="candidate-remove"),
    path(P + "tai-lieu/", proposal_actions.dossier_attach, name="dossier-attach"),
    path(P + "tai-lieu/<int:item>/xoa/", proposal_actions.dossier_remove,
         name="dossier-remove"),
    path("khen-thuong/tai-lieu/<int:item>/", proposal_actions.dossier_download,
         name="dossier-download"),
    path(P + "hoi-dong/", proposal_actions.council_set, name="proposal-council"),
    path(P + "hoi-dong/thanh-vien/", proposal_actions.council_member_add,
         name="council-member"),
    path(P + "bieu-quyet/", proposal_actions.proposal_votes, name="proposal-votes"),
    path(P + "quyet-dinh/", proposal_actions.proposal_decide, name="proposal-decide"),
    path(P + "trinh-cap-tren/", proposal_actions.proposal_forward, name="proposal-forward"),
    path(P + "ket-qua/", proposal_actions.proposal_outcome, name="proposal-outcome"),
    path("khen-thuong/han-nop/", register.deadlines, name="deadlines"),
    # decisions and the register
    path("khen-thuong/quyet-dinh/", decisions.decision_list, name="decisions"),
    path("khen-thuong/quyet-dinh/<int:pk>/", decisions.decision_detail, name="decision"),
    path("khen-thuong/quyet-dinh/<int:pk>/thu-hoi/", decisions.decision_revoke,
         name="decision-revoke"),
    path("khen-thuong/quyet-dinh/<int:pk>/dinh-chinh/", decisions.decision_correct,
         name="decision-correct"),
    path("khen-thuong/so-khen-thuong/", register.register, name="register"),
    path("khen-thuong/nguoi/<int:pk>/", register.person_awards, name="person-awards"),
    path("khen-thuong/don-vi/<str:code>/", register.unit_awards, name="unit-awards"),
    # a member's own
    path("khen-thuong/cua-toi/", member.mine, name="mine"),
    path("khen-thuong/giay-khen/<int:pk>/", member.certificate_download,
         name="certificate-download"),
]
