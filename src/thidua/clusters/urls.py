"""Emulation clusters and blocks (issue 12): /cum-thi-dua/don-vi/<code>/<year>/ lists a
unit's clusters of a year; /cum-thi-dua/cum/<id>/… one cluster; /cum-thi-dua/bang-diem/<id>/ one
member's scoring sheet."""
from django.urls import URLPattern, URLResolver, path

from thidua.clusters.views import pages, sheet, suy_ton

app_name = "clusters"

urlpatterns: list[URLPattern | URLResolver] = [
    path("cum-thi-dua/don-vi/<str:code>/<int:year>/", pages.cluster_list, name="list"),
    path("cum-thi-dua/cum/<int:pk>/", pages.cluster_detail, name="detail"),
    path("cum-thi-dua/cum/<int:pk>/thiet-lap/", pages.cluster_manage, name="manage"),
    path("cum-thi-dua/cum/<int:pk>/giao-uoc/", pages.pledge, name="pledge"),
    path("cum-thi-dua/cum/<int:pk>/giao-uoc.docx", pages.pledge_docx, name="pledge-docx"),
    path("cum-thi-dua/cum/<int:pk>/suy-ton/", suy_ton.suy_ton_page, name="suy-ton"),
    path("cum-thi-dua/bang-diem/<int:pk>/", sheet.sheet, name="sheet"),
    path("cum-thi-dua/bang-diem/<int:pk>/tai.docx", sheet.sheet_docx, name="sheet-docx"),
    path("cum-thi-dua/minh-chung/<int:pk>/", sheet.evidence, name="evidence"),
]
