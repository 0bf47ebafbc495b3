from importlib import import_module

from django.apps import AppConfig


class MovementsConfig(AppConfig):
    name = "thidua.movements"
    label = "movements"
    verbose_name = "Phong trào thi đua và đăng ký"

    def ready(self) -> None:
        # the launches and registrations, kept as subtree sums (ADR 0036)
        import_module(f"{self.name}.figures")
        import_module(f"{self.name}.registered")  # kept registration figures (ADR 0037)
        # registrations travel with a subtree in `thidua dump` / `thidua load`
        import_module(f"{self.name}.exchange").register()
        # and the movements, plans and deployments (format version 7)
        import_module(f"{self.name}.exchange_plans").register()
