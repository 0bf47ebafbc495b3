from django.urls import path

from thidua.initiatives.views import application, councils, counts, detail, listing, reviews

app_name = "initiatives"

urlpatterns = [
    # applications
    path("sang-kien/", listing.initiative_list, name="list"),
    path("sang-kien/them/", application.initiative_create, name="create"),
    path("sang-kien/tuong-tu/", application.similar, name="similar"),
    path("sang-kien/thong-ke/", counts.counts, name="counts"),
    path("sang-kien/<int:pk>/", detail.initiative_detail, name="detail"),
    path("sang-kien/<int:pk>/sua/", application.initiative_edit, name="edit"),
    path("sang-kien/<int:pk>/chuyen-buoc/", detail.initiative_transition, name="transition"),
    path("sang-kien/<int:pk>/tai-lieu/", detail.initiative_attach, name="attach"),
    path("sang-kien/<int:pk>/don.docx", detail.application_docx, name="docx"),
    path("sang-kien/<int:pk>/hoi-dong/", detail.review_open, name="review-open"),
    path("sang-kien/<int:pk>/cong-nhan/", detail.recognize, name="recognize"),
    path("sang-kien/<int:pk>/su-dung/", detail.record_use, name="use"),
    path("sang-kien/tai-lieu/<int:pk>/", detail.attachment_download, name="attachment"),
    path("sang-kien/giay-chung-nhan/<int:pk>/", detail.certificate, name="certificate"),
    path("sang-kien/giay-chung-nhan/<int:pk>/giay-chung-nhan.docx", detail.certificate_docx,
         name="certificate-docx"),
    # councils and their reviews
    path("hoi-dong-sang-kien/", councils.council_list, name="councils"),
    path("hoi-dong-sang-kien/them/", councils.council_create, name="council-create"),
    path("hoi-dong-sang-kien/<int:pk>/", councils.council_detail, name="council"),
    path("hoi-dong-sang-kien/<int:pk>/thanh-vien/", councils.council_member_add,
         name="council-member"),
    path("hoi-dong-sang-kien/<int:pk>/thanh-vien/<int:member_pk>/rut/",
         councils.council_member_remove, name="council-member-remove"),
    path("hoi-dong-sang-kien/<int:pk>/phieu-cham/", councils.council_criteria,
         name="council-criteria"),
    path("xet-sang-kien/<int:pk>/", reviews.review_detail, name="review"),
    path("xet-sang-kien/<int:pk>/bieu-quyet/", reviews.review_votes, name="review-votes"),
    path("xet-sang-kien/<int:pk>/cham-diem/", reviews.review_scores, name="review-scores"),
    path("xet-sang-kien/<int:pk>/ket-thuc/", reviews.review_close, name="review-close"),
]
