from importlib import import_module

from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "thidua.clusters"
    label = "clusters"
    verbose_name = "Cụm, khối thi đua"

    def ready(self) -> None:
        # the documents module registers the Word templates an administrator may replace
        import_module(f"{self.name}.documents")
        # clusters travel with the subtree of the unit that set them up, in `thidua dump` /
        # `thidua load` (after the proposals: a nomination names the proposal it became)
        import_module(f"{self.name}.exchange").register()
