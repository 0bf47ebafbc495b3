from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """Domain-free mechanisms every app builds on; imports no domain app."""

    name = "thidua.platform"
    label = "platform"
    verbose_name = "Nền tảng"
