"""Targets (chỉ tiêu), welfare (chăm lo), Party development and the family and agency culture
titles per year: the records the year-end report and the dashboard read beside the roster,
ratings, titles, initiatives and awards of the apps below (issue 11)."""
from django.urls import URLPattern, URLResolver, path

from thidua.reports.views import dashboard, family, party, statistics, summary, targets, welfare

app_name = "reports"

# /chi-tieu/, /cham-lo/, /phat-trien-dang/, /gia-dinh-van-hoa/ + <unit code>/<year>/: a unit's
# year; /cham-lo/hoat-dong/<id>/, /phat-trien-dang/ung-vien/<id>/: one record
urlpatterns: list[URLPattern | URLResolver] = [
    path("bang-dieu-khien/<str:code>/<int:year>/", dashboard.dashboard, name="dashboard"),
    path("bang-dieu-khien/<str:code>/<int:year>/don-vi-truc-thuoc.xlsx",
         dashboard.dashboard_children_xlsx, name="dashboard-children-xlsx"),
    path("bao-cao/<str:code>/<int:year>/", summary.summary, name="summary"),
    path("bao-cao/<str:code>/<int:year>/tai.<str:fmt>", summary.summary_download,
         name="summary-download"),
    path("chi-tieu/<str:code>/<int:year>/", targets.targets, name="targets"),
    path("chi-tieu/<str:code>/<int:year>/<int:pk>/xoa/", targets.target_delete,
         name="target-delete"),
    path("cham-lo/mau.xlsx", welfare.welfare_template, name="welfare-template"),
    path("cham-lo/hoat-dong/<int:pk>/", welfare.welfare_detail, name="welfare-detail"),
    path("cham-lo/hoat-dong/<int:pk>/xoa/", welfare.welfare_delete, name="welfare-delete"),
    path("cham-lo/nguoi-nhan/<int:pk>/xoa/", welfare.beneficiary_remove,
         name="beneficiary-remove"),
    path("cham-lo/<str:code>/<int:year>/", welfare.welfare, name="welfare"),
    path("cham-lo/<str:code>/<int:year>/nhap/", welfare.welfare_import, name="welfare-import"),
    path("phat-trien-dang/mau.xlsx", party.party_template, name="party-template"),
    path("phat-trien-dang/ung-vien/<int:pk>/ket-nap/", party.party_admit, name="party-admit"),
    path("phat-trien-dang/ung-vien/<int:pk>/xoa/", party.party_delete, name="party-delete"),
    path("phat-trien-dang/<str:code>/<int:year>/", party.party, name="party"),
    path("phat-trien-dang/<str:code>/<int:year>/nhap/", party.party_import, name="party-import"),
    path("gia-dinh-van-hoa/mau.xlsx", family.family_template, name="family-template"),
    path("gia-dinh-van-hoa/dong/<int:pk>/xoa/", family.family_delete, name="family-delete"),
    path("gia-dinh-van-hoa/<str:code>/<int:year>/", family.family, name="family"),
    path("gia-dinh-van-hoa/<str:code>/<int:year>/nhap/", family.family_import,
         name="family-import"),
    # /thong-ke/<unit code>/<year>/: the unit's saved statistics reports; /thong-ke/bao-cao/<id>/:
    # one report (its table, .xlsx, edit, removal)
    path("thong-ke/bao-cao/<int:pk>/", statistics.statistics_detail, name="statistics-detail"),
    path("thong-ke/bao-cao/<int:pk>/tai.xlsx", statistics.statistics_download,
         name="statistics-download"),
    path("thong-ke/bao-cao/<int:pk>/sua/", statistics.statistics_edit, name="statistics-edit"),
    path("thong-ke/bao-cao/<int:pk>/xoa/", statistics.statistics_delete,
         name="statistics-delete"),
    path("thong-ke/<str:code>/<int:year>/", statistics.statistics, name="statistics"),
    path("thong-ke/<str:code>/<int:year>/bieu-0602.xlsx", statistics.statistics_form0602,
         name="statistics-form0602"),
]
