"""Pain check-ins and walking tests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from stenosis_coach.outcomes.actions import record_pain_checkin, record_walking_test
from stenosis_coach.patients.models import Patient


def test_a_pain_check_in_on_its_own(alice: Patient) -> None:
    checkin = record_pain_checkin(alice, leg_pain=6, back_pain=0)
    assert (checkin.leg_pain, checkin.back_pain, checkin.moment) == (6, 0, "daily")
    assert checkin.session is None


@pytest.mark.parametrize("bad", [11, -1, True, 2.5])
def test_pain_outside_0_to_10_is_refused(alice: Patient, bad: object) -> None:
    with pytest.raises(ValidationError, match="0 to 10"):
        record_pain_checkin(alice, leg_pain=bad, back_pain=1)  # type: ignore[arg-type]
    assert not alice.pain_checkins.exists()


def test_a_walking_test_stopped_by_symptoms(alice: Patient) -> None:
    walk = record_walking_test(alice, seconds=437, stopped_by_symptoms=True)
    assert walk.seconds == 437
    assert walk.stopped_by_symptoms


def test_minutes_are_kept_to_the_nearest_second(alice: Patient) -> None:
    walk = record_walking_test(alice, minutes=Decimal("7.46"), stopped_by_symptoms=True)
    assert walk.seconds == 448  # 7.46 minutes is 447.6 seconds
    assert walk.minutes == Decimal("7.47")


def test_a_walk_that_reaches_30_minutes_was_not_stopped(alice: Patient) -> None:
    walk = record_walking_test(alice, minutes=Decimal(30), stopped_by_symptoms=True)
    assert not walk.stopped_by_symptoms
    assert walk.seconds == 1800


@pytest.mark.parametrize("minutes", [Decimal("-1"), Decimal("30.5"), Decimal(45)])
def test_walks_outside_0_to_30_minutes_are_refused(alice: Patient, minutes: Decimal) -> None:
    with pytest.raises(ValidationError, match="0 to 30"):
        record_walking_test(alice, minutes=minutes, stopped_by_symptoms=True)
    assert not alice.walking_tests.exists()


@pytest.mark.parametrize("seconds", [-1, 1801, True, 12.5])
def test_seconds_must_be_whole_and_in_range(alice: Patient, seconds: object) -> None:
    with pytest.raises(ValidationError):
        record_walking_test(alice, seconds=seconds, stopped_by_symptoms=True)  # type: ignore[arg-type]
    assert not alice.walking_tests.exists()


def test_the_time_is_given_once(alice: Patient) -> None:
    with pytest.raises(TypeError):
        record_walking_test(alice, seconds=60, minutes=Decimal(1), stopped_by_symptoms=True)
    with pytest.raises(TypeError):
        record_walking_test(alice, stopped_by_symptoms=True)
