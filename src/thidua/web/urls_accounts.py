from django.urls import path

from thidua.web.views import accounts

app_name = "accounts"

urlpatterns = [
    path("", accounts.account_list, name="list"),
    path("them/", accounts.account_create, name="create"),
    path("<int:pk>/", accounts.account_detail, name="detail"),
    path("<int:pk>/trang-thai/", accounts.account_active, name="active"),
    path("<int:pk>/mat-khau/", accounts.account_password, name="password"),
    path("<int:pk>/vai-tro/", accounts.grant_add, name="grant"),
    path("<int:pk>/vai-tro/<int:grant_id>/thu-hoi/", accounts.grant_revoke, name="revoke"),
]
