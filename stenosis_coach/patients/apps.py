from django.apps import AppConfig
from django.db.backends.signals import connection_created

from stenosis_coach.private_files import keep_sqlite_files_private


class PatientsConfig(AppConfig):
    """Patients: accounts, their clinic and therapist, and red-flag screenings."""

    name = "stenosis_coach.patients"

    def ready(self) -> None:
        # Connects the log-in signal that brings back a patient's saved language.
        from . import language  # noqa: F401

        # The SQLite database and its WAL files: 0600, for the app's account alone.
        connection_created.connect(keep_sqlite_files_private, dispatch_uid="private-sqlite")
