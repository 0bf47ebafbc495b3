"""The tree pages (namespace `org`, as before they moved here from the org app)."""

from django.urls import path

from thidua.people.views import tree as views

app_name = "org"
urlpatterns = [
    path("don-vi/", views.tree, name="tree"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit"),
    path("don-vi/<str:code>/cay/", views.tree_children, name="tree-children"),
]
