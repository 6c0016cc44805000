"""Writes about outcome measures. Each runs in one transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from stenosis_coach.clinic import triage
from stenosis_coach.patients.models import Patient

from .models import (
    WALKING_TEST_CAP_SECONDS,
    Activity,
    ActivityScore,
    FunctionCheck,
    PainCheckIn,
    WalkingTest,
)

MAX_ACTIVITIES = 3


def check_pain(name: str, value: int) -> None:
    """Pain and activity scores are whole numbers from 0 to 10."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValidationError({name: "Pick a whole number from 0 to 10."})


@transaction.atomic
def record_pain_checkin(
    patient: Patient, *, leg_pain: int, back_pain: int, when: dt.datetime | None = None
) -> PainCheckIn:
    """A pain check-in on its own, outside a session."""
    check_pain("leg_pain", leg_pain)
    check_pain("back_pain", back_pain)
    return PainCheckIn.objects.create(
        patient=patient,
        moment=PainCheckIn.Moment.DAILY,
        recorded_at=when or timezone.now(),
        leg_pain=leg_pain,
        back_pain=back_pain,
    )


@transaction.atomic
def record_walking_test(
    patient: Patient,
    *,
    seconds: int | None = None,
    minutes: Decimal | float | None = None,
    stopped_by_symptoms: bool,
    when: dt.datetime | None = None,
) -> WalkingTest:
    """A self-paced walking test, in whole seconds (or minutes, made into the nearest
    second); a walk that reached the 30-minute cap was not stopped by symptoms."""
    if (seconds is None) == (minutes is None):
        raise TypeError("Give the time walked in seconds or in minutes.")
    if seconds is None:
        seconds = round(Decimal(str(minutes)) * 60)
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise ValidationError({"seconds": "The time walked must be whole seconds."})
    if not 0 <= seconds <= WALKING_TEST_CAP_SECONDS:
        raise ValidationError({"seconds": "Time walked must be from 0 to 30 minutes."})
    if seconds == WALKING_TEST_CAP_SECONDS:
        stopped_by_symptoms = False
    test = WalkingTest.objects.create(
        patient=patient,
        taken_at=when or timezone.now(),
        seconds=seconds,
        stopped_by_symptoms=stopped_by_symptoms,
    )
    triage.walking_test_recorded(patient, test)  # alerts for the therapist, if any
    return test


@transaction.atomic
def choose_activities(patient: Patient, activities: list[tuple[str, int]]) -> FunctionCheck:
    """The patient's hard activities (up to 3, in slots 1 to 3), each rated 0-10 now: at
    onboarding, or later when they change them. Recorded even with none, so onboarding
    knows this step is done.

    An activity kept in its slot (the same name) goes on with its scores. One replaced or
    left out is retired, never deleted: its scores stay in Progress and My data. Before
    onboarding is done, answering again (Back, then Next) corrects the first check rather
    than adding one; an activity then left with no score at all is dropped."""
    if len(activities) > MAX_ACTIVITIES:
        raise ValidationError({"activities": "Up to 3 activities."})
    for _name, score in activities:
        check_pain("score", score)
    # One change at a time per patient: two at once could both take a slot.
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    check = first_check_to_correct(patient) or FunctionCheck.objects.create(
        patient=patient, taken_at=timezone.now()
    )
    check.scores.all().delete()  # a correction's old answers (a new check has none)
    kept = keep_or_retire(patient, [name for name, _score in activities])
    for activity, (_name, score) in zip(kept, activities, strict=True):
        ActivityScore.objects.create(function_check=check, activity=activity, score=score)
    return check


# The name onboarding and older callers know it by.
start_function_tracking = choose_activities


def first_check_to_correct(patient: Patient) -> FunctionCheck | None:
    """Onboarding's own check, while onboarding is not done (no other check can exist yet:
    the two-weekly check waits for onboarding). None once onboarding is done."""
    if patient.onboarded_at is not None:
        return None
    check = patient.function_checks.order_by("-taken_at", "-pk").first()
    if check is not None:
        check.taken_at = timezone.now()
        check.save(update_fields=["taken_at"])
    return check


def keep_or_retire(patient: Patient, names: list[str]) -> list[Activity]:
    """The active activity for each name, slot by slot: the one already there if its name
    is the same (its spelling updated), else a new one. Every other active activity is
    retired, or dropped if it has no score at all (nothing of it would be lost)."""
    current = {activity.position: activity for activity in patient.activities.active()}
    kept: dict[int, Activity] = {}
    for position, name in enumerate(names, start=1):
        activity = current.get(position)
        if activity is not None and same_activity(activity.name, name):
            if activity.name != name:
                activity.name = name
                activity.save(update_fields=["name"])
            kept[position] = activity
    for position, activity in current.items():
        if position not in kept:
            retire(activity)
    return [
        kept.get(position) or Activity.objects.create(patient=patient, name=name, position=position)
        for position, name in enumerate(names, start=1)
    ]


def same_activity(old: str, new: str) -> bool:
    """The same words, whatever the capitals and spaces ("cooking " is "Cooking")."""
    return " ".join(old.split()).casefold() == " ".join(new.split()).casefold()


def retire(activity: Activity) -> None:
    if not activity.scores.exists():
        activity.delete()
        return
    activity.retired_at = timezone.now()
    activity.save(update_fields=["retired_at"])


@transaction.atomic
def record_function_check(
    patient: Patient, scores: dict[int, int], impression: int | None
) -> FunctionCheck:
    """A two-weekly check: a 0-10 score for each of the patient's activities (by id) and
    the global impression of change (1 very much better ... 7 very much worse)."""
    activities = {activity.pk: activity for activity in patient.activities.active()}
    if set(scores) != set(activities):
        raise ValidationError({"scores": "Please rate each of your activities."})
    if impression is not None and impression not in FunctionCheck.Impression.values:
        raise ValidationError({"impression": "Please pick one of the answers."})
    check = FunctionCheck.objects.create(
        patient=patient, taken_at=timezone.now(), impression=impression
    )
    for activity_id, score in scores.items():
        check_pain("score", score)
        ActivityScore.objects.create(
            function_check=check, activity=activities[activity_id], score=score
        )
    triage.function_check_recorded(patient, check)  # alerts for the therapist, if any
    return check
