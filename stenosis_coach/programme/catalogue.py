"""The exercise catalogue, loaded from data/catalogue.toml into typed, validated objects.

The catalogue holds the English texts. Each other language has a file beside it,
data/catalogue.<locale>.toml (catalogue.es.toml for Spanish), with the same texts per exercise
id and the same message keys; load_catalogue merges them in (see merge_translation).
"""

from __future__ import annotations

import copy
import itertools
import re
import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from .dose import Dose

DEFAULT_LOCALE = "en"
TIMING_KEYS = (
    "position_seconds",
    "move_seconds",
    "release_seconds",
    "rest_seconds",
    "march_step_seconds",
)
CUE_KINDS_HELD = ("position", "move", "hold", "release")
CUE_KINDS_TIMED = ("position", "move", "left", "right", "release")
CATALOGUE_FILE = "catalogue.toml"
# catalogue.es.toml, catalogue.pt-BR.toml: one file of texts for each other language.
TRANSLATION_FILE = re.compile(r"^catalogue\.(?P<locale>[a-z]{2,3}(?:-[A-Za-z0-9]+)*)\.toml$")


# The parts of a dose a step moves: the order a step up tries them in where the ladder
# does not grow them, and one step of each.
DOSE_PARTS = ("hold_seconds", "work_seconds", "reps", "last_set_reps", "sets")
TIMED_PARTS = ("hold_seconds", "work_seconds")
DEFAULT_STEPS = {"hold_seconds": 5, "work_seconds": 5, "reps": 1, "last_set_reps": 1, "sets": 1}
LOWEST_SECONDS = 5  # a step down never takes a hold or work time below this
SET_BREAK = 30  # seconds between sets, for a set added where no break was set


class CatalogueError(ValueError):
    """The catalogue data is not valid."""


class Kind(StrEnum):
    STRETCH = "stretch"
    STRENGTHEN = "strengthen"


class Position(StrEnum):
    """How the body rests on the floor for an exercise, in the order a session visits them:
    every exercise lying on the back first, then those on hands and knees (child's pose), so
    the body changes between lying and kneeling at most once."""

    BACK = "back"
    HANDS_AND_KNEES = "hands-and-knees"

    @property
    def rank(self) -> int:
        return list(Position).index(self)


@dataclass(frozen=True, slots=True)
class Timing:
    """Seconds for the parts of an exercise around its holds."""

    position_seconds: int
    move_seconds: int
    release_seconds: int
    rest_seconds: int
    march_step_seconds: int


@dataclass(frozen=True, slots=True)
class Prerequisite:
    """Another exercise that must go well first (the march needs the pelvic tilt)."""

    exercise_id: str
    at_target: bool
    clean_sessions: int
    # Each clean session must also have a "yes" to "Could you keep your low back pressed flat
    # the whole time?" (pain-free is not the same as control).
    kept_back_flat: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise_id,
            "at_target": self.at_target,
            "clean_sessions": self.clean_sessions,
            "kept_back_flat": self.kept_back_flat,
        }


@dataclass(frozen=True, slots=True)
class ExerciseText:
    """Everything a patient reads or hears about one exercise, in one language."""

    name: str
    start_position: str
    steps: tuple[str, ...]
    cautions: tuple[str, ...]
    cues: Mapping[str, str]
    # Said and shown when the exercise's starting position comes up in a session, such as
    # the curl-up's caution for people with weak bones.
    position_note: str = ""


@dataclass(frozen=True, slots=True)
class Exercise:
    id: str
    kind: Kind
    position: Position
    ladder: tuple[Dose, ...]
    timing: Timing
    requires: tuple[Prerequisite, ...]
    texts: Mapping[str, ExerciseText]

    @property
    def start(self) -> Dose:
        return self.ladder[0]

    @property
    def target(self) -> Dose:
        return self.ladder[-1]

    @property
    def is_timed(self) -> bool:
        return self.start.is_timed

    def text(self, locale: str = DEFAULT_LOCALE) -> ExerciseText:
        return self.texts[pick_locale(locale, self.texts)]

    def reached_target(self, dose: Dose) -> bool:
        """Every part of `dose` is at least the target's (a dose off the ladder too)."""
        return self.target.at_most(dose)

    def step_up(self, dose: Dose) -> Dose | None:
        """One step harder, toward the target; None at (or past) the target.

        On the ladder: the next rung (each rung changes one part by one step). Off the
        ladder: one part that is short of the target's grows by one step, never past the
        target's; the parts are tried in the order the ladder grows them, and a step that
        lands on a rung wins (so 3 x 30 s of knees to chest becomes 4 x 30 s, never a shorter
        hold).
        """
        if dose in self.ladder:
            index = self.ladder.index(dose)
            return self.ladder[index + 1] if index + 1 < len(self.ladder) else None
        if self.reached_target(dose):
            return None
        options = [grown for part in self.growth_order if (grown := self.grow(dose, part))]
        on_ladder = [option for option in options if option in self.ladder]
        return (on_ladder or options)[0] if options else None

    def step_down(self, dose: Dose) -> Dose | None:
        """One step easier, with no part bigger than in `dose`; None when it cannot be.

        The highest rung that is smaller or equal to `dose` in every part (and smaller in
        one). At the ladder's start the dose stays: it is the easiest the programme goes. Off
        the ladder with no rung below (3 x 30 s of knees to chest), one part goes down one
        step: first the parts the ladder grows, the last one it grows first (for the
        stretches a rep, then 5 s of hold; for the march a set); then the parts the ladder
        never changes, which a therapist chose (an extra set first). Never below 1 set, 1
        rep, or a hold or work time of 5 s (or the ladder's start, when lower).
        """
        below = [rung for rung in self.ladder if rung.smaller_than(dose)]
        if below:
            return below[-1]  # rungs grow in every part, so the last is the highest
        if dose in self.ladder:
            return None
        ladder_parts = self.ladder_parts
        others = [part for part in reversed(DOSE_PARTS) if part not in ladder_parts]
        for part in (*reversed(ladder_parts), *others):
            shrunk = self.shrink(dose, part)
            if shrunk is not None:
                return shrunk
        return None

    @property
    def ladder_parts(self) -> tuple[str, ...]:
        """The parts of a dose this ladder grows, in the order it grows them (adding a set
        counts as `sets`)."""
        order: list[str] = []
        for lower, upper in itertools.pairwise(self.ladder):
            part = changed_part(lower, upper)
            if part is not None and part not in order:
                order.append(part)
        return tuple(order)

    @property
    def growth_order(self) -> tuple[str, ...]:
        """The order a step up tries the parts in: the ladder's, then the parts it never
        changes (a therapist's shorter hold grows once the ladder's parts are at target)."""
        ladder_parts = self.ladder_parts
        return (*ladder_parts, *(part for part in DOSE_PARTS if part not in ladder_parts))

    def step_size(self, part: str) -> int:
        """How much one step moves a part: what the ladder moves it by (the curl-up's hold
        grows by 1 s), or the default (5 s of hold or work, 1 rep, 1 set)."""
        values = sorted({value for rung in self.ladder if (value := getattr(rung, part))})
        gaps = [upper - lower for lower, upper in itertools.pairwise(values)]
        return min(gaps) if gaps and part in TIMED_PARTS else DEFAULT_STEPS[part]

    def grow(self, dose: Dose, part: str) -> Dose | None:
        """`dose` with one part one step bigger, when that part is short of the target's."""
        target = self.target
        value = getattr(dose, part)
        if part in TIMED_PARTS:
            goal = getattr(target, part)
            if value is None or goal is None or value >= goal:
                return None
            # the next value the ladder uses is as far as one step goes (12 s -> 15 s)
            ladder_next = min(v for rung in self.ladder if (v := getattr(rung, part)) > value)
            return replace(dose, **{part: min(value + self.step_size(part), ladder_next)})
        if part == "reps":
            if value is None or target.reps is None or value >= target.reps:
                return None
            return replace(dose, reps=value + 1)
        if part == "last_set_reps":
            if value is None or dose.reps is None:
                return None
            # A short last set fills up before another set is added.
            short_of_target = dose.sets < target.sets or (
                dose.sets == target.sets and dose.reps_in_set(dose.sets) < target.set_reps[-1]
            )
            if not short_of_target:
                return None
            return replace(dose, last_set_reps=value + 1 if value + 1 < dose.reps else None)
        # sets: a new set, as short as the ladder's shortest last set (the curl-up's second
        # set starts at 5 reps), or whole
        if dose.sets >= target.sets or dose.last_set_reps is not None:
            return None
        short = min((rung.last_set_reps for rung in self.ladder if rung.last_set_reps), default=0)
        last = short if dose.reps is not None and 0 < short < dose.reps else None
        rest = dose.set_break_seconds
        if rest is None:
            rest = target.set_break_seconds if target.set_break_seconds is not None else SET_BREAK
        return replace(dose, sets=dose.sets + 1, last_set_reps=last, set_break_seconds=rest)

    def shrink(self, dose: Dose, part: str) -> Dose | None:
        """`dose` with one part one step smaller, when it can go lower."""
        value = getattr(dose, part)
        if part in TIMED_PARTS:
            lowest = min(LOWEST_SECONDS, getattr(self.start, part) or LOWEST_SECONDS)
            if value is None or value <= lowest:
                return None
            return replace(dose, **{part: max(value - self.step_size(part), lowest)})
        if part == "sets":
            if dose.sets <= 1:
                return None
            return replace(dose, sets=dose.sets - 1, last_set_reps=None)  # the last set goes
        if part == "last_set_reps":
            if value is None or value <= 1:
                return None
            return replace(dose, last_set_reps=value - 1)
        if value is None or value <= 1:  # reps
            return None
        fewer = value - 1
        last = dose.last_set_reps
        return replace(dose, reps=fewer, last_set_reps=last if last and last < fewer else None)


@dataclass(frozen=True, slots=True)
class Catalogue:
    exercises: tuple[Exercise, ...]
    messages: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(exercise.id for exercise in self.exercises)

    def get(self, exercise_id: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(exercise_id)

    def has_message(self, key: str, locale: str = DEFAULT_LOCALE) -> bool:
        return key in self.messages[pick_locale(locale, self.messages)]

    def message(self, key: str, locale: str = DEFAULT_LOCALE, **values: object) -> str:
        table = self.messages[pick_locale(locale, self.messages)]
        return table[key].format(**values)


def pick_locale(locale: str, available: Mapping[str, object]) -> str:
    """`es-MX` falls back to `es`, and anything missing falls back to English."""
    for candidate in (locale, locale.split("-")[0].lower(), DEFAULT_LOCALE):
        if candidate in available:
            return candidate
    raise CatalogueError(f"no text in {locale!r} or {DEFAULT_LOCALE!r}")


def read_data(name: str) -> dict[str, Any]:
    """Parse one TOML file shipped in this package's data folder."""
    text = (
        resources.files("stenosis_coach.programme")
        .joinpath("data", name)
        .read_text(encoding="utf-8")
    )
    return tomllib.loads(text)


def read_translations() -> dict[str, dict[str, Any]]:
    """Every catalogue.<locale>.toml shipped beside catalogue.toml, by locale."""
    folder = resources.files("stenosis_coach.programme").joinpath("data")
    found: dict[str, dict[str, Any]] = {}
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        match = TRANSLATION_FILE.match(entry.name)
        if match and entry.is_file():
            found[match["locale"]] = tomllib.loads(entry.read_text(encoding="utf-8"))
    return found


@cache
def catalogue_data() -> dict[str, Any]:
    """The shipped catalogue's data with every language's texts merged in: what both the
    catalogue and the pictures (stenosis_coach.illustrations) are read from."""
    data = read_data(CATALOGUE_FILE)
    for locale, translation in read_translations().items():
        data = merge_translation(data, locale, translation)
    return data


@cache
def load_catalogue() -> Catalogue:
    """The catalogue shipped with Stenosis Coach (parsed once per process)."""
    return parse_catalogue(catalogue_data())


def merge_translation(
    data: Mapping[str, Any], locale: str, translation: Mapping[str, Any]
) -> dict[str, Any]:
    """The catalogue data with one language's texts added: each exercise's text from
    `[exercises.<id>]` (name, start_position, steps, cautions and cues, as in
    `[exercises.text.en]`), each picture's title and description from
    `[exercises.<id>.pictures.<phase>]`, and the messages from `[messages]`.

    An exercise the translation leaves out keeps its English text (pick_locale falls back),
    and so does a message key. A message must not use a placeholder that the English one
    does not fill in.
    """
    if locale == DEFAULT_LOCALE:
        raise CatalogueError("English is catalogue.toml itself, not a translation")
    merged = copy.deepcopy(dict(data))
    texts = translation.get("exercises", {})
    by_id = {str(raw.get("id", "")): raw for raw in merged.get("exercises", [])}
    unknown = sorted(set(texts) - set(by_id))
    if unknown:
        raise CatalogueError(f"catalogue.{locale}.toml: unknown exercises {unknown}")
    for exercise_id, text in texts.items():
        exercise = by_id[exercise_id]
        own = dict(text)
        merge_picture_texts(exercise, locale, own.pop("pictures", {}))
        exercise.setdefault("text", {})[locale] = own
    english = merged.get("messages", {}).get(DEFAULT_LOCALE, {})
    messages = dict(translation.get("messages", {}))
    unknown = sorted(set(messages) - set(english))
    if unknown:
        raise CatalogueError(f"catalogue.{locale}.toml: unknown messages {unknown}")
    for key, message in messages.items():
        extra = placeholders(str(message)) - placeholders(str(english[key]))
        if extra:
            raise CatalogueError(
                f"catalogue.{locale}.toml: {key} uses {sorted(extra)}, which English does not"
            )
    merged.setdefault("messages", {})[locale] = {**english, **messages}
    return merged


def merge_picture_texts(exercise: dict[str, Any], locale: str, pictures: Mapping[str, Any]) -> None:
    """Each picture's title and description (`[exercises.<id>.pictures.<phase>]`) go next
    to the English ones in the exercise's pose tables."""
    poses = exercise.get("poses", {})
    unknown = sorted(set(pictures) - set(poses))
    if unknown:
        raise CatalogueError(f"catalogue.{locale}.toml: {exercise.get('id')} has no {unknown}")
    for phase, text in pictures.items():
        poses[phase].setdefault("text", {})[locale] = dict(text)


def placeholders(message: str) -> set[str]:
    """The names in {braces} that a message is filled with."""
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def parse_catalogue(data: Mapping[str, Any]) -> Catalogue:
    defaults = data.get("timing", {})
    parsed = [parse_exercise(raw, defaults) for raw in data.get("exercises", [])]
    # Session order: the file's order within each position (a stable sort).
    exercises = tuple(sorted(parsed, key=lambda exercise: exercise.position.rank))
    if not exercises:
        raise CatalogueError("the catalogue has no exercises")
    ids = [exercise.id for exercise in exercises]
    if len(set(ids)) != len(ids):
        raise CatalogueError("exercise ids must be unique")
    for exercise in exercises:
        for prerequisite in exercise.requires:
            if prerequisite.exercise_id not in ids or prerequisite.exercise_id == exercise.id:
                raise CatalogueError(f"{exercise.id}: unknown prerequisite")
    messages = {locale: dict(table) for locale, table in data.get("messages", {}).items()}
    if DEFAULT_LOCALE not in messages:
        raise CatalogueError("the catalogue needs English messages")
    return Catalogue(exercises=exercises, messages=messages)


def parse_exercise(raw: Mapping[str, Any], default_timing: Mapping[str, Any]) -> Exercise:
    exercise_id = str(raw.get("id", ""))
    if not exercise_id:
        raise CatalogueError("every exercise needs an id")
    try:
        kind = Kind(raw["kind"])
        position = Position(raw["position"])
        ladder = tuple(Dose.from_dict(rung) for rung in raw["ladder"])
    except (KeyError, ValueError) as error:
        raise CatalogueError(f"{exercise_id}: {error}") from error
    check_ladder(exercise_id, ladder)
    timing = parse_timing(exercise_id, {**default_timing, **raw.get("timing", {})})
    try:
        requires = tuple(
            Prerequisite(
                str(item["exercise"]),
                bool(item["at_target"]),
                int(item["clean_sessions"]),
                bool(item.get("kept_back_flat", False)),
            )
            for item in raw.get("requires", [])
        )
    except KeyError as error:
        raise CatalogueError(f"{exercise_id}: a prerequisite needs {error}") from error
    cue_kinds = CUE_KINDS_TIMED if ladder[0].is_timed else CUE_KINDS_HELD
    texts = {
        locale: parse_text(exercise_id, locale, text, cue_kinds)
        for locale, text in raw.get("text", {}).items()
    }
    if DEFAULT_LOCALE not in texts:
        raise CatalogueError(f"{exercise_id}: needs English text")
    return Exercise(exercise_id, kind, position, ladder, timing, requires, texts)


def parse_timing(exercise_id: str, values: Mapping[str, Any]) -> Timing:
    missing = [key for key in TIMING_KEYS if key not in values]
    if missing:
        raise CatalogueError(f"{exercise_id}: no timing for {', '.join(missing)}")
    return Timing(**{key: int(values[key]) for key in TIMING_KEYS})


def check_ladder(exercise_id: str, ladder: Sequence[Dose]) -> None:
    """A ladder is non-empty, of one form (timed or held), and each rung grows one part of
    the one before and shrinks none (so steps up and down can follow it)."""
    if not ladder:
        raise CatalogueError(f"{exercise_id}: the ladder is empty")
    if len({dose.is_timed for dose in ladder}) != 1:
        raise CatalogueError(f"{exercise_id}: mixes timed and held doses")
    for lower, upper in itertools.pairwise(ladder):
        if upper.load_seconds <= lower.load_seconds or not lower.smaller_than(upper):
            raise CatalogueError(
                f"{exercise_id}: each rung must be harder than the one before, and easier in "
                "no part"
            )
        if changed_part(lower, upper) is None:
            raise CatalogueError(f"{exercise_id}: each rung must change one part of the dose")


def changed_part(lower: Dose, upper: Dose) -> str | None:
    """The one part that differs between two doses (adding a set, with its shorter last set
    and its break, is `sets`); None when more than one does."""
    changed = set(upper.changed_fields(lower)) - {"set_break_seconds"}
    if "sets" in changed and changed <= {"sets", "last_set_reps"}:
        return "sets"
    return changed.pop() if len(changed) == 1 else None


def parse_text(
    exercise_id: str, locale: str, raw: Mapping[str, Any], cue_kinds: Sequence[str]
) -> ExerciseText:
    try:
        cues = {kind: str(raw["cues"][kind]) for kind in cue_kinds}
        return ExerciseText(
            name=str(raw["name"]),
            start_position=str(raw["start_position"]),
            steps=tuple(str(step) for step in raw["steps"]),
            cautions=tuple(str(caution) for caution in raw["cautions"]),
            cues=cues,
            position_note=str(raw.get("position_note", "")),
        )
    except KeyError as error:
        raise CatalogueError(f"{exercise_id} ({locale}): missing {error}") from error


def dose_label(dose: Dose, catalogue: Catalogue, locale: str = DEFAULT_LOCALE) -> str:
    """A dose in plain words, such as "4 times, hold 10 seconds"."""
    if dose.work_seconds is not None:
        key = "dose_timed" if dose.sets > 1 else "dose_timed_one"
        return catalogue.message(key, locale, sets=dose.sets, work=dose.work_seconds)
    values = {"sets": dose.sets, "reps": dose.reps, "hold": dose.hold_seconds}
    if dose.last_set_reps is not None:
        return catalogue.message(
            "dose_sets_reps_short_last", locale, last=dose.last_set_reps, **values
        )
    key = "dose_sets_reps" if dose.sets > 1 else "dose_reps"
    return catalogue.message(key, locale, **values)


def exercise_to_dict(exercise: Exercise, locale: str = DEFAULT_LOCALE) -> dict[str, Any]:
    """The JSON shape of `stenosis-coach programme --json` (documented in the README)."""
    text = exercise.text(locale)
    return {
        "id": exercise.id,
        "kind": exercise.kind.value,
        "position": exercise.position.value,
        "name": text.name,
        "start_position": text.start_position,
        "steps": list(text.steps),
        "cues": dict(text.cues),
        "cautions": list(text.cautions),
        "start": exercise.start.to_dict(),
        "target": exercise.target.to_dict(),
        "ladder": [dose.to_dict() for dose in exercise.ladder],
        "requires": [prerequisite.to_dict() for prerequisite in exercise.requires],
    }
