from django.urls import path

from thidua.evaluation import views

app_name = "evaluation"

# /danh-gia/<unit code>/<year>/…: the evaluation year of a unit; /danh-gia/nguoi/<id>/…: a person
Y = "danh-gia/<str:code>/<int:year>/"
urlpatterns = [
    path("danh-gia/", views.index, name="index"),
    path("danh-gia/nguoi/<int:pk>/<int:year>/", views.person, name="person"),
    path("danh-gia/nguoi/<int:pk>/ky-luat/", views.discipline_add, name="discipline-add"),
    path("danh-gia/nguoi/<int:pk>/sang-kien/", views.initiative_add, name="initiative-add"),
    path(Y, views.unit_year, name="unit-year"),
    path(Y + "xep-loai/", views.ratings_save, name="ratings-save"),
    path(Y + "xep-loai/<int:pk>/", views.rating_row, name="rating-row"),
    path(Y + "nhap-xep-loai/", views.import_page, name="import"),
    path(Y + "mau-xep-loai.xlsx", views.template, name="template"),
    path(Y + "xep-loai-tap-the/", views.unit_ratings, name="unit-ratings"),
    path(Y + "cham-diem/", views.grading, name="grading"),
    path(Y + "bang-cham-diem/", views.grading_templates, name="grading-templates"),
    path(Y + "binh-xet/", views.review, name="review"),
    path(Y + "binh-xet/mo/", views.review_open, name="review-open"),
    path(Y + "binh-xet/tinh-lai/", views.review_propose, name="review-propose"),
    path(Y + "binh-xet/bo-sung/", views.candidate_add, name="candidate-add"),
    path(Y + "binh-xet/de-nghi/<int:cid>/bo/", views.candidate_remove, name="candidate-remove"),
    path(Y + "binh-xet/de-nghi/<int:cid>/phieu/", views.votes, name="votes"),
    path(Y + "binh-xet/hoi-dong/", views.council_add, name="council-add"),
    path(Y + "binh-xet/hoi-dong/<int:mid>/bo/", views.council_remove, name="council-remove"),
    path(Y + "binh-xet/hoi-dong/co-mat/", views.presence, name="presence"),
    path(Y + "binh-xet/cuoc-hop/", views.meeting, name="meeting"),
    path(Y + "binh-xet/phieu-hang-loat/", views.votes_fill, name="votes-fill"),
    path(Y + "binh-xet/chuyen-buoc/", views.review_transition, name="review-transition"),
    path(Y + "binh-xet/bien-ban.docx", views.minutes, name="minutes"),
    path(Y + "ket-qua/", views.results, name="results"),
    path(Y + "dinh-chinh/", views.correct, name="correct"),
    path(Y + "khoa-so/", views.lock, name="lock"),
]
