from django.urls import path

from thidua.movements.views import (
    grid,
    movements,
    plans,
    registration,
    registration_import,
    rules,
    self_registration,
)

app_name = "movements"

urlpatterns = [
    path("phong-trao/", movements.movement_list, name="list"),
    path("phong-trao/them/", movements.movement_create, name="create"),
    path("phong-trao/<int:pk>/", movements.movement_detail, name="detail"),
    path("phong-trao/<int:pk>/tai-lieu/", movements.movement_attach, name="attach"),
    path("tai-lieu/<int:pk>/", movements.attachment_download, name="attachment"),
    path("ke-hoach/", plans.plan_list, name="plans"),
    path("ke-hoach/them/", plans.plan_create, name="plan-create"),
    path("ke-hoach/<int:pk>/", plans.plan_detail, name="plan"),
    path("ke-hoach/<int:pk>/trien-khai/", plans.plan_deploy, name="plan-deploy"),
    path("trien-khai/<int:pk>/tiep-nhan/", plans.deployment_acknowledge,
         name="deployment-acknowledge"),
    path("trien-khai/<int:pk>/phat-dong/", plans.deployment_launch, name="deployment-launch"),
    path("dang-ky-thi-dua/", registration.registration_home, name="registration-home"),
    path("dang-ky-thi-dua/cua-toi/", self_registration.self_registration, name="self"),
    path("dang-ky-thi-dua/<str:code>/<int:year>/", registration.registration_page,
         name="registration"),
    path("dang-ky-thi-dua/<str:code>/<int:year>/luu/", grid.registration_grid_save,
         name="registration-save"),
    path("dang-ky-thi-dua/<str:code>/<int:year>/tap-the/", registration.registration_unit_save,
         name="registration-unit"),
    path("dang-ky-thi-dua/<str:code>/<int:year>/quy-dinh/", rules.registration_rule_save,
         name="registration-rule"),
    path("dang-ky-thi-dua/<str:code>/<int:year>/nam-thi-dua/", rules.year_setting_save,
         name="year-setting"),
    path("dang-ky-thi-dua/<str:code>/<int:year>/nhap/", registration_import.registration_import,
         name="registration-import"),
    path("dang-ky-thi-dua/<str:code>/<int:year>/bang-dang-ky.xlsx",
         registration_import.registration_template_download, name="registration-template"),
]
