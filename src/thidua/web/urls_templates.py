from django.urls import path

from thidua.web.views import templates_admin as views

app_name = "doc_templates"

urlpatterns = [
    path("", views.template_list, name="list"),
    path("<str:key>/dang-dung/", views.template_current, name="current"),
    path("<str:key>/mac-dinh/", views.template_default, name="default"),
    path("<str:key>/ban-mau/", views.template_sample, name="sample"),
    path("<str:key>/thay/", views.template_upload, name="upload"),
    path("<str:key>/mac-dinh/dung-lai/", views.template_restore, name="restore"),
]
