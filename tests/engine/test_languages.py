"""The engine in other languages: catalogue.<locale>.toml merged in beside the English,
Spanish plans and reasons, and translations that do not fit the catalogue refused."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from stenosis_coach.programme import (
    CatalogueError,
    build_plan,
    dose_label,
    evaluate_screening,
    exercise_to_dict,
    progress,
    red_flag_questions,
)
from stenosis_coach.programme.catalogue import (
    merge_translation,
    parse_catalogue,
    read_data,
    read_translations,
)
from stenosis_coach.programme.prescription import starting_prescription

from .helpers import (
    BACK_FLEXION,
    CATALOGUE,
    CHILDS_POSE,
    MARCH,
    curl,
    green,
    held,
    item,
    march,
    only,
    prescription,
    red,
    session,
)

ENGLISH = read_data("catalogue.toml")
SPANISH = read_translations()["es"]


def spanish(**changes: Any) -> dict[str, Any]:
    translation = copy.deepcopy(SPANISH)
    translation.update(changes)
    return translation


def test_the_shipped_translations_are_found_by_their_file_names() -> None:
    assert set(read_translations()) == {"es"}


def test_each_exercise_has_its_spanish_text() -> None:
    for exercise in CATALOGUE.exercises:
        english, ours = exercise.text("en"), exercise.text("es")
        assert ours.name != english.name
        assert len(ours.steps) == len(english.steps)
        assert set(ours.cues) == set(english.cues)
    assert CATALOGUE.get(BACK_FLEXION).text("es").name == "Rodillas al pecho"


def test_a_spanish_plan_speaks_spanish() -> None:
    plan = build_plan(starting_prescription(), "es-MX")
    assert plan.locale == "es"
    english = build_plan(starting_prescription())
    assert [s.kind for s in plan.steps] == [s.kind for s in english.steps]
    assert [s.offset_ms for s in plan.steps] == [s.offset_ms for s in english.steps]
    assert plan.steps[0].cue == (
        "Ahora: Rodillas al pecho. Acuéstese boca arriba con las rodillas dobladas. "
        "Tómese su tiempo. Toque la pantalla para seguir."
    )
    assert plan.steps[0].waits
    assert plan.exercises[0].dose_text == "4 veces, 10 segundos cada vez"
    check_ins = {s.cue for s in plan.steps if s.kind == "check-in"}
    assert check_ins == {"¿Le ha dolido más la pierna con esto? Toque sí o no."}


def test_spanish_dose_labels() -> None:
    assert dose_label(held(10, 4), CATALOGUE, "es") == "4 veces, 10 segundos cada vez"
    assert dose_label(curl(10, 4, sets=2, last=5), CATALOGUE, "es") == (
        "2 series (10 y luego 5), 4 segundos cada vez"
    )


def test_spanish_reasons() -> None:
    dose = held(10, 4)
    up = progress(only(BACK_FLEXION, dose), [session(green(BACK_FLEXION, dose))] * 2, "es")
    assert up.decision_for(BACK_FLEXION).reason == (
        "Lo hizo 2 veces seguidas sin más dolor. Por eso, ahora pasa de 10 a 15 segundos cada vez."
    )
    down = progress(
        only(BACK_FLEXION, held(15, 4)), [session(red(BACK_FLEXION, held(15, 4)))], "es"
    )
    assert down.decision_for(BACK_FLEXION).reason.endswith(
        "ahora pasa de 15 a 10 segundos cada vez."
    )


def test_the_new_reasons_of_issue_10_in_spanish() -> None:
    both = prescription(item(BACK_FLEXION, held(10, 4)), item(CHILDS_POSE, held(10, 4)))
    history = [
        session(green(BACK_FLEXION, held(10, 4)), green(CHILDS_POSE, held(10, 4)), day=day)
        for day in (0, 1)
    ]
    outcome = progress(both, history, "es")
    assert outcome.decision_for(CHILDS_POSE).reason == (
        "Ya puede hacer un poco más. Pero cambiamos un solo ejercicio cada vez, así que este "
        "espera su turno."
    )
    same_day = [session(green(BACK_FLEXION, held(10, 4)), day=2)] * 2
    again = progress(only(BACK_FLEXION, held(10, 4)), same_day, "es")
    assert again.decision_for(BACK_FLEXION).reason.startswith("Le volvió a ir bien.")
    waits = progress(
        only(BACK_FLEXION, held(15, 4), step_up_from=held(10, 4)),
        [session(before=2), session(green(BACK_FLEXION, held(10, 4)), before=4)],
        "es",
    )
    assert "el dolor de la pierna era más alto" in waits.decision_for(BACK_FLEXION).reason
    down = progress(only(MARCH, march(2)), [session(red(MARCH, march(2)))], "es")
    assert down.decision_for(MARCH).reason.endswith("ahora hace 1 serie en vez de 2.")


def test_the_locked_march_names_the_pelvic_tilt_in_spanish() -> None:
    locked = starting_prescription().with_item(item(MARCH, CATALOGUE.get(MARCH).start, locked=True))
    reason = progress(locked, [], "es").decision_for(MARCH).reason
    assert "el ejercicio de inclinación pélvica" in reason


def test_spanish_screening_advice() -> None:
    answers = {question.id: question.id == "bladder" for question in red_flag_questions()}
    assert evaluate_screening(answers, "es").advice.startswith("Pare. No haga estos ejercicios.")
    assert red_flag_questions()[0].text("es").startswith("¿Tiene la piel dormida")


def test_programme_json_in_spanish() -> None:
    data = exercise_to_dict(CATALOGUE.get(BACK_FLEXION), "es")
    assert data["name"] == "Rodillas al pecho"
    assert data["cues"]["hold"] == "Respire con calma."


def test_a_message_left_out_falls_back_to_english() -> None:
    messages = dict(SPANISH["messages"])
    del messages["text_rest"]
    catalogue = parse_catalogue(merge_translation(ENGLISH, "es", spanish(messages=messages)))
    assert catalogue.message("text_rest", "es") == "Rest."
    assert catalogue.message("text_hold", "es", text="x") == "Quédese así. x"


def test_an_exercise_left_out_falls_back_to_english() -> None:
    exercises = dict(SPANISH["exercises"])
    del exercises[BACK_FLEXION]
    catalogue = parse_catalogue(merge_translation(ENGLISH, "es", spanish(exercises=exercises)))
    assert catalogue.get(BACK_FLEXION).text("es").name == "Knees to chest"


def test_an_unknown_exercise_is_refused() -> None:
    exercises = {**SPANISH["exercises"], "walking": SPANISH["exercises"][BACK_FLEXION]}
    with pytest.raises(CatalogueError, match="unknown exercises"):
        merge_translation(ENGLISH, "es", spanish(exercises=exercises))


def test_an_unknown_message_is_refused() -> None:
    messages = {**SPANISH["messages"], "hello": "Hola"}
    with pytest.raises(CatalogueError, match="unknown messages"):
        merge_translation(ENGLISH, "es", spanish(messages=messages))


def test_a_placeholder_english_does_not_fill_is_refused() -> None:
    messages = {**SPANISH["messages"], "text_rest": "Descanse {seconds} segundos."}
    with pytest.raises(CatalogueError, match="text_rest"):
        merge_translation(ENGLISH, "es", spanish(messages=messages))


def test_a_text_with_a_missing_cue_is_refused() -> None:
    exercises = copy.deepcopy(SPANISH["exercises"])
    del exercises[BACK_FLEXION]["cues"]["hold"]
    with pytest.raises(CatalogueError, match="back-flexion"):
        parse_catalogue(merge_translation(ENGLISH, "es", spanish(exercises=exercises)))


def test_english_is_not_a_translation() -> None:
    with pytest.raises(CatalogueError, match="English"):
        merge_translation(ENGLISH, "en", SPANISH)


def test_merging_leaves_the_english_data_alone() -> None:
    before = copy.deepcopy(ENGLISH)
    merge_translation(ENGLISH, "es", SPANISH)
    assert before == ENGLISH
