from django.urls import path

from thidua.web.views import audit

app_name = "audit"

urlpatterns = [
    path("", audit.audit_list, name="list"),
]
