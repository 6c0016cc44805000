"""Everything stored about one patient, as tables of plain values, and the two downloads
made from them: one JSON file, and a zip of one CSV file per table. Both come from the same
tables, so they always hold the same data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.models import DOSE_FIELD_NAMES, DoseFields, ExerciseResult
from stenosis_coach.programme import dose_label, load_catalogue

# Spreadsheets run a cell that starts with one of these as a formula. Notes and activity
# names are typed by people, so such a cell gets a leading apostrophe in the CSV files.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    name: str
    columns: Sequence[str]
    rows: list[tuple[Any, ...]]  # plain JSON values, in the order of `columns`

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def when(moment: dt.datetime | dt.time | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def exercise_name(exercise_id: str, locale: str) -> str:
    return load_catalogue().get(exercise_id).text(locale).name


def dose_values(item: DoseFields, locale: str) -> tuple[Any, ...]:
    """The dose's numbers, then the same dose in words."""
    numbers = tuple(getattr(item, name) for name in DOSE_FIELD_NAMES)
    return (*numbers, dose_label(item.dose, load_catalogue(), locale))


DOSE_COLUMNS = (*DOSE_FIELD_NAMES, "dose")


def profile(patient: Patient) -> Table:
    columns = (
        "email",
        "joined_at",
        "language",
        "clinic",
        "diagnosis_confirmed",
        "usual_leg_pain",
        "usual_back_pain",
        "usual_walking_minutes",
        "preferred_session_time",
        "voice_on",
        "onboarded_at",
        "time_zone",
        "activities",
        "retired_activities",
    )
    user = patient.user
    activities = list(patient.activities.all())  # the ones changed later are kept, retired
    row = (
        user.email or user.get_username(),
        when(patient.created_at),
        patient.language,
        patient.clinic.name if patient.clinic else None,
        patient.diagnosis_confirmed,
        patient.usual_leg_pain,
        patient.usual_back_pain,
        patient.usual_walking_minutes,
        when(patient.preferred_session_time),
        patient.voice_on,
        when(patient.onboarded_at),
        patient.time_zone or None,
        [activity.name for activity in activities if activity.retired_at is None],
        [activity.name for activity in activities if activity.retired_at is not None],
    )
    return Table("profile", columns, [row])


def sessions(patient: Patient) -> Table:
    columns = (
        "session",
        "started_at",
        "finished_at",
        "prescription_version",
        "gentle",
        "leg_pain_before",
        "back_pain_before",
        "leg_pain_after",
        "back_pain_after",
        "new_leg_symptoms",
        "paused_seconds",
        "clock_trusted",
        "device_started_at",
    )
    rows = []
    records = patient.sessions.select_related("prescription").prefetch_related("pain_checkins")
    for session in records:
        pain = {checkin.moment: checkin for checkin in session.pain_checkins.all()}
        before = pain.get(PainCheckIn.Moment.BEFORE)
        after = pain.get(PainCheckIn.Moment.AFTER)
        rows.append(
            (
                str(session.uuid),
                when(session.started_at),
                when(session.finished_at),
                session.prescription.number,
                session.gentle,
                before.leg_pain if before else None,
                before.back_pain if before else None,
                after.leg_pain if after else None,
                after.back_pain if after else None,
                session.new_leg_symptoms,
                session.paused_seconds,
                session.clock_trusted,
                when(session.device_started_at),
            )
        )
    return Table("sessions", columns, rows)


def exercise_results(patient: Patient) -> Table:
    columns = (
        "session",
        "exercise_id",
        "exercise",
        "completed",
        "worse",
        "stop_reason",
        "sets_done",
        "reps_done",
        *DOSE_COLUMNS,
        "kept_back_flat",
        "light",
        "light_cause",
    )
    results = (
        ExerciseResult.objects.filter(session__patient=patient)
        .select_related("session")
        .order_by("session__started_at", "session__pk", "exercise__position")
    )
    rows = [
        (
            str(result.session.uuid),
            result.exercise_id,
            exercise_name(result.exercise_id, patient.language),
            result.completed,
            result.worse,
            result.stop_reason or None,
            result.sets_done,
            result.reps_done,
            *dose_values(result, patient.language),
            result.kept_back_flat,
            result.light,
            result.light_cause,
        )
        for result in results
    ]
    return Table("exercise_results", columns, rows)


def pain_checkins(patient: Patient) -> Table:
    columns = ("recorded_at", "moment", "session", "leg_pain", "back_pain")
    rows = [
        (
            when(checkin.recorded_at),
            checkin.moment,
            str(checkin.session.uuid) if checkin.session else None,
            checkin.leg_pain,
            checkin.back_pain,
        )
        for checkin in patient.pain_checkins.select_related("session")
    ]
    return Table("pain_checkins", columns, rows)


def walking_tests(patient: Patient) -> Table:
    columns = ("taken_at", "seconds", "minutes", "stopped_by_symptoms")
    rows = [
        (when(walk.taken_at), walk.seconds, float(walk.minutes), walk.stopped_by_symptoms)
        for walk in patient.walking_tests.all()
    ]
    return Table("walking_tests", columns, rows)


def function_checks(patient: Patient) -> Table:
    """One row per activity score; a check with only the question about change has one row
    with no activity."""
    columns = ("taken_at", "impression_score", "impression", "activity", "score")
    rows = []
    checks = patient.function_checks.prefetch_related("scores__activity")
    for check in checks:
        answer = (when(check.taken_at), check.impression, check.get_impression_display() or None)
        scores = [(score.activity.name, score.score) for score in check.scores.all()]
        rows.extend((*answer, *score) for score in scores or [(None, None)])
    return Table("function_checks", columns, rows)


def prescriptions(patient: Patient) -> Table:
    """Every version of the prescription, one row per exercise in it."""
    columns = (
        "version",
        "created_at",
        "source",
        "note",
        "sessions_per_day",
        "weekdays",
        "exercise_id",
        "exercise",
        "enabled",
        "locked",
        "paused",
        *DOSE_COLUMNS,
        "action",
        "reason",
    )
    versions = patient.prescriptions.order_by("number").prefetch_related("items")
    rows = [
        (
            version.number,
            when(version.created_at),
            version.source,
            version.note,
            version.sessions_per_day,
            version.weekdays,
            item.exercise_id,
            exercise_name(item.exercise_id, patient.language),
            item.enabled,
            item.locked,
            item.paused,
            *dose_values(item, patient.language),
            item.action or None,
            item.reason_in(patient.language),
        )
        for version in versions
        for item in version.items.all()
    ]
    return Table("prescriptions", columns, rows)


def red_flag_screenings(patient: Patient) -> Table:
    columns = ("taken_at", "outcome", "flagged", "answers")
    rows = [
        (when(screening.taken_at), screening.outcome, screening.flagged, screening.answers)
        for screening in patient.screenings.all()
    ]
    return Table("red_flag_screenings", columns, rows)


TABLES: tuple[Callable[[Patient], Table], ...] = (
    profile,
    sessions,
    exercise_results,
    pain_checkins,
    walking_tests,
    function_checks,
    prescriptions,
    red_flag_screenings,
)


def patient_tables(patient: Patient) -> list[Table]:
    return [table(patient) for table in TABLES]


def as_json(patient: Patient) -> bytes:
    document = {
        "exported_at": when(timezone.now()),
        **{table.name: table.records() for table in patient_tables(patient)},
    }
    return json.dumps(document, indent=2, ensure_ascii=False).encode()


def as_csv_zip(patient: Patient) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in patient_tables(patient):
            archive.writestr(f"{table.name}.csv", csv_text(table).encode("utf-8-sig"))
    return buffer.getvalue()


def csv_text(table: Table) -> str:
    """The table as CSV. (Written with a byte-order mark by as_csv_zip, so that spreadsheet
    programs read letters such as "ñ" right.)"""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    writer.writerows([csv_cell(value) for value in row] for row in table.rows)
    return out.getvalue()


def csv_cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
