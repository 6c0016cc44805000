from django.apps import AppConfig


class PatientsConfig(AppConfig):
    """Patients: accounts, their clinic and therapist, and red-flag screenings."""

    name = "stenosis_coach.patients"

    def ready(self) -> None:
        # Connects the log-in signal that brings back a patient's saved language.
        from . import language  # noqa: F401
