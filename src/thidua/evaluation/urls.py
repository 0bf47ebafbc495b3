from django.urls import path

from thidua.evaluation.views import council, grading, person, ratings, results, review, settings

app_name = "evaluation"

# /danh-gia/<unit code>/<year>/…: the evaluation year of a unit; /danh-gia/nguoi/<id>/…: a person
Y = "danh-gia/<str:code>/<int:year>/"
urlpatterns = [
    path("danh-gia/", ratings.index, name="index"),
    path("danh-gia/nguoi/<int:pk>/", person.person_section, name="person-section"),
    path("danh-gia/nguoi/<int:pk>/<int:year>/", person.person, name="person"),
    path("danh-gia/nguoi/<int:pk>/ky-luat/", person.discipline_add, name="discipline-add"),
    path("danh-gia/nguoi/<int:pk>/sang-kien/", person.initiative_add, name="initiative-add"),
    path("danh-gia/nguoi/<int:pk>/tam-hoan/", person.pending_add, name="pending-add"),
    path("danh-gia/<str:code>/", ratings.unit_home, name="unit-home"),
    path(Y, ratings.unit_year, name="unit-year"),
    path(Y + "xep-loai/", ratings.ratings_save, name="ratings-save"),
    path(Y + "xep-loai/<int:pk>/", ratings.rating_row, name="rating-row"),
    path(Y + "nhap-xep-loai/", ratings.import_page, name="import"),
    path(Y + "mau-xep-loai.xlsx", ratings.template, name="template"),
    path(Y + "xep-loai-tap-the/", grading.unit_ratings, name="unit-ratings"),
    path(Y + "cham-diem/", grading.grading, name="grading"),
    path(Y + "bang-cham-diem/", grading.grading_templates, name="grading-templates"),
    path(Y + "binh-xet/", review.review, name="review"),
    path(Y + "binh-xet/mo/", review.review_open, name="review-open"),
    path(Y + "binh-xet/tinh-lai/", review.review_propose, name="review-propose"),
    path(Y + "binh-xet/bo-sung/", review.candidate_add, name="candidate-add"),
    path(Y + "binh-xet/de-nghi/<int:cid>/bo/", review.candidate_remove, name="candidate-remove"),
    path(Y + "binh-xet/de-nghi/<int:cid>/phieu/", council.votes, name="votes"),
    path(Y + "binh-xet/hoi-dong/", council.council_add, name="council-add"),
    path(Y + "binh-xet/hoi-dong/<int:mid>/bo/", council.council_remove, name="council-remove"),
    path(Y + "binh-xet/hoi-dong/co-mat/", council.presence, name="presence"),
    path(Y + "binh-xet/cuoc-hop/", council.meeting, name="meeting"),
    path(Y + "binh-xet/phieu-hang-loat/", council.votes_fill, name="votes-fill"),
    path(Y + "binh-xet/chuyen-buoc/", review.review_transition, name="review-transition"),
    path(Y + "binh-xet/bien-ban.docx", review.minutes, name="minutes"),
    path(Y + "ket-qua/", results.results, name="results"),
    path(Y + "dinh-chinh/", results.correct, name="correct"),
    path(Y + "khoa-so/", results.lock, name="lock"),
    path(Y + "cai-dat/", settings.settings_page, name="settings"),
]
