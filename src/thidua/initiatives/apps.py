from importlib import import_module

from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "thidua.initiatives"
    label = "initiatives"
    verbose_name = "Sáng kiến"

    def ready(self) -> None:
        # the documents module registers the Word templates an administrator may replace
        import_module(f"{self.name}.documents")
        # the recognitions, kept as subtree sums (ADR 0036)
        import_module(f"{self.name}.figures")
        # initiatives travel with a subtree in `thidua dump` / `thidua load`
        import_module(f"{self.name}.exchange").register()
        # … with their councils, reviews, votes and scores (after them: the reviews name them)
        import_module(f"{self.name}.exchange_councils").register()
