from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    """Councils of every kind (review, initiative, later honours): members with roles, votes per
    subject in one vocabulary, the tally and the threshold arithmetic."""

    name = "thidua.councils"
    label = "councils"
    verbose_name = "Hội đồng"
