from importlib import import_module

from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "thidua.initiatives"
    label = "initiatives"
    verbose_name = "Sáng kiến"

    def ready(self) -> None:
        # the documents module registers the Word templates an administrator may replace
        import_module(f"{self.name}.documents")
        # initiatives travel with a subtree in `thidua dump` / `thidua load`
        import_module(f"{self.name}.exchange").register()
