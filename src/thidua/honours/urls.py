from django.urls import path

from thidua.honours.views import catalogue

app_name = "honours"

urlpatterns = [
    path("quan-tri/danh-muc-khen-thuong/", catalogue.catalogue_view, name="catalogue"),
]
