from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "thidua.initiatives"
    label = "initiatives"
    verbose_name = "Sáng kiến"
