"""Steps up and down from any dose (Exercise.step_up, step_down, reached_target), and the
part-by-part comparison of doses (Dose.at_most) they are built on."""

from __future__ import annotations

import itertools

import pytest

from stenosis_coach.programme import CatalogueError, Dose
from stenosis_coach.programme.catalogue import changed_part, parse_catalogue, read_data

from .helpers import (
    ALL_IDS,
    BACK_FLEXION,
    CATALOGUE,
    CHILDS_POSE,
    CURL_UP,
    MARCH,
    PELVIC_TILT,
    curl,
    held,
    march,
)


def timed(sets: int, work: int) -> Dose:
    return Dose(sets=sets, work_seconds=work, set_break_seconds=30)


# --- comparing doses part by part ---------------------------------------------------------


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [
        (held(10, 4), held(15, 4)),
        (held(15, 4), held(15, 6)),
        (held(30, 4), held(30, 4)),  # equal counts as at most
        (curl(10, 4), curl(10, 4, sets=2, last=5)),  # one set of 10 fits in the first set
        (curl(10, 4, sets=2, last=5), curl(10, 4, sets=2)),
        (march(2), march(3)),
        (timed(2, 20), timed(2, 30)),
    ],
)
def test_at_most_in_every_part(smaller: Dose, larger: Dose) -> None:
    assert smaller.at_most(larger)


@pytest.mark.parametrize(
    ("dose", "other"),
    [
        (held(20, 4), held(15, 6)),  # the hold grows
        (held(15, 6), held(20, 4)),  # the reps grow
        (held(10, 4, sets=2, set_break=30), held(30, 6)),  # the sets grow
        (curl(10, 2, sets=2), curl(10, 2, sets=2, last=5)),  # the last set grows
        (curl(10, 2), curl(5, 5)),  # 10 x 2 s: fewer seconds, but more reps
        (timed(1, 30), timed(2, 20)),  # a longer set
        (march(1), held(30, 6)),  # another form
    ],
)
def test_not_at_most_when_any_part_grows(dose: Dose, other: Dose) -> None:
    assert not dose.at_most(other)


def test_a_longer_break_between_sets_is_not_more_load() -> None:
    longer_rest = Dose(sets=2, reps=5, hold_seconds=5, set_break_seconds=60)
    shorter_rest = Dose(sets=2, reps=5, hold_seconds=5, set_break_seconds=30)
    assert longer_rest.at_most(shorter_rest)
    assert not longer_rest.smaller_than(shorter_rest)


# --- steps down ---------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", ALL_IDS)
def test_a_step_down_from_a_rung_is_the_rung_below(exercise_id: str) -> None:
    ladder = CATALOGUE.get(exercise_id).ladder
    for lower, upper in itertools.pairwise(ladder):
        assert CATALOGUE.get(exercise_id).step_down(upper) == lower
    assert CATALOGUE.get(exercise_id).step_down(ladder[0]) is None


@pytest.mark.parametrize(
    ("exercise_id", "dose", "expected"),
    [
        # the findings of issue 10, where the old step down grew a part
        (BACK_FLEXION, held(15, 6), held(15, 4)),  # was 4 x 20 s
        (BACK_FLEXION, held(30, 3), held(30, 2)),  # was 4 x 20 s; no rung has 3 reps or fewer
        (CURL_UP, Dose(reps=6, hold_seconds=5), curl(6, 2)),  # was 10 x 2 s
        (MARCH, timed(2, 20), timed(1, 20)),  # was 1 x 30 s; no rung has 20-s sets
        # the highest rung that fits in every part
        (BACK_FLEXION, held(12, 4), held(10, 4)),
        (BACK_FLEXION, held(30, 8), held(30, 6)),
        (BACK_FLEXION, held(20, 8), held(20, 4)),
        (CHILDS_POSE, held(30, 6, sets=2, set_break=30), held(30, 6)),
        (CURL_UP, curl(12, 4, sets=3, last=2), curl(10, 4, sets=2)),
        (MARCH, timed(4, 45), march(3)),
    ],
)
def test_a_step_down_never_grows_a_part(exercise_id: str, dose: Dose, expected: Dose) -> None:
    lower = CATALOGUE.get(exercise_id).step_down(dose)
    assert lower == expected
    assert lower.smaller_than(dose)


@pytest.mark.parametrize(
    ("exercise_id", "dose", "expected"),
    [
        # no rung fits: first what the ladder grows, the last thing it grows first ...
        (BACK_FLEXION, held(30, 3), held(30, 2)),  # the stretches: a rep ...
        (BACK_FLEXION, held(30, 1), held(25, 1)),  # ... then 5 s of hold
        (MARCH, timed(2, 20), timed(1, 20)),  # the march: a set
        (PELVIC_TILT, held(10, 2), held(10, 1)),  # its 10-s hold stays
        (CURL_UP, Dose(reps=3, hold_seconds=2), Dose(reps=2, hold_seconds=2)),
        # ... then what a therapist chose that the ladder never changes: an extra set first
        (BACK_FLEXION, held(30, 1, sets=2, set_break=30), held(25, 1, sets=2, set_break=30)),
        (BACK_FLEXION, held(5, 1, sets=2, set_break=30), held(5, 1, sets=1, set_break=30)),
        (PELVIC_TILT, held(10, 1), held(5, 1)),
        # never below a 5-s hold or 5 s of work
        (BACK_FLEXION, held(7, 1), held(5, 1)),
        (MARCH, timed(1, 8), timed(1, 5)),
    ],
)
def test_off_the_ladder_with_no_rung_below_one_part_goes_down_one_step(
    exercise_id: str, dose: Dose, expected: Dose
) -> None:
    assert CATALOGUE.get(exercise_id).step_down(dose) == expected


@pytest.mark.parametrize(
    ("exercise_id", "dose"),
    [
        (BACK_FLEXION, held(5, 1)),
        (BACK_FLEXION, held(3, 1)),
        (MARCH, timed(1, 5)),
        (CURL_UP, Dose(reps=1, hold_seconds=1)),
    ],
)
def test_never_below_one_rep_and_five_seconds(exercise_id: str, dose: Dose) -> None:
    assert CATALOGUE.get(exercise_id).step_down(dose) is None


# --- steps up -----------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", ALL_IDS)
def test_a_step_up_from_a_rung_is_the_next_rung(exercise_id: str) -> None:
    exercise = CATALOGUE.get(exercise_id)
    for lower, upper in itertools.pairwise(exercise.ladder):
        assert exercise.step_up(lower) == upper
    assert exercise.step_up(exercise.target) is None


@pytest.mark.parametrize("exercise_id", ALL_IDS)
def test_the_ladder_is_what_one_step_off_the_ladder_would_do(exercise_id: str) -> None:
    """Each rung differs from the one before in one part by one step: the same step the
    engine takes from a dose off the ladder (so on and off the ladder follow one rule)."""
    exercise = CATALOGUE.get(exercise_id)
    for lower, upper in itertools.pairwise(exercise.ladder):
        assert changed_part(lower, upper) is not None
        steps = [grown for part in exercise.growth_order if (grown := exercise.grow(lower, part))]
        assert steps[0] == upper


@pytest.mark.parametrize(
    ("exercise_id", "dose", "expected"),
    [
        # the trial dose: one more rep, never a shorter hold (it was 4 x 25 s)
        (BACK_FLEXION, held(30, 3), held(30, 4)),
        (BACK_FLEXION, held(25, 3), held(25, 4)),  # a step that lands on a rung wins
        (BACK_FLEXION, held(12, 4), held(15, 4)),  # one step goes no further than the rung
        (BACK_FLEXION, held(10, 3), held(10, 4)),
        (BACK_FLEXION, held(20, 8), held(25, 8)),  # the reps are past the target already
        (PELVIC_TILT, held(5, 10), held(10, 10)),  # a part the ladder does not grow
        (CURL_UP, Dose(reps=12, hold_seconds=4), curl(12, 4, sets=2, last=5)),
        (CURL_UP, curl(12, 4, sets=2, last=9), curl(12, 4, sets=2, last=10)),
        (MARCH, timed(2, 20), timed(3, 20)),  # the ladder adds sets first
        (MARCH, timed(3, 20), timed(3, 25)),
    ],
)
def test_a_step_up_off_the_ladder_changes_one_part_by_one_step(
    exercise_id: str, dose: Dose, expected: Dose
) -> None:
    assert CATALOGUE.get(exercise_id).step_up(dose) == expected


@pytest.mark.parametrize(
    ("exercise_id", "dose", "at_target"),
    [
        (BACK_FLEXION, held(30, 6), True),
        (BACK_FLEXION, held(30, 8), True),
        (BACK_FLEXION, held(35, 6, sets=2, set_break=30), True),
        (BACK_FLEXION, held(25, 8), False),  # more reps, but a shorter hold
        (PELVIC_TILT, held(5, 12), False),
        (CURL_UP, curl(12, 4, sets=2, last=9), False),
        (CURL_UP, curl(12, 4, sets=2, last=10), True),
        (MARCH, timed(3, 20), False),
        (MARCH, timed(4, 30), True),
    ],
)
def test_at_target_means_every_part_at_least_the_targets(
    exercise_id: str, dose: Dose, at_target: bool
) -> None:
    exercise = CATALOGUE.get(exercise_id)
    assert exercise.reached_target(dose) is at_target
    assert (exercise.step_up(dose) is None) is at_target


# --- the ladder in the data ---------------------------------------------------------------


def raw_ladder(exercise_id: str, ladder: list[dict[str, int]]) -> dict[str, object]:
    data = read_data("catalogue.toml")
    for raw in data["exercises"]:
        if raw["id"] == exercise_id:
            raw["ladder"] = ladder
    return data


def test_a_rung_that_changes_two_parts_is_refused() -> None:
    ladder = [{"hold_seconds": 10, "reps": 4}, {"hold_seconds": 15, "reps": 5}]
    with pytest.raises(CatalogueError, match="one part"):
        parse_catalogue(raw_ladder(BACK_FLEXION, ladder))


def test_a_rung_that_makes_a_part_easier_is_refused() -> None:
    ladder = [{"hold_seconds": 10, "reps": 8}, {"hold_seconds": 5, "reps": 20}]  # more load
    with pytest.raises(CatalogueError, match="easier in no part"):
        parse_catalogue(raw_ladder(PELVIC_TILT, ladder))
