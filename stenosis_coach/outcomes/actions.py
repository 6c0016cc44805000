"""Writes about outcome measures. Each runs in one transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

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
    return WalkingTest.objects.create(
        patient=patient,
        taken_at=when or timezone.now(),
        seconds=seconds,
        stopped_by_symptoms=stopped_by_symptoms,
    )


@transaction.atomic
def start_function_tracking(patient: Patient, activities: list[tuple[str, int]]) -> FunctionCheck:
    """The first function check: the patient's hard activities (up to 3), each rated 0-10.
    Recorded even with no activities, so onboarding knows this step is done."""
    if len(activities) > MAX_ACTIVITIES:
        raise ValidationError({"activities": "Up to 3 activities."})
    patient.activities.all().delete()
    check = FunctionCheck.objects.create(patient=patient, taken_at=timezone.now())
    for position, (name, score) in enumerate(activities, start=1):
        check_pain("score", score)
        activity = Activity.objects.create(patient=patient, name=name, position=position)
        ActivityScore.objects.create(function_check=check, activity=activity, score=score)
    return check


@transaction.atomic
def record_function_check(
    patient: Patient, scores: dict[int, int], impression: int | None
) -> FunctionCheck:
    """A two-weekly check: a 0-10 score for each of the patient's activities (by id) and
    the global impression of change (1 very much better ... 7 very much worse)."""
    activities = {activity.pk: activity for activity in patient.activities.all()}
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
    return check
