from django.urls import path

from thidua.accounts.views import login, password, tokens

urlpatterns = [
    path("dang-nhap/", login.login_view, name="login"),
    path("dang-xuat/", login.logout_view, name="logout"),
    path("tai-khoan/mat-khau/", password.password_change, name="password_change"),
    path("tai-khoan/ma-truy-cap/", tokens.token_list, name="tokens"),
    path("tai-khoan/ma-truy-cap/<int:pk>/thu-hoi/", tokens.token_revoke, name="token_revoke"),
]
