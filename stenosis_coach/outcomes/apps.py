from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """Outcomes: pain check-ins and walking tests, the measures of how a patient is doing."""

    name = "stenosis_coach.outcomes"
