"""The reminder jobs the worker runs: the minute sweep and one push per reminder."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from stenosis_coach.patients.models import Patient

from . import sweep


@task()
def send_due_reminders(slot: str) -> int:
    """The minute sweep (see sweep.py): the number of reminders queued."""
    return len(sweep.send_due_reminders())


@task()
def send_push_reminder(patient_id: int, due_at: str) -> int:
    """One reminder to each of the patient's devices; the number it reached. The sweep
    queues it once per reminder (its SentReminder row)."""
    from .push import push_to_patient

    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None:  # the account was deleted since
        return 0
    with translation.override(patient.language):
        return push_to_patient(
            patient,
            title=_("Time to do your exercises"),
            body="",  # the title says it all, and nothing of health
            url=reverse("today"),
            tag=f"reminder-{due_at}",
        )
