from importlib import import_module

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "thidua.reports"
    label = "reports"
    verbose_name = "Chỉ tiêu, chăm lo, phát triển Đảng và báo cáo"

    def ready(self) -> None:
        # the documents module registers the Word template an administrator may replace
        import_module(f"{self.name}.documents")
        # the report's kept figures register with the roster's figures (ADR 0032)
        import_module(f"{self.name}.kept")
        # its records travel with a subtree in the exchange format (version 5)
        import_module(f"{self.name}.exchange").register()
