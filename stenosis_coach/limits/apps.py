from django.apps import AppConfig


class LimitsConfig(AppConfig):
    """Rate limits: how many tries each address, e-mail or account gets in a time."""

    name = "stenosis_coach.limits"
