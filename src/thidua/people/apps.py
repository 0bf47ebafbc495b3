from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "thidua.people"
    label = "people"
    verbose_name = "Người lao động và đoàn viên"

    def ready(self) -> None:
        # registers what a lost import task means for its job (platform.worker.on_lost)
        from thidua.people.services import import_jobs  # noqa: F401
