"""The alert rules: what fires an alert for a therapist, how urgent it is, and how it is said.

Every threshold is a named constant here, so a clinic admin can read them on the rules page
and a test can hold each one. The checks that fire the rules live in triage.py; this module
only names them and says an alert in words ("Leg pain 8/10 before the session on March 3,
usual 4").

An alert keeps the numbers that fired it in Alert.values (JSON: days as ISO dates in the
patient's time zone); they are said in words in the active language when read, so one alert
reads in English or Spanish alike.

Interface used by other modules (keep it):
  RULES: dict[rule id, Rule]; Rule.id, .severity (an Alert.Severity value), .title,
  .explanation (the rule and its threshold in words); describe_alert(alert) -> str.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import get_language, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _

from stenosis_coach.programme import load_catalogue

from .models import Alert

Severity = Alert.Severity

# The thresholds, each named once.
HIGH_LEG_PAIN = 8  # leg pain before a session at or above this is high
ABOVE_USUAL = 3  # ... or this many points above the patient's usual leg pain
MISSED_DAYS_DAILY = 4  # no session for this many days on a daily schedule (scaled)
PAIN_RISE_POINTS = 2  # leg pain up this many points ...
PAIN_RISE_DAYS = 14  # ... over this many days
PAIN_WEEK_DAYS = 7  # the medians compared are of this many days each
PAIN_RISE_READINGS = 2  # each of those weeks needs at least this many pain answers
PAIN_RISE_REPEAT_DAYS = 7  # a rising-pain alert is raised again at most once in this time
WALKING_DROP = 0.30  # walking minutes down this share from the best ...
WALKING_BEST_DAYS = 30  # ... of this many days
FUNCTION_DROP = 2  # a PSFS score down this many points
WORSE_IMPRESSIONS = (6, 7)  # global impression "much worse", "very much worse"
CRITICAL_RESEND_HOURS = 24  # a critical alert still open after this is e-mailed again
DIGEST_MINUTES = 60  # at most one digest e-mail per therapist in this time


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: Promise
    explanation: Promise
    # Says one alert's numbers in words (in the active language).
    say: Callable[[Mapping[str, Any]], str]


def lazy_words(message: str, **numbers: object) -> Promise:
    """A translated sentence with numbers in it, translated when it is read (the rules are
    made once, at import, and read in each request's language). `message` is marked with
    gettext_noop where it is written, so makemessages still finds it."""
    return lazy(lambda: _(message) % numbers, str)()


# ---------------------------------------------------------------------------------------
# Saying the numbers


def say_day(iso_day: object) -> str:
    """A day in the active language: "March 3" this year, "March 3, 2025" another year."""
    try:
        day = dt.date.fromisoformat(str(iso_day))
    except ValueError:
        return str(iso_day or "")
    same_year = day.year == timezone.localdate().year
    return formats.date_format(day, "MONTH_DAY_FORMAT" if same_year else "DATE_FORMAT")


def say_number(value: object) -> str:
    """3 as "3", 5.5 as "5.5" (or "5,5", as the language writes it)."""
    number = float(str(value))
    if number.is_integer():
        return formats.number_format(int(number))
    return formats.number_format(number, decimal_pos=1)


def say_minutes(seconds: object) -> str:
    return say_number(round(int(str(seconds)) / 60, 1))


# Short clinical names of the red-flag questions (programme/data/safety.toml ids).
RED_FLAG_NAMES = {
    "saddle-numbness": gettext_lazy("saddle numbness"),
    "bladder": gettext_lazy("new bladder trouble"),
    "bowel": gettext_lazy("loss of bowel control"),
    "leg-weakness": gettext_lazy("legs getting weaker"),
    "walking": gettext_lazy("walking suddenly much worse"),
    "fever": gettext_lazy("fever or chills with back pain"),
    "cancer": gettext_lazy("history of cancer with new back pain"),
    "weight-loss": gettext_lazy("weight loss without trying"),
    "fall-or-injury": gettext_lazy("a recent fall or injury"),
    "night-pain": gettext_lazy("severe pain at night or lying down"),
}
URGENCY_NAMES = {
    "emergency": gettext_lazy("emergency"),
    "same-day": gettext_lazy("same day"),
}
IMPRESSION_NAMES = {
    6: gettext_lazy("Much worse"),
    7: gettext_lazy("Very much worse"),
}


def say_red_flag(values: Mapping[str, Any]) -> str:
    questions = [str(RED_FLAG_NAMES.get(q, q)) for q in values.get("questions", [])]
    return _("Red-flag “yes” on %(day)s (%(urgency)s): %(questions)s") % {
        "day": say_day(values.get("day")),
        "urgency": URGENCY_NAMES.get(values.get("outcome", ""), values.get("outcome", "")),
        "questions": ", ".join(questions),
    }


def say_new_numbness(values: Mapping[str, Any]) -> str:
    return _("New numbness, tingling or weakness in the legs after the session on %(day)s") % {
        "day": say_day(values.get("day"))
    }


def exercise_name(exercise_id: str) -> str:
    try:
        return load_catalogue().get(exercise_id).text(get_language() or "en").name
    except KeyError:
        return exercise_id


def say_exercise_paused(values: Mapping[str, Any]) -> str:
    names = ", ".join(exercise_name(e) for e in values.get("exercises", []))
    return _("Paused by the programme after two red sessions in a row, on %(day)s: %(names)s") % {
        "day": say_day(values.get("day")),
        "names": names,
    }


def say_leg_pain_high(values: Mapping[str, Any]) -> str:
    words = {"leg": values.get("leg"), "day": say_day(values.get("day"))}
    if values.get("session", True):
        sentence = _("Leg pain %(leg)s/10 before the session on %(day)s") % words
    else:
        sentence = _("Leg pain %(leg)s/10 on %(day)s, too high to start a session") % words
    if values.get("usual") is not None:
        sentence += _(", usual %(usual)s") % {"usual": values["usual"]}
    return sentence


def say_no_sessions(values: Mapping[str, Any]) -> str:
    words = {"missed": values.get("missed"), "day": say_day(values.get("since"))}
    if values.get("last_session"):
        return _("No session since %(day)s: %(missed)s scheduled days missed") % words
    return _("No session yet since joining on %(day)s: %(missed)s scheduled days missed") % words


def say_leg_pain_rising(values: Mapping[str, Any]) -> str:
    return _(
        "Leg pain before sessions up from %(before)s/10 to %(now)s/10 (median of the week to "
        "%(day)s, against the week to %(before_day)s)"
    ) % {
        "before": say_number(values.get("before")),
        "now": say_number(values.get("now")),
        "day": say_day(values.get("day")),
        "before_day": say_day(values.get("before_day")),
    }


def say_walking_down(values: Mapping[str, Any]) -> str:
    return _(
        "Walking test %(minutes)s min on %(day)s, down %(drop)s%% from the best of the last "
        "%(days)s days (%(best)s min on %(best_day)s)"
    ) % {
        "minutes": say_minutes(values.get("seconds")),
        "day": say_day(values.get("day")),
        "drop": values.get("drop_percent"),
        "days": WALKING_BEST_DAYS,
        "best": say_minutes(values.get("best_seconds")),
        "best_day": say_day(values.get("best_day")),
    }


def say_function_down(values: Mapping[str, Any]) -> str:
    activities = "; ".join(
        _("%(name)s %(now)s/10, down from %(before)s/10")
        % {"name": a.get("name", ""), "now": a.get("now"), "before": a.get("before")}
        for a in values.get("activities", [])
    )
    return _("PSFS on %(day)s: %(activities)s") % {
        "day": say_day(values.get("day")),
        "activities": activities,
    }


def say_feels_worse(values: Mapping[str, Any]) -> str:
    impression = values.get("impression")
    return _("Global impression of change on %(day)s: “%(answer)s”") % {
        "day": say_day(values.get("day")),
        "answer": IMPRESSION_NAMES.get(impression, impression),
    }


# ---------------------------------------------------------------------------------------
# The rules, most urgent first

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in [
        Rule(
            "red_flag",
            Severity.CRITICAL,
            gettext_lazy("Red-flag answer"),
            gettext_lazy(
                "A “yes” to a red-flag question in a screening (emergency or same-day care)."
            ),
            say_red_flag,
        ),
        Rule(
            "new_numbness",
            Severity.CRITICAL,
            gettext_lazy("New numbness or weakness"),
            gettext_lazy(
                "A “yes” at the end of a session to new numbness, tingling or weakness in the legs."
            ),
            say_new_numbness,
        ),
        Rule(
            "exercise_paused",
            Severity.HIGH,
            gettext_lazy("Exercise paused"),
            gettext_lazy(
                "The programme paused an exercise after two red sessions of it in a row (it "
                "hurt, or made the sciatica worse)."
            ),
            say_exercise_paused,
        ),
        Rule(
            "leg_pain_high",
            Severity.HIGH,
            gettext_lazy("High leg pain"),
            lazy_words(
                gettext_noop(
                    "Leg pain before a session of %(high)s/10 or more and above the "
                    "patient's usual leg pain, or %(above)s or more points above the usual."
                ),
                high=HIGH_LEG_PAIN,
                above=ABOVE_USUAL,
            ),
            say_leg_pain_high,
        ),
        Rule(
            "no_sessions",
            Severity.MEDIUM,
            gettext_lazy("No sessions"),
            lazy_words(
                gettext_noop(
                    "%(missed)s scheduled days in a row with no session, counted on the "
                    "prescription's weekdays up to yesterday (on a daily schedule: %(missed)s "
                    "days; on 3 weekdays a week, about 9 days). Checked every hour; once per gap."
                ),
                missed=MISSED_DAYS_DAILY,
            ),
            say_no_sessions,
        ),
        Rule(
            "leg_pain_rising",
            Severity.MEDIUM,
            gettext_lazy("Leg pain rising"),
            lazy_words(
                gettext_noop(
                    "Leg pain before sessions up %(points)s or more points over %(days)s days: "
                    "the median of the latest %(week)s days against the median of %(week)s days "
                    "%(days)s days before (at least %(readings)s answers in each). At most once "
                    "in %(repeat)s days."
                ),
                points=PAIN_RISE_POINTS,
                days=PAIN_RISE_DAYS,
                week=PAIN_WEEK_DAYS,
                readings=PAIN_RISE_READINGS,
                repeat=PAIN_RISE_REPEAT_DAYS,
            ),
            say_leg_pain_rising,
        ),
        Rule(
            "walking_down",
            Severity.MEDIUM,
            gettext_lazy("Walking down"),
            lazy_words(
                gettext_noop(
                    "The latest walking test %(percent)s%% or more shorter than the best of the "
                    "%(days)s days before it."
                ),
                percent=round(WALKING_DROP * 100),
                days=WALKING_BEST_DAYS,
            ),
            say_walking_down,
        ),
        Rule(
            "function_down",
            Severity.LOW,
            gettext_lazy("Function down"),
            lazy_words(
                gettext_noop(
                    "A PSFS activity score down %(points)s or more points from the check before."
                ),
                points=FUNCTION_DROP,
            ),
            say_function_down,
        ),
        Rule(
            "feels_worse",
            Severity.LOW,
            gettext_lazy("Feels worse"),
            gettext_lazy("Global impression of change “Much worse” or “Very much worse”."),
            say_feels_worse,
        ),
    ]
}


def describe_alert(alert: Alert) -> str:
    """The alert in words, with the numbers that fired it."""
    rule = RULES.get(alert.rule)
    if rule is None:
        return alert.rule
    return rule.say(alert.values)


def who_is_told(rule: Rule) -> str:
    """Who is e-mailed about an alert of this rule, and when (the e-mails say only that
    there are alerts: no names, no numbers)."""
    if rule.severity == Severity.CRITICAL:
        return _(
            "E-mailed at once to the patient's therapist (the clinic admins when the patient "
            "has none). Still open after %(hours)s hours: e-mailed again, to the therapist and "
            "the clinic admins."
        ) % {"hours": CRITICAL_RESEND_HOURS}
    return _(
        "In the therapist's digest e-mail: at most one every %(minutes)s minutes (the clinic "
        "admins' when the patient has no therapist)."
    ) % {"minutes": DIGEST_MINUTES}
