"""What a therapist may prescribe, read from a posted form: the safe bounds of a dose, the
schedule, the patient's usual pain and phone, and the built-in templates.

Pure reading and checking: nothing here writes (patient_actions.py does). Every problem is a
PrescribingError whose message names the field and its bounds, for the form's top.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from stenosis_coach.programme import (
    Dose,
    DoseError,
    Exercise,
    PrescribedExercise,
    Prescription,
    PrescriptionError,
    Schedule,
    load_catalogue,
    starting_prescription,
)
from stenosis_coach.programme.catalogue import SET_BREAK

# The safe bounds a therapist may set a dose within (issue 11). A dose may be off the
# catalogue's ladder, or higher on it, but never outside these.
HOLD_SECONDS_MIN, HOLD_SECONDS_MAX = 5, 60
REPS_MIN, REPS_MAX = 1, 20
SETS_MIN, SETS_MAX = 1, 4
WORK_SECONDS_MIN, WORK_SECONDS_MAX = 10, 60  # the march's time per set
SESSIONS_PER_DAY_MIN, SESSIONS_PER_DAY_MAX = 1, 3
PAIN_MIN, PAIN_MAX = 0, 10
# The therapist's reason, which the patient reads on Today. Short, so that it also fits the
# audit entry (200 characters) of a change that is not a prescription version.
REASON_MAX = 140
MESSAGE_MAX = 500  # a message to the patient (Message.body's max_length)
TEMPLATE_NAME_MAX = 80  # PrescriptionTemplate.name's max_length
PHONE_MAX = 32  # Patient.contact_phone's max_length
# Loosely a phone number: digits, spaces, +, -, parentheses (and at least a few digits).
PHONE_CHARACTERS = re.compile(r"[0-9 +\-()]+")
PHONE_FEWEST_DIGITS = 3

WEEKDAY_NAMES = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]


class PrescribingError(ValueError):
    """A posted value a therapist must change, with a message that says why."""


def hold_bounds(exercise: Exercise) -> tuple[int, int]:
    """5 to 60 s, except that an exercise whose own ladder holds for less (the curl-up's
    2-4 s) may go as low as its ladder does: its start is never out of bounds."""
    ladder_low = min(
        (rung.hold_seconds for rung in exercise.ladder if rung.hold_seconds), default=0
    )
    low = min(HOLD_SECONDS_MIN, ladder_low) if ladder_low else HOLD_SECONDS_MIN
    return low, HOLD_SECONDS_MAX


def dose_fields(exercise: Exercise) -> list[str]:
    """The parts of a dose the form offers for this exercise, in the form's order."""
    if exercise.is_timed:
        return ["work_seconds", "sets"]
    return ["hold_seconds", "reps", "sets", "last_set_reps"]


FIELD_WORDS: dict[str, Promise] = {
    "hold_seconds": gettext_lazy("hold (seconds)"),
    "reps": gettext_lazy("repetitions"),
    "sets": gettext_lazy("sets"),
    "work_seconds": gettext_lazy("march time per set (seconds)"),
    "last_set_reps": gettext_lazy("repetitions in the last set"),
}


def field_bounds(exercise: Exercise, part: str) -> tuple[int, int]:
    if part == "hold_seconds":
        return hold_bounds(exercise)
    if part == "work_seconds":
        return WORK_SECONDS_MIN, WORK_SECONDS_MAX
    if part == "sets":
        return SETS_MIN, SETS_MAX
    return REPS_MIN, REPS_MAX  # reps, and the last set's reps


def form_key(exercise_id: str, part: str) -> str:
    """The posted field's name, such as "back-flexion-hold_seconds"."""
    return f"{exercise_id}-{part}"


def whole_number(raw: str, label: str, low: int, high: int) -> int:
    """`raw` as a whole number from low to high, or a PrescribingError naming `label`."""
    text = raw.strip()
    if not re.fullmatch(r"[0-9]{1,4}", text):
        raise PrescribingError(
            _("%(field)s: enter a whole number from %(low)s to %(high)s.")
            % {"field": label, "low": low, "high": high}
        )
    value = int(text)
    if not low <= value <= high:
        raise PrescribingError(
            _("%(field)s must be from %(low)s to %(high)s (not %(value)s).")
            % {"field": label, "low": low, "high": high, "value": value}
        )
    return value


def parse_dose(exercise: Exercise, current: Dose, posted: Mapping[str, str], name: str) -> Dose:
    """The dose posted for one exercise; a part that was not posted stays as it is.

    The break between sets is not a part a therapist sets: it stays as it was (or is the
    ladder's, 30 s) when a set is added. "Repetitions in the last set", when given, makes the
    last of several sets shorter (as the curl-up's ladder does); empty means a full set."""
    values = current.to_dict()
    for part in dose_fields(exercise):
        key = form_key(exercise.id, part)
        if key not in posted:
            continue
        label = f"{name}: {FIELD_WORDS[part]}"
        raw = posted[key]
        if part == "last_set_reps":
            values[part] = whole_number(raw, label, REPS_MIN, REPS_MAX) if raw.strip() else None
            continue
        values[part] = whole_number(raw, label, *field_bounds(exercise, part))
    return build_dose(exercise, values, name)


def build_dose(exercise: Exercise, values: dict[str, Any], name: str) -> Dose:
    sets = values["sets"]
    if sets < 2 or values.get("reps") is None:
        values["last_set_reps"] = None
    elif values.get("last_set_reps") is not None and values["last_set_reps"] >= values["reps"]:
        raise PrescribingError(
            _("%(name)s: the last set must have fewer repetitions than the others (%(reps)s).")
            % {"name": name, "reps": values["reps"]}
        )
    if sets > 1 and values.get("set_break_seconds") is None:
        values["set_break_seconds"] = exercise.target.set_break_seconds or SET_BREAK
    try:
        return Dose.from_dict(values)
    except DoseError as error:  # the bounds above are inside the engine's: a safety net
        raise PrescribingError(f"{name}: {error}") from None


def check_bounds(exercise: Exercise, dose: Dose, name: str) -> None:
    """A dose from a template must be inside the same bounds as a typed one."""
    for part in dose_fields(exercise):
        value = getattr(dose, part)
        if value is None:
            continue
        low, high = field_bounds(exercise, part)
        if not low <= value <= high:
            raise PrescribingError(
                _("%(field)s must be from %(low)s to %(high)s (not %(value)s).")
                % {
                    "field": f"{name}: {FIELD_WORDS[part]}",
                    "low": low,
                    "high": high,
                    "value": value,
                }
            )


def parse_exercises(
    current: Prescription, posted: Mapping[str, str], locale: str
) -> tuple[Prescription, list[str]]:
    """The prescription as posted: each exercise on or off ("<id>-enabled": "on"/"off"), its
    dose, "<id>-unlock" and "<id>-lift_pause" ticked. Returns the new prescription and the
    ids whose item changed. A changed dose forgets a held-back step-up (the therapist has set
    the dose to play)."""
    catalogue = load_catalogue()
    prescription = current
    changed = []
    for item in current.exercises:
        exercise = catalogue.get(item.exercise_id)
        name = exercise.text(locale).name
        dose = parse_dose(exercise, item.dose, posted, name)
        new = replace(
            item,
            dose=dose,
            enabled=on_off(posted.get(form_key(item.exercise_id, "enabled")), item.enabled, name),
            locked=item.locked and not ticked(posted, form_key(item.exercise_id, "unlock")),
            paused=item.paused and not ticked(posted, form_key(item.exercise_id, "lift_pause")),
            step_up_from=item.step_up_from if dose == item.dose else None,
        )
        if new != item:
            changed.append(item.exercise_id)
            prescription = prescription.with_item(new)
    return prescription, changed


def on_off(raw: str | None, current: bool, name: str) -> bool:
    if raw is None:
        return current
    if raw not in ("on", "off"):
        raise PrescribingError(_("%(name)s: choose on or off.") % {"name": name})
    return raw == "on"


def ticked(posted: Mapping[str, str], key: str) -> bool:
    return posted.get(key, "") in ("1", "on", "yes", "true")


def parse_schedule(sessions_per_day: str | None, weekdays: Sequence[str]) -> Schedule:
    """Sessions a day (1-3) and the weekdays ("0" Monday to "6" Sunday; at least one)."""
    per_day = whole_number(
        sessions_per_day or "",
        str(_("Sessions a day")),
        SESSIONS_PER_DAY_MIN,
        SESSIONS_PER_DAY_MAX,
    )
    days = set()
    for raw in weekdays:
        if raw not in {str(day) for day in range(7)}:
            raise PrescribingError(_("Weekdays: choose days from Monday to Sunday."))
        days.add(int(raw))
    if not days:
        raise PrescribingError(_("Weekdays: choose at least one day."))
    try:
        return Schedule(per_day, frozenset(days))
    except PrescriptionError as error:  # a safety net: the checks above are the same
        raise PrescribingError(str(error)) from None


def parse_reason(raw: str | None) -> str:
    """The reason for a change: required, since the patient reads it on Today."""
    reason = " ".join((raw or "").split())
    if not reason:
        raise PrescribingError(_("Reason: please say why you make this change."))
    if len(reason) > REASON_MAX:
        raise PrescribingError(
            _("Reason: at most %(max)s characters (this one has %(count)s).")
            % {"max": REASON_MAX, "count": len(reason)}
        )
    return reason


def parse_message(raw: str | None) -> str:
    body = (raw or "").strip()
    if not body:
        raise PrescribingError(_("Message: please write something to send."))
    if len(body) > MESSAGE_MAX:
        raise PrescribingError(
            _("Message: at most %(max)s characters (this one has %(count)s).")
            % {"max": MESSAGE_MAX, "count": len(body)}
        )
    return body


def parse_pain(raw: str | None, label: str) -> int | None:
    """A usual pain score 0-10; empty means not known."""
    if raw is None or not raw.strip():
        return None
    return whole_number(raw, label, PAIN_MIN, PAIN_MAX)


def parse_phone(raw: str | None) -> str:
    """A contact phone number, checked loosely: digits, spaces, +, -, parentheses. Empty
    removes the number."""
    phone = " ".join((raw or "").split())
    if not phone:
        return ""
    digits = sum(character.isdigit() for character in phone)
    if (
        not PHONE_CHARACTERS.fullmatch(phone)
        or digits < PHONE_FEWEST_DIGITS
        or len(phone) > PHONE_MAX
    ):
        raise PrescribingError(
            _(
                "Phone: use digits, spaces, +, - and parentheses only, at most %(max)s "
                "characters, such as +34 600 123 456."
            )
            % {"max": PHONE_MAX}
        )
    return phone


def parse_template_name(raw: str | None) -> str:
    name = " ".join((raw or "").split())
    if not name:
        raise PrescribingError(_("Template name: please give the template a name."))
    if len(name) > TEMPLATE_NAME_MAX:
        raise PrescribingError(
            _("Template name: at most %(max)s characters.") % {"max": TEMPLATE_NAME_MAX}
        )
    if name.casefold() in {str(template.name).casefold() for template in BUILT_IN.values()}:
        raise PrescribingError(
            _("Template name: “%(name)s” is a built-in template. Choose another name.")
            % {"name": name}
        )
    return name


# The built-in templates. Each keeps the patient's schedule: they are about doses.


def start_template() -> Prescription:
    """The programme's start: every exercise at the start of its ladder, the march locked
    until the pelvic tilt is ready (as for a new patient)."""
    return starting_prescription()


# Gentle start, for a patient in a flare, very deconditioned, or still learning the pelvic
# tilt: the two flexion stretches and the pelvic tilt (which the curl-up and the march both
# start from) at the start of their ladders (10 s x 4, and 10 s x 8); the curl-up and the
# march are turned off, not just locked, so nothing works the trunk in a curl or on one leg
# until the therapist turns them on. (Shorter or fewer holds than the ladder's start would go
# below the source programme's 4-6 repetitions; a therapist can still set them by hand.)
GENTLE_OFF = ("curl-up", "hook-lying-march")


def gentle_start_template() -> Prescription:
    return Prescription(
        exercises=tuple(
            PrescribedExercise(
                exercise_id=exercise.id,
                dose=exercise.start,
                enabled=exercise.id not in GENTLE_OFF,
                locked=bool(exercise.requires),
            )
            for exercise in load_catalogue().exercises
        )
    )


def target_template() -> Prescription:
    """Every exercise at its ladder's target, the march unlocked: the therapist chooses it,
    so the march's prerequisite is theirs to judge."""
    return Prescription(
        exercises=tuple(
            PrescribedExercise(exercise_id=exercise.id, dose=exercise.target)
            for exercise in load_catalogue().exercises
        )
    )


@dataclass(frozen=True)
class BuiltInTemplate:
    key: str
    name: Promise
    description: Promise
    build: Any  # () -> Prescription


BUILT_IN: dict[str, BuiltInTemplate] = {
    template.key: template
    for template in [
        BuiltInTemplate(
            "start",
            pgettext_lazy("prescription template", "Start"),
            gettext_lazy("Every exercise at the start of its ladder; the march locked."),
            start_template,
        ),
        BuiltInTemplate(
            "gentle-start",
            pgettext_lazy("prescription template", "Gentle start"),
            gettext_lazy(
                "Knees to chest and child's pose at 10 s x 4, the pelvic tilt at 10 s x 8 "
                "(their ladder starts); the curl-up and the march off."
            ),
            gentle_start_template,
        ),
        BuiltInTemplate(
            "target",
            pgettext_lazy("prescription template", "Target"),
            gettext_lazy("Every exercise at the target of its ladder; the march unlocked."),
            target_template,
        ),
    ]
}


def with_schedule(prescription: Prescription, schedule: Schedule) -> Prescription:
    return replace(prescription, schedule=schedule)


def template_items(prescription: Prescription) -> list[dict[str, Any]]:
    """What a saved template keeps of a prescription (PrescriptionTemplate.items)."""
    return [
        {
            "exercise_id": item.exercise_id,
            "enabled": item.enabled,
            "locked": item.locked,
            "dose": item.dose.to_dict(),
        }
        for item in prescription.exercises
    ]


def from_template_items(
    items: Sequence[Mapping[str, Any]], sessions_per_day: int, weekdays: Sequence[int]
) -> Prescription:
    """A saved template as a prescription: every exercise of the catalogue (one the template
    does not name keeps its start, turned off), nothing paused."""
    catalogue = load_catalogue()
    saved = {str(item.get("exercise_id")): item for item in items if isinstance(item, Mapping)}
    exercises = []
    for exercise in catalogue.exercises:
        item = saved.get(exercise.id)
        if item is None:
            exercises.append(PrescribedExercise(exercise.id, exercise.start, enabled=False))
            continue
        try:
            dose = Dose.from_dict(item.get("dose") or {})
        except (DoseError, TypeError):
            raise PrescribingError(
                _("This template has a dose that cannot be used for %(name)s.")
                % {"name": exercise.text().name}
            ) from None
        exercises.append(
            PrescribedExercise(
                exercise.id,
                dose,
                enabled=bool(item.get("enabled", True)),
                locked=bool(item.get("locked", False)),
            )
        )
    try:
        schedule = Schedule(sessions_per_day, frozenset(weekdays) or frozenset(range(7)))
        prescription = Prescription(exercises=tuple(exercises), schedule=schedule)
        prescription.check(catalogue)
    except PrescriptionError as error:
        raise PrescribingError(str(error)) from None
    return prescription


def check_prescription(prescription: Prescription, locale: str) -> None:
    """Every dose in bounds (a template's, or a saved template from before a bound moved)."""
    catalogue = load_catalogue()
    for item in prescription.exercises:
        exercise = catalogue.get(item.exercise_id)
        check_bounds(exercise, item.dose, exercise.text(locale).name)


def same_prescription(one: Prescription, other: Prescription) -> bool:
    """The same exercises, doses, states and schedule (whatever their version numbers)."""
    return {item.exercise_id: item for item in one.exercises} == {
        item.exercise_id: item for item in other.exercises
    } and one.schedule == other.schedule
