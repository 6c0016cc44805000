"""Dose: validation, counting and the dict form used in JSON and the database."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stenosis_coach.programme import Dose, DoseError

DOSE_KEYS = {"sets", "reps", "hold_seconds", "work_seconds", "set_break_seconds", "last_set_reps"}


@pytest.mark.parametrize(
    "fields",
    [
        {},  # neither reps nor work
        {"sets": 2, "set_break_seconds": 30},  # still neither
        {"reps": 4, "hold_seconds": 10, "work_seconds": 30},  # both reps and work
        {"hold_seconds": 10, "work_seconds": 30},
        {"reps": 4},  # reps without a hold
        {"hold_seconds": 10},  # a hold without reps
        {"reps": 4, "work_seconds": 30},
        {"sets": 2, "reps": 4, "hold_seconds": 10},  # two sets without a set break
        {"sets": 2, "work_seconds": 30},
        {"sets": 2, "reps": 10, "hold_seconds": 4, "set_break_seconds": 30, "last_set_reps": 10},
        {"sets": 2, "reps": 10, "hold_seconds": 4, "set_break_seconds": 30, "last_set_reps": 11},
        {"sets": 1, "reps": 10, "hold_seconds": 4, "last_set_reps": 5},  # one set only
        {"sets": 2, "work_seconds": 30, "set_break_seconds": 30, "last_set_reps": 5},
    ],
)
def test_impossible_doses_are_rejected(fields: dict[str, int]) -> None:
    with pytest.raises(DoseError):
        Dose(**fields)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("sets", 0),
        ("sets", 6),
        ("reps", 0),
        ("reps", 31),
        ("hold_seconds", 0),
        ("hold_seconds", 121),
        ("hold_seconds", -10),
        ("set_break_seconds", -1),
        ("set_break_seconds", 301),
        ("last_set_reps", 0),
    ],
)
def test_out_of_range_held_values_are_rejected(name: str, value: int) -> None:
    fields: dict[str, Any] = {"sets": 3, "reps": 12, "hold_seconds": 10, "set_break_seconds": 30}
    fields[name] = value
    with pytest.raises(DoseError, match=name):
        Dose(**fields)


@pytest.mark.parametrize("value", [0, 4, 601])
def test_out_of_range_work_is_rejected(value: int) -> None:
    with pytest.raises(DoseError, match="work_seconds"):
        Dose(work_seconds=value)


@pytest.mark.parametrize(
    "fields",
    [
        {"sets": 5, "reps": 30, "hold_seconds": 120, "set_break_seconds": 300, "last_set_reps": 29},
        {"sets": 1, "reps": 1, "hold_seconds": 1},
        {"sets": 2, "reps": 2, "hold_seconds": 1, "set_break_seconds": 0, "last_set_reps": 1},
        {"work_seconds": 5},
        {"sets": 5, "work_seconds": 600, "set_break_seconds": 300},
    ],
)
def test_doses_at_the_limits_are_allowed(fields: dict[str, int]) -> None:
    expected = {key: fields.get(key) for key in DOSE_KEYS}
    expected["sets"] = fields.get("sets", 1)
    assert Dose(**fields).to_dict() == expected


@pytest.mark.parametrize(
    "fields",
    [
        {"reps": True, "hold_seconds": 10},
        {"reps": 4, "hold_seconds": True},
        {"sets": True, "reps": 4, "hold_seconds": 10},
        {"work_seconds": True},
        {"reps": 4, "hold_seconds": 10.0},
        {"reps": 4, "hold_seconds": 10.5},
        {"reps": "4", "hold_seconds": 10},
    ],
)
def test_bools_floats_and_strings_are_not_whole_numbers(fields: dict[str, Any]) -> None:
    with pytest.raises(DoseError, match="whole number"):
        Dose(**fields)


def test_a_dose_is_frozen() -> None:
    dose = Dose(reps=4, hold_seconds=10)
    with pytest.raises(dataclasses.FrozenInstanceError):
        dose.reps = 5  # type: ignore[misc]


def test_reps_in_set_with_a_shorter_last_set() -> None:
    dose = Dose(sets=3, reps=10, hold_seconds=4, set_break_seconds=30, last_set_reps=5)
    assert [dose.reps_in_set(n) for n in (1, 2, 3)] == [10, 10, 5]
    assert dose.total_reps == 25
    assert dose.load_seconds == 100


def test_reps_in_set_for_equal_sets() -> None:
    dose = Dose(sets=2, reps=10, hold_seconds=4, set_break_seconds=30)
    assert [dose.reps_in_set(n) for n in (1, 2)] == [10, 10]
    assert dose.total_reps == 20


def test_timed_work_has_no_reps() -> None:
    dose = Dose(sets=3, work_seconds=30, set_break_seconds=30)
    assert dose.is_timed
    assert dose.reps_in_set(1) == 0
    assert dose.total_reps == 0


@pytest.mark.parametrize(
    ("dose", "load"),
    [
        (Dose(reps=4, hold_seconds=10), 40),
        (Dose(reps=6, hold_seconds=30), 180),
        (Dose(sets=2, reps=10, hold_seconds=4, set_break_seconds=30, last_set_reps=5), 60),
        (Dose(sets=2, reps=10, hold_seconds=4, set_break_seconds=30), 80),
        (Dose(work_seconds=30, set_break_seconds=30), 30),
        (Dose(sets=3, work_seconds=30, set_break_seconds=30), 90),  # breaks are not load
    ],
)
def test_load_seconds(dose: Dose, load: int) -> None:
    assert dose.load_seconds == load


def test_to_dict_has_all_six_keys_with_null_where_not_applicable() -> None:
    assert Dose(reps=4, hold_seconds=10).to_dict() == {
        "sets": 1,
        "reps": 4,
        "hold_seconds": 10,
        "work_seconds": None,
        "set_break_seconds": None,
        "last_set_reps": None,
    }
    assert Dose(sets=2, work_seconds=30, set_break_seconds=30).to_dict() == {
        "sets": 2,
        "reps": None,
        "hold_seconds": None,
        "work_seconds": 30,
        "set_break_seconds": 30,
        "last_set_reps": None,
    }


def test_from_dict_accepts_nulls_and_missing_keys() -> None:
    expected = Dose(reps=4, hold_seconds=10)
    assert Dose.from_dict({"reps": 4, "hold_seconds": 10}) == expected
    assert Dose.from_dict(expected.to_dict()) == expected


@pytest.mark.parametrize(
    "data",
    [
        {"reps": 4, "hold_seconds": 10, "rest_seconds": 5},
        {"reps": 4, "hold": 10},
        {"sets": 1, "reps": 4, "hold_seconds": 10, "weight_kg": None},
    ],
)
def test_from_dict_rejects_unknown_keys(data: dict[str, Any]) -> None:
    with pytest.raises(DoseError, match="unknown"):
        Dose.from_dict(data)


def test_from_dict_validates() -> None:
    with pytest.raises(DoseError):
        Dose.from_dict({"reps": 4})
    with pytest.raises(DoseError):
        Dose.from_dict({"reps": 4, "hold_seconds": True})


def test_changed_fields() -> None:
    before = Dose(reps=4, hold_seconds=10)
    assert before.changed_fields(Dose(reps=4, hold_seconds=15)) == ["hold_seconds"]
    assert before.changed_fields(before) == []


@st.composite
def doses(draw: st.DrawFn) -> Dose:
    """Any valid dose."""
    sets = draw(st.integers(1, 5))
    set_break = draw(st.integers(0, 300)) if sets > 1 else draw(st.none() | st.integers(0, 300))
    if draw(st.booleans()):
        return Dose(sets=sets, work_seconds=draw(st.integers(5, 600)), set_break_seconds=set_break)
    reps = draw(st.integers(1, 30))
    last = None
    if sets > 1 and reps > 1:
        last = draw(st.none() | st.integers(1, reps - 1))
    hold = draw(st.integers(1, 120))
    return Dose(sets, reps, hold, None, set_break, last)


@settings(max_examples=200, deadline=None)
@given(doses())
def test_dict_round_trip(dose: Dose) -> None:
    data = dose.to_dict()
    assert set(data) == DOSE_KEYS
    assert Dose.from_dict(data) == dose
    assert dose.load_seconds > 0
    if dose.is_timed:
        assert data["reps"] is None
        assert data["hold_seconds"] is None
        assert dose.work_seconds is not None
        assert dose.load_seconds == dose.sets * dose.work_seconds
    else:
        assert data["work_seconds"] is None
        assert dose.hold_seconds is not None
        assert dose.total_reps == sum(dose.reps_in_set(n) for n in range(1, dose.sets + 1))
        assert dose.load_seconds == dose.total_reps * dose.hold_seconds
