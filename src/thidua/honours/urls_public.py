"""The public check of certificates, open without login (issue 9 §5): the code typed or scanned,
the page of one code, and an issuer's machine-readable revocation list."""

from django.urls import path

from thidua.honours.views import verify

app_name = "verify"

urlpatterns = [
    path("xac-minh/", verify.verify_form, name="form"),
    path("xac-minh/thu-hoi/<str:issuer>.json", verify.revoked_list, name="revoked"),
    path("xac-minh/<str:code>/", verify.verify_code, name="code"),
]
