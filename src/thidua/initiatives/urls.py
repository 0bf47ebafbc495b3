from django.urls import path

from thidua.initiatives import views

app_name = "initiatives"

urlpatterns = [
    # applications
    path("sang-kien/", views.initiative_list, name="list"),
    path("sang-kien/them/", views.initiative_create, name="create"),
    path("sang-kien/tuong-tu/", views.similar, name="similar"),
    path("sang-kien/thong-ke/", views.counts, name="counts"),
    path("sang-kien/<int:pk>/", views.initiative_detail, name="detail"),
    path("sang-kien/<int:pk>/sua/", views.initiative_edit, name="edit"),
    path("sang-kien/<int:pk>/chuyen-buoc/", views.initiative_transition, name="transition"),
    path("sang-kien/<int:pk>/tai-lieu/", views.initiative_attach, name="attach"),
    path("sang-kien/<int:pk>/don.docx", views.application_docx, name="docx"),
    path("sang-kien/<int:pk>/hoi-dong/", views.review_open, name="review-open"),
    path("sang-kien/<int:pk>/cong-nhan/", views.recognize, name="recognize"),
    path("sang-kien/<int:pk>/su-dung/", views.record_use, name="use"),
    path("sang-kien/tai-lieu/<int:pk>/", views.attachment_download, name="attachment"),
    path("sang-kien/giay-chung-nhan/<int:pk>/", views.certificate, name="certificate"),
    # councils and their reviews
    path("hoi-dong-sang-kien/", views.council_list, name="councils"),
    path("hoi-dong-sang-kien/them/", views.council_create, name="council-create"),
    path("hoi-dong-sang-kien/<int:pk>/", views.council_detail, name="council"),
    path("hoi-dong-sang-kien/<int:pk>/thanh-vien/", views.council_member_add,
         name="council-member"),
    path("hoi-dong-sang-kien/<int:pk>/thanh-vien/<int:member_pk>/rut/",
         views.council_member_remove, name="council-member-remove"),
    path("hoi-dong-sang-kien/<int:pk>/phieu-cham/", views.council_criteria,
         name="council-criteria"),
    path("xet-sang-kien/<int:pk>/", views.review_detail, name="review"),
    path("xet-sang-kien/<int:pk>/bieu-quyet/", views.review_votes, name="review-votes"),
    path("xet-sang-kien/<int:pk>/cham-diem/", views.review_scores, name="review-scores"),
    path("xet-sang-kien/<int:pk>/ket-thuc/", views.review_close, name="review-close"),
]
