from django.urls import URLPattern, URLResolver, path

from thidua.people.views import imports as views_import
from thidua.people.views import picker as picker_views
from thidua.people.views import roster as roster_views

app_name = "people"

urlpatterns: list[URLPattern | URLResolver] = [
    path("nhap-danh-sach/", views_import.import_page, name="import"),
    path("nhap-danh-sach/<int:job_id>/", views_import.import_job, name="import-job"),
    path("nhap-danh-sach/<int:job_id>/tien-do/", views_import.import_progress,
         name="import-progress"),
    path("nhap-danh-sach/<int:job_id>/bao-loi.xlsx", views_import.import_errors,
         name="import-errors"),
    path("xuat-danh-sach/", views_import.export_page, name="export"),
    path("mau-danh-sach.xlsx", views_import.import_template, name="import-template"),
]

urlpatterns += [
    path("nguoi-lao-dong/", roster_views.person_list, name="list"),
    path("nguoi-lao-dong/tim/", picker_views.person_search, name="search"),
    path("nguoi-lao-dong/them/", roster_views.person_create, name="create"),
    path("nguoi-lao-dong/<int:pk>/", roster_views.person_detail, name="detail"),
    path("nguoi-lao-dong/<int:pk>/sua/", roster_views.person_edit, name="edit"),
    path("nguoi-lao-dong/<int:pk>/chuyen-don-vi/", roster_views.person_transfer, name="transfer"),
    path("nguoi-lao-dong/<int:pk>/doan-vien/", roster_views.person_membership, name="membership"),
]
