from importlib import import_module

from django.apps import AppConfig


class HonoursConfig(AppConfig):
    name = "thidua.honours"
    label = "honours"
    verbose_name = "Khen thưởng"

    def ready(self) -> None:
        # the documents module registers the Word templates an administrator may replace
        import_module(f"{self.name}.documents")
