from django.urls import URLPattern, URLResolver, path

from thidua.people.views import events as event_views
from thidua.people.views import imports as views_import
from thidua.people.views import picker as picker_views
from thidua.people.views import roster as roster_views

app_name = "people"

urlpatterns: list[URLPattern | URLResolver] = [
    path("nhap-danh-sach/", views_import.import_page, name="import"),
    path("nhap-danh-sach/<int:job_id>/", views_import.import_job, name="import-job"),
    path("nhap-danh-sach/<int:job_id>/chay-lai/", views_import.import_rerun,
         name="import-rerun"),
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
    path("don-vi-goi-y/", picker_views.unit_suggest, name="unit-suggest"),
    path("nguoi-lao-dong/them/", roster_views.person_create, name="create"),
    path("nguoi-lao-dong/<int:pk>/", roster_views.person_detail, name="detail"),
    path("nguoi-lao-dong/<int:pk>/sua/", roster_views.person_edit, name="edit"),
    path("nguoi-lao-dong/<int:pk>/chuyen-don-vi/", roster_views.person_transfer, name="transfer"),
    path("nguoi-lao-dong/<int:pk>/doan-vien/", roster_views.person_membership, name="membership"),
]

# tree events, started from a unit's page (the unit page itself is `org:unit`)
urlpatterns += [
    path("don-vi/<str:code>/thanh-lap/", event_views.unit_create_page, name="unit-create"),
    path("don-vi/<str:code>/doi-ten/", event_views.unit_rename_page, name="unit-rename"),
    path("don-vi/<str:code>/chuyen-cap-tren/", event_views.unit_move_page, name="unit-move"),
    path("don-vi/<str:code>/sap-nhap/", event_views.unit_merge_page, name="unit-merge"),
    path("don-vi/<str:code>/chia-tach/", event_views.unit_split_page, name="unit-split"),
    path("don-vi/<str:code>/giai-the/", event_views.unit_dissolve_page, name="unit-dissolve"),
]
