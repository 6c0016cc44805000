"""Shared builders for the engine tests: doses, prescriptions, results and sessions."""

from __future__ import annotations

import datetime as dt

from stenosis_coach.programme import (
    Dose,
    ExerciseResult,
    PrescribedExercise,
    Prescription,
    SessionRecord,
    StopReason,
    load_catalogue,
)

CATALOGUE = load_catalogue()
FIRST_DAY = dt.date(2026, 1, 1)

BACK_FLEXION = "back-flexion"
CHILDS_POSE = "childs-pose"
PELVIC_TILT = "pelvic-tilt"
MARCH = "hook-lying-march"
CURL_UP = "curl-up"
# Session order: every exercise on the back, then child's pose on hands and knees.
ALL_IDS = (BACK_FLEXION, PELVIC_TILT, MARCH, CURL_UP, CHILDS_POSE)
STRETCHES = (BACK_FLEXION, CHILDS_POSE)


def held(hold: int, reps: int, sets: int = 1, set_break: int | None = None) -> Dose:
    return Dose(sets=sets, reps=reps, hold_seconds=hold, set_break_seconds=set_break)


def curl(reps: int, hold: int, sets: int = 1, last: int | None = None) -> Dose:
    """A curl-up dose: every curl-up rung has a 30-s set break."""
    return Dose(sets=sets, reps=reps, hold_seconds=hold, set_break_seconds=30, last_set_reps=last)


def march(sets: int) -> Dose:
    return Dose(sets=sets, work_seconds=30, set_break_seconds=30)


def item(
    exercise_id: str, dose: Dose, step_up_from: Dose | None = None, **flags: bool
) -> PrescribedExercise:
    return PrescribedExercise(exercise_id, dose, step_up_from=step_up_from, **flags)


def prescription(*items: PrescribedExercise) -> Prescription:
    return Prescription(tuple(items))


def only(exercise_id: str, dose: Dose, **flags: bool) -> Prescription:
    """A prescription with a single exercise."""
    return prescription(item(exercise_id, dose, **flags))


def green(exercise_id: str, dose: Dose, kept_back_flat: bool | None = None) -> ExerciseResult:
    return ExerciseResult(exercise_id, dose, completed=True, kept_back_flat=kept_back_flat)


def flat(exercise_id: str, dose: Dose) -> ExerciseResult:
    """Green, with a "yes" to "Could you keep your low back pressed flat the whole time?"."""
    return green(exercise_id, dose, kept_back_flat=True)


def red(exercise_id: str, dose: Dose) -> ExerciseResult:
    """The patient pressed "It hurts - stop" because of leg pain."""
    return ExerciseResult(exercise_id, dose, completed=False, stop_reason=StopReason.LEG_PAIN)


def worse(exercise_id: str, dose: Dose) -> ExerciseResult:
    """Finished, but answered "yes, worse" at the check-in."""
    return ExerciseResult(exercise_id, dose, completed=True, worse=True)


def unfinished(exercise_id: str, dose: Dose) -> ExerciseResult:
    """Skipped part of it without pain."""
    return ExerciseResult(exercise_id, dose, completed=False, stop_reason=StopReason.SKIPPED)


def session(
    *results: ExerciseResult,
    before: int | None = None,
    after: int | None = None,
    day: int | None = None,
    version: int | None = None,
) -> SessionRecord:
    """A session; `day` counts days from 1 January 2026 (None: a day of its own)."""
    return SessionRecord(
        tuple(results),
        leg_pain_before=before,
        leg_pain_after=after,
        day=on_day(day) if day is not None else None,
        prescription_version=version,
    )


def on_day(number: int) -> dt.date:
    """Day `number` of a patient's programme (0: 1 January 2026)."""
    return FIRST_DAY + dt.timedelta(days=number)
