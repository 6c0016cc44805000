"""Files made by the job worker for download, never in the request: the printed sheets
(about a second of WeasyPrint each) and the FHIR record (which holds the sheet).

A request asks for a file (`request_file`): a PreparedFile row for who asked, whose data,
what and on which paper, and a stamp of the data it is made from. The row is unique, so a
button pressed twice, or a page reloaded, asks once; the job is queued when the row is new
(or failed before). The worker's `make_prepared_file` makes the content once. With nothing
changed since, asking again serves the same file at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django_tasks import task

from stenosis_coach.patients.models import Patient

from . import handout
from .models import PreparedFile

logger = logging.getLogger(__name__)
KEEP_FILES = dt.timedelta(days=1)  # then the daily clean-up deletes them


@dataclass(frozen=True)
class Kind:
    make: Callable[[Patient, str], bytes]
    content_type: str
    name: str  # the file name's start: "stenosis-coach-exercises"
    extension: str


def fhir_record(patient: Patient, paper: str) -> bytes:
    from stenosis_coach.fhir.bundle import bundle_json

    return bundle_json(patient)


KINDS = {
    "exercises": Kind(handout.handout_pdf, "application/pdf", "stenosis-coach-exercises", "pdf"),
    "progress": Kind(handout.summary_pdf, "application/pdf", "stenosis-coach-progress", "pdf"),
    "fhir": Kind(fhir_record, "application/fhir+json", "stenosis-coach-fhir", "json"),
}


def data_stamp(patient: Patient) -> str:
    """A short digest of everything the files are made from: the plan, each kind of
    record, the reminder times, the messages, the language, zone and names."""
    from stenosis_coach.reminders.selectors import plan_of

    def last(queryset: object, field: str) -> tuple[object, object]:
        figures = queryset.aggregate(n=Count("pk"), last=Max(field))  # type: ignore[attr-defined]
        return figures["n"], figures["last"]

    parts = [
        patient.language,
        patient.time_zone,
        patient.user.get_full_name(),
        patient.therapist_id,
        patient.clinic_id,
        patient.diagnosis_confirmed,
        last(patient.prescriptions, "number"),
        last(patient.sessions, "finished_at"),
        last(patient.pain_checkins, "recorded_at"),
        last(patient.walking_tests, "taken_at"),
        last(patient.function_checks, "taken_at"),
        last(patient.screenings, "taken_at"),
        last(patient.messages, "pk"),
        last(patient.activities, "pk"),
        plan_of(patient).updated_at,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


@transaction.atomic
def request_file(
    patient: Patient, user: AbstractBaseUser, kind: str, paper: str = ""
) -> PreparedFile:
    """The file for this request: made already, being made, or queued now."""
    file, created = PreparedFile.objects.get_or_create(
        requested_by=user, patient=patient, kind=kind, paper=paper, stamp=data_stamp(patient)
    )
    if not created and file.status == PreparedFile.Status.FAILED:
        PreparedFile.objects.filter(pk=file.pk).update(status=PreparedFile.Status.WAITING)
        file.status = PreparedFile.Status.WAITING
        created = True
    if created:
        transaction.on_commit(partial(make_prepared_file.enqueue, file_id=str(file.pk)))
    return file


@task()
def make_prepared_file(file_id: str) -> str:
    """Make the file's content, once: a second run, or one for a file deleted since (the
    patient deleted their account), does nothing. The state it ends in."""
    with transaction.atomic():
        file = (
            PreparedFile.objects.select_for_update()
            .select_related("patient__user")
            .filter(pk=file_id)
            .first()
        )
        if file is None or file.status == PreparedFile.Status.READY:
            return file.status if file else "gone"
        try:
            content = KINDS[file.kind].make(file.patient, file.paper or handout.DEFAULT_PAPER)
        except Exception:
            logger.exception("Could not make prepared file %s (%s)", file.pk, file.kind)
            file.status = PreparedFile.Status.FAILED
        else:
            file.content, file.status = content, PreparedFile.Status.READY
        file.finished_at = timezone.now()
        file.save(update_fields=["content", "status", "finished_at"])
        return file.status


def file_name(file: PreparedFile) -> str:
    """ "stenosis-coach-exercises-2026-03-03-a4.pdf": the day it was made (the patient's),
    so files of different days differ, and the paper, so A4 and Letter copies do not
    overwrite each other."""
    kind = KINDS[file.kind]
    day = timezone.localtime(file.created_at, file.patient.zone).date()
    paper = f"-{file.paper}" if file.paper else ""
    return f"{kind.name}-{day:%Y-%m-%d}{paper}.{kind.extension}"


def prune_files(now: dt.datetime | None = None) -> int:
    """Delete files made more than KEEP_FILES ago; how many."""
    now = now or timezone.now()
    deleted, _ = PreparedFile.objects.filter(created_at__lt=now - KEEP_FILES).delete()
    return deleted


@task()
def prune_prepared_files(slot: str) -> int:
    return prune_files()
