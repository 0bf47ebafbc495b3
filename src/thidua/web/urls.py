from django.urls import include, path

from thidua.web import views
from thidua.web.views import my_data

urlpatterns = [
    path("", views.home, name="home"),
    path("viec-cho-toi/", views.pending, name="pending"),
    path("du-lieu-cua-toi/", my_data.my_data, name="my-data"),
    path("quan-tri/tai-khoan/", include("thidua.web.urls_accounts")),
    path("quan-tri/nhat-ky/", include("thidua.web.urls_audit")),
    path("quan-tri/mau-van-ban/", include("thidua.web.urls_templates")),
]
