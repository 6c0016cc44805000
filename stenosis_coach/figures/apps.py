from django.apps import AppConfig


class FiguresConfig(AppConfig):
    """Figures: the exercise pictures, as a public gallery and as JSON for the player."""

    name = "stenosis_coach.figures"
