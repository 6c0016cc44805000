from django.apps import AppConfig


class ClinicConfig(AppConfig):
    """The clinic side: its staff (therapists and admins) and the audit log of what they read
    and change."""

    name = "stenosis_coach.clinic"

    def ready(self) -> None:
        from . import summaries  # noqa: F401  (connects the alert's summary update)
