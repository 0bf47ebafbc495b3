from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web shell above every domain app: navigation, error pages."""

    name = "thidua.web"
    label = "web"
    verbose_name = "Giao diện web"
