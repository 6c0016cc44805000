"""Safety gates: the red-flag screening, the advice on urgent signs and the gentle-session
advice."""

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
from stenosis_coach.programme.safety import (
    is_phone_number,
    load_safety,
    parse_safety,
    tel_href,
    urgent_texts,
)

# The red flags of shared/clinical-notes.md: question id, urgency, words the question must use.
EMERGENCY_FLAGS = {
    "saddle-numbness": ("numb", "groin", "new or worse"),
    "bladder": ("urine", "in the last few days", "new"),
    "bowel": ("bowel", "in the last few days", "started"),
    "leg-weakness": ("leg", "getting weaker", "over the last few days"),
    "walking": ("walking", "suddenly", "much worse", "legs given way", "in the last few days"),
}
SAME_DAY_FLAGS = {
    "fever": ("fever", "chills", "now"),
    "cancer": ("cancer", "new back pain", "in the last few weeks"),
    "weight-loss": ("weight", "in the last few months"),
    "fall-or-injury": ("fall", "in the last few weeks"),
    "night-pain": ("night", "lie down", "in the last few weeks"),
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


def test_the_walking_question_is_not_about_the_usual_leg_pain() -> None:
    """Walking limited by leg pain is what spinal stenosis does; it is not a red flag."""
    (walking,) = [q for q in red_flag_questions() if q.id == "walking"]
    assert "trouble walking" not in walking.text()
    assert walking.help().startswith("This is not about your usual leg pain when you walk.")
    assert "sit" in walking.help()
    assert walking.help("es").startswith("No hablamos del dolor de pierna de siempre")
    assert walking.help("es-MX") == walking.help("es")
    assert walking.help("fr") == walking.help()


def test_every_help_line_is_in_every_language() -> None:
    for question in red_flag_questions():
        assert set(question.helps) in (set(), set(question.texts)), question.id


def test_a_question_with_no_help_line_has_an_empty_one() -> None:
    data = {
        "questions": [{"id": "x", "urgency": "emergency", "text": {"en": "Is it new?"}}],
        "messages": {"en": {}},
    }
    (question,) = parse_safety(data).questions
    assert question.help() == ""
    assert question.help("es") == ""


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


# --- The advice on urgent signs ---------------------------------------------------------------


def test_urgent_texts_name_every_emergency_sign_and_the_number_to_call() -> None:
    texts = urgent_texts("en", "911")
    words = " ".join(texts.emergency_points).lower()
    signs = ("groin", "bottom", "inside of your thighs", "urine", "bowels", "weaker", "walking")
    for sign in (*signs, "give way"):
        assert sign in words, sign
    assert "emergency department now" in texts.emergency_title
    assert texts.call == "Call 911"
    assert "doctor today" in texts.same_day_title
    same_day = " ".join(texts.same_day_points).lower()
    for sign in ("fever", "cancer", "weight", "fall", "night"):
        assert sign in same_day
    assert "usual leg pain" in texts.usual


def test_urgent_texts_keep_their_order_and_count() -> None:
    messages = load_safety().messages["en"]
    texts = urgent_texts("en", "112")
    assert texts.emergency_points == tuple(messages[f"urgent_now_{n}"] for n in range(1, 6))
    assert texts.same_day_points == tuple(messages[f"urgent_today_{n}"] for n in range(1, 6))


def test_urgent_texts_in_spanish_and_with_a_fallback() -> None:
    spanish = urgent_texts("es-MX", "112")
    assert spanish.call == "Llamar al 112"
    assert spanish.title == "Cuándo pedir ayuda ya"
    assert len(spanish.emergency_points) == len(urgent_texts("en", "112").emergency_points)
    assert urgent_texts("fr", "112") == urgent_texts("en", "112")


def test_urgent_texts_as_json() -> None:
    data = urgent_texts("en", "911").to_dict()
    assert set(data) == {
        "title",
        "intro",
        "emergency_title",
        "emergency_points",
        "call",
        "same_day_title",
        "same_day_points",
        "usual",
    }
    assert isinstance(data["emergency_points"], list)
    assert data["call"] == "Call 911"


@pytest.mark.parametrize(
    ("phone", "href"),
    [("911", "tel:911"), ("+34 112", "tel:+34112"), ("1-800-273-8255", "tel:18002738255")],
)
def test_tel_href(phone: str, href: str) -> None:
    assert is_phone_number(phone)
    assert tel_href(phone) == href


@pytest.mark.parametrize("phone", ["", "+", "call 911", "911 ", " 911", "9  11", "9-", "tel:911"])
def test_not_a_phone_number(phone: str) -> None:
    assert not is_phone_number(phone)
    with pytest.raises(ValueError, match="not a phone number"):
        tel_href(phone)
