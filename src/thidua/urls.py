from django.urls import URLPattern, include, path

from thidua.api import api
from thidua.platform.api import api_view

# Under /api/ every error is JSON, Django's own ones included (unknown path, refused or
# oversized request, crash); elsewhere these handlers render the usual pages.
handler400 = "thidua.platform.api.handler400"
handler403 = "thidua.platform.api.handler403"
handler404 = "thidua.platform.api.handler404"
handler500 = "thidua.platform.api.handler500"

api_patterns, api_app, api_namespace = api.urls
for pattern in api_patterns:
    if isinstance(pattern, URLPattern):
        pattern.callback = api_view(pattern.callback)

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
    path("", include("thidua.reports.urls")),
    path("", include("thidua.clusters.urls")),
    path("api/", (api_patterns, api_app, api_namespace)),
]
