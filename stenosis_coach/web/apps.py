from django.apps import AppConfig


class WebConfig(AppConfig):
    """Web: the shared page layout, styles and the public pages."""

    name = "stenosis_coach.web"
