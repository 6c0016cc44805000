"""Writes about a patient's data as a whole. Each runs in one transaction."""

from __future__ import annotations

from django.db import transaction

from stenosis_coach.patients.models import Patient
from stenosis_coach.patients.sessions import end_sessions


@transaction.atomic
def delete_account(patient: Patient) -> None:
    """Delete the patient's account and everything stored about them: all of it or, if
    anything fails, none of it."""
    # Every log-in session of the account ends (on other devices too).
    end_sessions(patient.user)
    # Deleting the user takes the patient record and every record about them with it.
    patient.user.delete()
