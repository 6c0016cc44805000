"""Safety gates: the red-flag screening, the advice on urgent signs, and when to advise a
gentle session.

A questionnaire cannot diagnose. It only says "stop and get checked" (clinical-notes.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
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
    helps: Mapping[str, str] = field(default_factory=dict)  # one line under the question

    def text(self, locale: str = DEFAULT_LOCALE) -> str:
        return self.texts[pick_locale(locale, self.texts)]

    def help(self, locale: str = DEFAULT_LOCALE) -> str:
        """The line that says what the question is not about ("" when it has none)."""
        return self.helps[pick_locale(locale, self.helps)] if self.helps else ""


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
        RedFlagQuestion(
            str(raw["id"]), Urgency(raw["urgency"]), dict(raw["text"]), dict(raw.get("help", {}))
        )
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


# ---------------------------------------------------------------------------------------
# What to do when an urgent sign starts: the "When to get help fast" page and the player.


@dataclass(frozen=True, slots=True)
class UrgentTexts:
    """The advice on urgent signs, in one language, with the number to call filled in."""

    title: str
    intro: str
    emergency_title: str
    emergency_points: tuple[str, ...]
    call: str  # the label of the tap-to-call button: "Call 911"
    same_day_title: str
    same_day_points: tuple[str, ...]
    usual: str  # the usual leg pain when walking is not one of these signs

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "intro": self.intro,
            "emergency_title": self.emergency_title,
            "emergency_points": list(self.emergency_points),
            "call": self.call,
            "same_day_title": self.same_day_title,
            "same_day_points": list(self.same_day_points),
            "usual": self.usual,
        }


def numbered(messages: Mapping[str, str], prefix: str) -> tuple[str, ...]:
    """The messages `prefix`1, `prefix`2, ... in order."""
    keys = [key for key in messages if re.fullmatch(rf"{re.escape(prefix)}\d+", key)]
    return tuple(messages[key] for key in sorted(keys, key=lambda key: int(key[len(prefix) :])))


def urgent_texts(locale: str, phone: str) -> UrgentTexts:
    """Which signs mean the emergency department now, which mean a doctor today, and the
    label of the button that calls `phone` (the deployment's emergency number)."""
    safety = load_safety()
    messages = safety.messages[pick_locale(locale, safety.messages)]
    return UrgentTexts(
        title=messages["urgent_title"],
        intro=messages["urgent_intro"],
        emergency_title=messages["urgent_now_title"],
        emergency_points=numbered(messages, "urgent_now_"),
        call=messages["urgent_call"].format(phone=phone),
        same_day_title=messages["urgent_today_title"],
        same_day_points=numbered(messages, "urgent_today_"),
        usual=messages["urgent_usual"],
    )


# Digits, with an optional + first, and single spaces or dashes between them (the same rule
# as settings.EMERGENCY_PHONE).
PHONE_NUMBER = re.compile(r"\+?[0-9]+([ -][0-9]+)*")


def is_phone_number(value: str) -> bool:
    """ "911", "+34 112", "1-800-273-8255"; not "", "call 911" or "911 ext. 2"."""
    return PHONE_NUMBER.fullmatch(value) is not None


def tel_href(phone: str) -> str:
    """The link that calls `phone` from a phone: "tel:+34112" (no spaces, no dashes)."""
    if not is_phone_number(phone):
        raise ValueError(f"not a phone number: {phone!r}")
    return "tel:" + re.sub(r"[ -]", "", phone)
