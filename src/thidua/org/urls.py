from django.urls import path

from thidua.org import views

app_name = "org"
urlpatterns = [
    path("don-vi/", views.tree, name="tree"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit"),
    path("don-vi/<str:code>/cay/", views.tree_children, name="tree-children"),
]
