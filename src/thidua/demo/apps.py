from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The seed scenarios, built through the services; installed for its `demo_data` command."""

    name = "thidua.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
