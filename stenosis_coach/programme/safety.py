"""Safety gates: the red-flag screening, and when to advise a gentle session.

A questionnaire cannot diagnose. It only says "stop and get checked" (clinical-notes.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from .catalogue import DEFAULT_LOCALE, pick_locale, read_data

# Leg pain this many points (0-10) above the patient's usual level suggests stretches only.
GENTLE_SESSION_RISE = 3


class Urgency(StrEnum):
    EMERGENCY = "emergency"  # cauda equina signs: emergency department now
    SAME_DAY = "same-day"  # see a doctor today


class Outcome(StrEnum):
    CLEAR = "clear"
    SAME_DAY = "same-day"
    EMERGENCY = "emergency"

    @property
    def pauses_programme(self) -> bool:
        return self is not Outcome.CLEAR


class ScreeningError(ValueError):
    """Answers that do not match the questions."""


@dataclass(frozen=True, slots=True)
class RedFlagQuestion:
    id: str
    urgency: Urgency
    texts: Mapping[str, str]

    def text(self, locale: str = DEFAULT_LOCALE) -> str:
        return self.texts[pick_locale(locale, self.texts)]


@dataclass(frozen=True, slots=True)
class SafetyTexts:
    questions: tuple[RedFlagQuestion, ...]
    messages: Mapping[str, Mapping[str, str]]

    def message(self, key: str, locale: str = DEFAULT_LOCALE) -> str:
        return self.messages[pick_locale(locale, self.messages)][key]


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    outcome: Outcome
    flagged: tuple[str, ...]  # ids of the questions answered "yes"
    advice: str


@cache
def load_safety() -> SafetyTexts:
    return parse_safety(read_data("safety.toml"))


def parse_safety(data: Mapping[str, Any]) -> SafetyTexts:
    questions = tuple(
        RedFlagQuestion(str(raw["id"]), Urgency(raw["urgency"]), dict(raw["text"]))
        for raw in data["questions"]
    )
    return SafetyTexts(questions, {k: dict(v) for k, v in data["messages"].items()})


def red_flag_questions() -> tuple[RedFlagQuestion, ...]:
    return load_safety().questions


def evaluate_screening(
    answers: Mapping[str, bool], locale: str = DEFAULT_LOCALE
) -> ScreeningResult:
    """Any "yes" pauses the programme; a cauda-equina sign means the emergency department now.

    Every question must be answered, and only known questions.
    """
    safety = load_safety()
    ids = {question.id for question in safety.questions}
    missing = sorted(ids - set(answers))
    unknown = sorted(set(answers) - ids)
    if missing or unknown:
        raise ScreeningError(f"missing answers: {missing}; unknown questions: {unknown}")
    not_yes_or_no = sorted(key for key, value in answers.items() if not isinstance(value, bool))
    if not_yes_or_no:
        raise ScreeningError(f"answers must be yes (True) or no (False): {not_yes_or_no}")
    flagged = [q for q in safety.questions if answers[q.id] is True]
    if any(question.urgency is Urgency.EMERGENCY for question in flagged):
        outcome = Outcome.EMERGENCY
    elif flagged:
        outcome = Outcome.SAME_DAY
    else:
        outcome = Outcome.CLEAR
    advice_key = {
        Outcome.EMERGENCY: "advice_emergency",
        Outcome.SAME_DAY: "advice_same_day",
        Outcome.CLEAR: "advice_clear",
    }[outcome]
    return ScreeningResult(
        outcome, tuple(q.id for q in flagged), safety.message(advice_key, locale)
    )


def gentle_session_advised(leg_pain_now: int, usual_leg_pain: int | None) -> bool:
    """Leg pain 3 or more points above the usual level: stretches only today."""
    if usual_leg_pain is None:
        return False
    return leg_pain_now - usual_leg_pain >= GENTLE_SESSION_RISE
