from django.apps import AppConfig


class PatientsConfig(AppConfig):
    """Patients: accounts, their clinic and therapist, and red-flag screenings."""

    name = "stenosis_coach.patients"
