"""Safety gates: the red-flag screening and the gentle-session advice."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stenosis_coach.programme import (
    Outcome,
    ScreeningError,
    Urgency,
    evaluate_screening,
    gentle_session_advised,
    red_flag_questions,
)

# The red flags of shared/clinical-notes.md: question id, urgency, words the question must use.
EMERGENCY_FLAGS = {
    "saddle-numbness": ("numb", "groin"),
    "bladder": ("urine",),
    "bowel": ("bowel",),
    "leg-weakness": ("leg", "weaker"),
    "walking": ("walking",),
}
SAME_DAY_FLAGS = {
    "fever": ("fever", "chills"),
    "cancer": ("cancer",),
    "weight-loss": ("weight",),
    "fall-or-injury": ("fall",),
    "night-pain": ("night", "lie down"),
}
ALL_FLAGS = {**EMERGENCY_FLAGS, **SAME_DAY_FLAGS}


def all_no() -> dict[str, bool]:
    return {question.id: False for question in red_flag_questions()}


def test_questions_cover_every_red_flag_with_its_urgency() -> None:
    urgencies = {question.id: question.urgency for question in red_flag_questions()}
    assert urgencies == {
        **dict.fromkeys(EMERGENCY_FLAGS, Urgency.EMERGENCY),
        **dict.fromkeys(SAME_DAY_FLAGS, Urgency.SAME_DAY),
    }


@pytest.mark.parametrize(("question_id", "words"), ALL_FLAGS.items())
def test_question_wording(question_id: str, words: tuple[str, ...]) -> None:
    (question,) = [q for q in red_flag_questions() if q.id == question_id]
    text = question.text().lower()
    assert text.endswith("?")
    assert all(word in text for word in words)
    assert question.text("fr-CA") == question.text()
    assert question.text("es-MX") == question.text("es") != question.text()


def test_all_no_is_clear() -> None:
    result = evaluate_screening(all_no())
    assert result.outcome is Outcome.CLEAR
    assert result.flagged == ()
    assert not result.outcome.pauses_programme
    assert result.advice
    assert "emergency" not in result.advice.lower()


@pytest.mark.parametrize("question_id", SAME_DAY_FLAGS)
def test_any_same_day_yes_means_see_a_doctor_today(question_id: str) -> None:
    result = evaluate_screening(all_no() | {question_id: True})
    assert result.outcome is Outcome.SAME_DAY
    assert result.flagged == (question_id,)
    assert result.outcome.pauses_programme
    assert "doctor today" in result.advice.lower()
    assert "emergency" not in result.advice.lower()


@pytest.mark.parametrize("question_id", EMERGENCY_FLAGS)
def test_any_emergency_yes_means_the_emergency_department(question_id: str) -> None:
    result = evaluate_screening(all_no() | {question_id: True})
    assert result.outcome is Outcome.EMERGENCY
    assert result.flagged == (question_id,)
    assert result.outcome.pauses_programme
    assert "emergency department" in result.advice.lower()


def test_emergency_wins_over_same_day_and_all_flags_are_listed() -> None:
    answers = all_no() | {"fever": True, "bladder": True, "night-pain": True}
    result = evaluate_screening(answers)
    assert result.outcome is Outcome.EMERGENCY
    assert set(result.flagged) == {"fever", "bladder", "night-pain"}
    assert "emergency department" in result.advice.lower()


def test_flagged_ids_follow_question_order() -> None:
    answers = dict.fromkeys(ALL_FLAGS, True)
    result = evaluate_screening(answers)
    assert result.flagged == tuple(question.id for question in red_flag_questions())


@pytest.mark.parametrize("missing", list(ALL_FLAGS))
def test_a_missing_answer_is_an_error(missing: str) -> None:
    answers = all_no()
    del answers[missing]
    with pytest.raises(ScreeningError, match=missing):
        evaluate_screening(answers)


def test_no_answers_is_an_error() -> None:
    with pytest.raises(ScreeningError):
        evaluate_screening({})


def test_an_unknown_question_is_an_error() -> None:
    with pytest.raises(ScreeningError, match="headache"):
        evaluate_screening(all_no() | {"headache": False})


@pytest.mark.parametrize("value", ["yes", "no", 1, 0, None, "true"])
def test_an_answer_that_is_not_yes_or_no_is_an_error(value: Any) -> None:
    # A "yes" that is not exactly True must never be read as "no".
    with pytest.raises(ScreeningError, match="bladder"):
        evaluate_screening(all_no() | {"bladder": value})


def test_advice_falls_back_to_english() -> None:
    answers = all_no() | {"bowel": True}
    assert evaluate_screening(answers, "fr-CA").advice == evaluate_screening(answers).advice


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({question_id: st.booleans() for question_id in ALL_FLAGS}))
def test_outcome_for_any_answers(answers: dict[str, bool]) -> None:
    result = evaluate_screening(answers)
    yes = {question_id for question_id, answer in answers.items() if answer}
    assert set(result.flagged) == yes
    if yes & set(EMERGENCY_FLAGS):
        assert result.outcome is Outcome.EMERGENCY
    elif yes:
        assert result.outcome is Outcome.SAME_DAY
    else:
        assert result.outcome is Outcome.CLEAR
    assert result.outcome.pauses_programme == bool(yes)


@pytest.mark.parametrize(
    ("now", "usual", "advised"),
    [
        (5, 2, True),  # 3 points above usual
        (10, 2, True),
        (3, 0, True),
        (10, 7, True),
        (4, 2, False),  # 2 points above usual
        (9, 7, False),
        (2, 2, False),
        (0, 5, False),  # below usual
        (10, None, False),  # no usual level known yet
        (0, None, False),
    ],
)
def test_gentle_session_advised(now: int, usual: int | None, advised: bool) -> None:
    assert gentle_session_advised(now, usual) is advised
