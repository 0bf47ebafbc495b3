from importlib import import_module

from django.apps import AppConfig


class HonoursConfig(AppConfig):
    name = "thidua.honours"
    label = "honours"
    verbose_name = "Khen thưởng"

    def ready(self) -> None:
        # the documents module registers the Word templates an administrator may replace
        import_module(f"{self.name}.documents")
        # the award figures join `figures-check` and `figures_rebuild` (ADR 0034)
        import_module(f"{self.name}.figures")
        # decisions and awards travel with a subtree in `thidua dump` / `thidua load`
        import_module(f"{self.name}.exchange").register()
        # … with the proposals, their councils and dossiers (after them: a candidate names the
        # award it led to)
        import_module(f"{self.name}.exchange_proposals").register()
