from django.urls import include, path

from thidua.api import api

urlpatterns = [
    path("", include("thidua.web.urls")),
    path("", include("thidua.accounts.urls")),
    path("", include("thidua.people.urls_tree")),
    path("", include("thidua.people.urls")),
    path("", include("thidua.movements.urls")),
    path("", include("thidua.evaluation.urls")),
    path("", include("thidua.initiatives.urls")),
    path("", include("thidua.honours.urls")),
    path("", include("thidua.honours.urls_documents")),
    path("", include("thidua.honours.urls_public")),
    path("api/", api.urls),
]
