from django.urls import path

from thidua.org import views

app_name = "org"
urlpatterns = [
    path("don-vi/", views.tree, name="tree"),
]
