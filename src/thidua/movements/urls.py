from django.urls import path

from thidua.movements import views

app_name = "movements"

urlpatterns = [
    # movements
    path("phong-trao/", views.movement_list, name="list"),
    path("phong-trao/them/", views.movement_create, name="create"),
    path("phong-trao/<int:pk>/", views.movement_detail, name="detail"),
    path("phong-trao/<int:pk>/tai-lieu/", views.movement_attach, name="attach"),
    path("tai-lieu/<int:pk>/", views.attachment_download, name="attachment"),
    # plans and their deployment
    path("ke-hoach/", views.plan_list, name="plans"),
    path("ke-hoach/them/", views.plan_create, name="plan-create"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan"),
    path("ke-hoach/<int:pk>/trien-khai/", views.plan_deploy, name="plan-deploy"),
    path("trien-khai/<int:pk>/tiep-nhan/", views.deployment_acknowledge,
         name="deployment-acknowledge"),
    path("trien-khai/<int:pk>/phat-dong/", views.deployment_launch, name="deployment-launch"),
    # registration
    path("dang-ky-thi-dua/", views.registration_home, name="registration-home"),
    path("dang-ky-thi-dua/cua-toi/", views.self_registration, name="self"),
    path("dang-ky-thi-dua/<str:code>/<int:year>/", views.registration_page, name="registration"),
    path("dang-ky-thi-dua/<str:code>/<int:year>/luu/", views.registration_grid_save,
         name="registration-save"),
    path("dang-ky-thi-dua/<str:code>/<int:year>/tap-the/", views.registration_unit_save,
         name="registration-unit"),
    path("dang-ky-thi-dua/<str:code>/<int:year>/quy-dinh/", views.registration_rule_save,
         name="registration-rule"),
    path("dang-ky-thi-dua/<str:code>/<int:year>/nam-thi-dua/", views.year_setting_save,
         name="year-setting"),
    path("dang-ky-thi-dua/<str:code>/<int:year>/nhap/", views.registration_import,
         name="registration-import"),
    path("dang-ky-thi-dua/<str:code>/<int:year>/bang-dang-ky.xlsx",
         views.registration_template_download, name="registration-template"),
]
