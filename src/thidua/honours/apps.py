from django.apps import AppConfig


class HonoursConfig(AppConfig):
    name = "thidua.honours"
    label = "honours"
    verbose_name = "Khen thưởng"
