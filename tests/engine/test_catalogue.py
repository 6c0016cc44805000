"""The shipped catalogue matches shared/programme-facts.md, and bad catalogue data is rejected."""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

import pytest

from stenosis_coach.programme import CatalogueError, Dose, Kind, dose_label, exercise_to_dict
from stenosis_coach.programme.catalogue import (
    merge_translation,
    parse_catalogue,
    read_data,
    read_translations,
)

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

# The ladders of programme-facts.md part B, written out by hand (not read from the TOML).
STRETCH_LADDER = (
    held(10, 4),
    held(15, 4),
    held(20, 4),
    held(25, 4),
    held(30, 4),
    held(30, 5),
    held(30, 6),
)
EXPECTED_LADDERS = {
    BACK_FLEXION: STRETCH_LADDER,
    CHILDS_POSE: STRETCH_LADDER,
    PELVIC_TILT: (held(10, 8), held(10, 9), held(10, 10)),
    MARCH: (march(1), march(2), march(3)),
    CURL_UP: (
        curl(5, 2),
        curl(6, 2),
        curl(7, 2),
        curl(8, 2),
        curl(9, 2),
        curl(10, 2),
        curl(10, 3),
        curl(10, 4),
        curl(10, 4, sets=2, last=5),
        curl(10, 4, sets=2, last=6),
        curl(10, 4, sets=2, last=7),
        curl(10, 4, sets=2, last=8),
        curl(10, 4, sets=2, last=9),
        curl(10, 4, sets=2),
    ),
}
EXPECTED_KINDS = {
    BACK_FLEXION: Kind.STRETCH,
    CHILDS_POSE: Kind.STRETCH,
    PELVIC_TILT: Kind.STRENGTHEN,
    MARCH: Kind.STRENGTHEN,
    CURL_UP: Kind.STRENGTHEN,
}


def test_catalogue_has_exactly_the_five_exercises_in_session_order() -> None:
    assert CATALOGUE.ids == ALL_IDS


@pytest.mark.parametrize("exercise_id", ALL_IDS)
def test_kind(exercise_id: str) -> None:
    assert CATALOGUE.get(exercise_id).kind is EXPECTED_KINDS[exercise_id]


@pytest.mark.parametrize("exercise_id", ALL_IDS)
def test_ladder_matches_programme_facts(exercise_id: str) -> None:
    assert CATALOGUE.get(exercise_id).ladder == EXPECTED_LADDERS[exercise_id]


def test_curl_up_details() -> None:
    curl_up = CATALOGUE.get(CURL_UP)
    assert curl_up.start == Dose(sets=1, reps=5, hold_seconds=2, set_break_seconds=30)
    assert curl_up.target == Dose(sets=2, reps=10, hold_seconds=4, set_break_seconds=30)
    assert curl_up.target.total_reps == 20
    # the second set grows from 5 to 10 reps, one rep per rung
    second_sets = [dose.reps_in_set(2) for dose in curl_up.ladder if dose.sets == 2]
    assert second_sets == [5, 6, 7, 8, 9, 10]
    assert all(2 <= dose.hold_seconds <= 4 for dose in curl_up.ladder if dose.hold_seconds)


def test_march_is_timed_with_thirty_second_sets_and_breaks() -> None:
    exercise = CATALOGUE.get(MARCH)
    assert exercise.is_timed
    assert [dose.sets for dose in exercise.ladder] == [1, 2, 3]
    assert {dose.work_seconds for dose in exercise.ladder} == {30}
    assert {dose.set_break_seconds for dose in exercise.ladder} == {30}


def test_stretches_start_at_ten_seconds_and_reach_thirty_second_holds() -> None:
    for exercise_id in (BACK_FLEXION, CHILDS_POSE):
        exercise = CATALOGUE.get(exercise_id)
        assert exercise.start == held(10, 4)
        assert exercise.target == held(30, 6)


@pytest.mark.parametrize("exercise_id", ALL_IDS)
def test_every_rung_adds_load(exercise_id: str) -> None:
    loads = [dose.load_seconds for dose in CATALOGUE.get(exercise_id).ladder]
    assert all(lower < upper for lower, upper in itertools.pairwise(loads))


@pytest.mark.parametrize("exercise_id", ALL_IDS)
def test_every_rung_changes_one_thing(exercise_id: str) -> None:
    ladder = CATALOGUE.get(exercise_id).ladder
    for lower, upper in itertools.pairwise(ladder):
        changed = set(upper.changed_fields(lower))
        # adding the curl-up's second set sets both `sets` and its shorter `last_set_reps`
        assert len(changed) == 1 or changed == {"sets", "last_set_reps"}


def test_march_requires_pelvic_tilt_at_target_for_two_clean_sessions() -> None:
    (prerequisite,) = CATALOGUE.get(MARCH).requires
    assert prerequisite.exercise_id == PELVIC_TILT
    assert prerequisite.at_target is True
    assert prerequisite.clean_sessions == 2


@pytest.mark.parametrize("exercise_id", [BACK_FLEXION, CHILDS_POSE, PELVIC_TILT, CURL_UP])
def test_other_exercises_have_no_prerequisite(exercise_id: str) -> None:
    assert CATALOGUE.get(exercise_id).requires == ()


def test_childs_pose_warns_not_to_bounce() -> None:
    cautions = CATALOGUE.get(CHILDS_POSE).text().cautions
    assert any("bounce" in caution.lower() for caution in cautions)


@pytest.mark.parametrize("exercise_id", ALL_IDS)
def test_every_exercise_says_stop_if_it_hurts(exercise_id: str) -> None:
    cautions = [caution.lower() for caution in CATALOGUE.get(exercise_id).text().cautions]
    assert any(
        "stop" in caution and "hurt" in caution and "leg" in caution and "worse" in caution
        for caution in cautions
    )


@pytest.mark.parametrize("exercise_id", ALL_IDS)
def test_every_exercise_has_english_text(exercise_id: str) -> None:
    text = CATALOGUE.get(exercise_id).text("en")
    assert text.name
    assert text.start_position
    assert text.steps
    expected_cues = (
        {"position", "move", "left", "right", "release"}
        if exercise_id == MARCH
        else {"position", "move", "hold", "release"}
    )
    assert set(text.cues) == expected_cues
    assert all(text.cues.values())


def test_march_text_gives_the_foot_lift_height() -> None:
    steps = " ".join(CATALOGUE.get(MARCH).text().steps)
    assert "8 to 10 cm" in steps
    assert "3 to 4 inches" in steps


def test_locale_falls_back_to_english() -> None:
    exercise = CATALOGUE.get(CHILDS_POSE)
    assert exercise.text("fr-CA") == exercise.text("en")
    assert exercise.text("en-GB") == exercise.text("en")
    assert exercise.text("es-MX") == exercise.text("es") != exercise.text("en")


def test_dose_labels_in_plain_words() -> None:
    assert dose_label(held(10, 4), CATALOGUE) == "4 times, hold 10 seconds"
    assert dose_label(march(1), CATALOGUE) == "1 set of 30 seconds"
    assert dose_label(march(3), CATALOGUE) == "3 sets of 30 seconds"
    assert dose_label(curl(10, 4, sets=2), CATALOGUE) == "2 sets of 10, hold 4 seconds"
    assert (
        dose_label(curl(10, 4, sets=2, last=7), CATALOGUE) == "2 sets (10 then 7), hold 4 seconds"
    )


@pytest.mark.parametrize("exercise_id", ALL_IDS)
def test_exercise_to_dict_is_json_with_start_and_target(exercise_id: str) -> None:
    data = json.loads(json.dumps(exercise_to_dict(CATALOGUE.get(exercise_id))))
    assert data["id"] == exercise_id
    assert data["kind"] == EXPECTED_KINDS[exercise_id].value
    assert data["start"] == EXPECTED_LADDERS[exercise_id][0].to_dict()
    assert data["target"] == EXPECTED_LADDERS[exercise_id][-1].to_dict()
    assert [Dose.from_dict(rung) for rung in data["ladder"]] == list(EXPECTED_LADDERS[exercise_id])


# --- parse_catalogue rejects bad data -------------------------------------------------------


def raw_catalogue() -> dict[str, Any]:
    """A fresh copy of the shipped catalogue data, safe to change."""
    return copy.deepcopy(read_data("catalogue.toml"))


def raw_exercise(data: dict[str, Any], exercise_id: str) -> dict[str, Any]:
    matches: list[dict[str, Any]] = [raw for raw in data["exercises"] if raw["id"] == exercise_id]
    (found,) = matches
    return found


def test_the_shipped_data_parses_to_the_loaded_catalogue() -> None:
    data = raw_catalogue()
    for locale, translation in read_translations().items():
        data = merge_translation(data, locale, translation)
    assert parse_catalogue(data) == CATALOGUE


def test_rejects_an_empty_ladder() -> None:
    data = raw_catalogue()
    raw_exercise(data, PELVIC_TILT)["ladder"] = []
    with pytest.raises(CatalogueError, match="ladder is empty"):
        parse_catalogue(data)


def test_rejects_a_missing_ladder() -> None:
    data = raw_catalogue()
    del raw_exercise(data, PELVIC_TILT)["ladder"]
    with pytest.raises(CatalogueError):
        parse_catalogue(data)


@pytest.mark.parametrize(
    "ladder",
    [
        [{"hold_seconds": 10, "reps": 8}, {"hold_seconds": 10, "reps": 8}],  # the same load
        [{"hold_seconds": 10, "reps": 9}, {"hold_seconds": 10, "reps": 8}],  # lighter
        [
            {"hold_seconds": 10, "reps": 8},
            {"hold_seconds": 20, "reps": 4},
        ],  # other shape, same load
    ],
)
def test_rejects_a_ladder_whose_load_does_not_grow(ladder: list[dict[str, int]]) -> None:
    data = raw_catalogue()
    raw_exercise(data, PELVIC_TILT)["ladder"] = ladder
    with pytest.raises(CatalogueError, match="harder"):
        parse_catalogue(data)


def test_rejects_a_ladder_mixing_timed_and_held_doses() -> None:
    data = raw_catalogue()
    raw_exercise(data, PELVIC_TILT)["ladder"] = [
        {"hold_seconds": 10, "reps": 8},
        {"work_seconds": 300},
    ]
    with pytest.raises(CatalogueError):
        parse_catalogue(data)


def test_rejects_an_impossible_dose_in_a_ladder() -> None:
    data = raw_catalogue()
    raw_exercise(data, PELVIC_TILT)["ladder"][0] = {"reps": 8}
    with pytest.raises(CatalogueError):
        parse_catalogue(data)


def test_rejects_duplicate_ids() -> None:
    data = raw_catalogue()
    raw_exercise(data, CHILDS_POSE)["id"] = BACK_FLEXION
    with pytest.raises(CatalogueError, match="unique"):
        parse_catalogue(data)


def test_rejects_a_missing_id() -> None:
    data = raw_catalogue()
    del raw_exercise(data, CHILDS_POSE)["id"]
    with pytest.raises(CatalogueError):
        parse_catalogue(data)


@pytest.mark.parametrize("prerequisite", ["walking", MARCH])
def test_rejects_an_unknown_or_circular_prerequisite(prerequisite: str) -> None:
    data = raw_catalogue()
    raw_exercise(data, MARCH)["requires"][0]["exercise"] = prerequisite
    with pytest.raises(CatalogueError, match="prerequisite"):
        parse_catalogue(data)


def test_rejects_an_exercise_without_english_text() -> None:
    data = raw_catalogue()
    texts = raw_exercise(data, CURL_UP)["text"]
    texts["fr"] = texts.pop("en")
    with pytest.raises(CatalogueError, match="English"):
        parse_catalogue(data)


@pytest.mark.parametrize("missing", ["name", "start_position", "steps", "cautions", "cues"])
def test_rejects_english_text_with_a_part_missing(missing: str) -> None:
    data = raw_catalogue()
    del raw_exercise(data, BACK_FLEXION)["text"]["en"][missing]
    with pytest.raises(CatalogueError):
        parse_catalogue(data)


def test_rejects_a_missing_cue() -> None:
    data = raw_catalogue()
    del raw_exercise(data, MARCH)["text"]["en"]["cues"]["left"]
    with pytest.raises(CatalogueError, match="left"):
        parse_catalogue(data)


def test_rejects_a_catalogue_without_english_messages() -> None:
    data = raw_catalogue()
    data["messages"]["fr"] = data["messages"].pop("en")
    with pytest.raises(CatalogueError, match="English"):
        parse_catalogue(data)


def test_rejects_an_unknown_kind() -> None:
    data = raw_catalogue()
    raw_exercise(data, BACK_FLEXION)["kind"] = "walk"
    with pytest.raises(CatalogueError):
        parse_catalogue(data)


def test_rejects_an_empty_catalogue() -> None:
    data = raw_catalogue()
    data["exercises"] = []
    with pytest.raises(CatalogueError):
        parse_catalogue(data)
