from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """Exports: a patient's own data to download, and deleting it."""

    name = "stenosis_coach.exports"
