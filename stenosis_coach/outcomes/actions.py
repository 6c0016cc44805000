"""Writes about outcome measures. Each runs in one transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from stenosis_coach.patients.models import Patient

from .models import WALKING_TEST_CAP_MINUTES, PainCheckIn, WalkingTest


def check_pain(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValidationError({name: "Pain is a whole number from 0 to 10."})


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
    minutes: Decimal,
    stopped_by_symptoms: bool,
    when: dt.datetime | None = None,
) -> WalkingTest:
    """A self-paced walking test; a walk that reached the 30-minute cap was not stopped by
    symptoms."""
    minutes = Decimal(minutes).quantize(Decimal("0.1"))
    if not 0 <= minutes <= WALKING_TEST_CAP_MINUTES:
        raise ValidationError({"minutes": "Minutes walked must be from 0 to 30."})
    if minutes == WALKING_TEST_CAP_MINUTES:
        stopped_by_symptoms = False
    return WalkingTest.objects.create(
        patient=patient,
        taken_at=when or timezone.now(),
        minutes=minutes,
        stopped_by_symptoms=stopped_by_symptoms,
    )
