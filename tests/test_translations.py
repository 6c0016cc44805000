"""The translation gate: no patient meets an untranslated string.

- Every string marked for translation in the code and the templates is in each language's
  django.po, with a translation that is not empty and not fuzzy, and with the same
  placeholders. (The strings are found as `makemessages` finds them, with Babel and Django's
  own template reader, so no GNU gettext is needed.)
- Every page a patient can reach, rendered in Spanish, shows none of the English source
  strings, and no text that is the same as on the English page (that catches a string
  nobody marked for translation).
- The engine's texts (catalogue.<lang>.toml, safety.toml) cover every exercise, cue,
  message and question that English has, with the same placeholders.
"""

from __future__ import annotations

import io
import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation.template import templatize

from stenosis_coach.programme import load_catalogue
from stenosis_coach.programme.catalogue import read_data, read_translations
from stenosis_coach.programme.safety import load_safety
from tests.texts import (
    Page,
    all_pages,
    client_for,
    engine_texts,
    is_words,
    parse_page,
    po_file,
    seeded_patient,
)

PACKAGE = Path(settings.BASE_DIR)
OTHER_LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# Django's translation functions, as makemessages reads them.
KEYWORDS: dict[str, Any] = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
# Words that are the same in every language: names, and what the patient typed. (Strings
# whose translation reads the same, such as "No" and "Total", are added from the .po.)
NAMES = {
    "Stenosis Coach",
    "English",
    "Español",
    "Walking to the shop",  # the demo patient's activities (tests/texts.py)
    "Standing to cook",
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{(\w*)\}")


def placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def source_messages() -> Iterator[tuple[str, tuple[str, ...], str | None]]:
    """(file, message ids, context) for every string marked in our code and templates."""
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if "migrations" in relative.parts or not path.is_file():
            continue
        if path.suffix == ".py":
            source = path.read_bytes()
        elif path.suffix in (".html", ".txt") and "templates" in relative.parts:
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            # Only the translation calls matter: drop the indentation Python would read.
            source = "\n".join(line.lstrip() for line in code.splitlines()).encode()
        else:
            continue
        for _line, message, _comments, context in extract(
            "python", io.BytesIO(source), keywords=KEYWORDS
        ):
            ids = message if isinstance(message, tuple) else (message,)
            yield str(relative), tuple(ids), context


def as_tuple(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def catalogue_for(language: str) -> Catalog:
    with po_file(language).open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_marked_string_has_a_translation(language: str) -> None:
    catalogue = catalogue_for(language)
    problems = []
    for path, ids, context in source_messages():
        message = catalogue.get(ids[0], context=context)
        if message is None:
            problems.append(f"{path}: {ids[0]!r} is not in django.po (run makemessages)")
        elif message.fuzzy or not all(as_tuple(message.string)):
            problems.append(f"{path}: {ids[0]!r} has no translation")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_po_file_is_complete_and_in_step_with_the_code(language: str) -> None:
    catalogue = catalogue_for(language)
    assert not catalogue.fuzzy, "the header is marked fuzzy"
    used = {(ids[0], context) for _path, ids, context in source_messages()}
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"{ids[0]!r} is fuzzy")
        if not all(strings):
            problems.append(f"{ids[0]!r} has an empty translation")
        for text in strings:
            if (
                text
                and placeholders(text) != placeholders(ids[-1])
                and (placeholders(text) != placeholders(ids[0]))
            ):
                problems.append(f"{ids[0]!r}: the translation's placeholders differ: {text!r}")
        if (ids[0], message.context) not in used:
            problems.append(f"{ids[0]!r} is no longer in the code (run makemessages)")
    assert problems == [], "\n".join(problems)


# ---------------------------------------------------------------------------------------
# The pages, in Spanish


def same_in_both(language: str) -> set[str]:
    """Names, and the strings whose translation reads the same as the English."""
    same = set(NAMES)
    for message in catalogue_for(language):
        if message.id and as_tuple(message.string)[0] == as_tuple(message.id)[0]:
            same.add(as_tuple(message.id)[0])
    return same


def english_sources() -> dict[str, re.Pattern[str]]:
    """Every English string of the .po and of the engine, as a pattern its rendered form
    matches (placeholders match anything), leaving out the ones that read the same in
    Spanish ("No", "Total") and the date formats."""
    catalogue = catalogue_for("es")
    patterns = {}
    for message in catalogue:
        if not message.id or message.context in ("date format", "time format"):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            text = " ".join(re.sub(r"<[^>]+>", "", english).split())
            if text not in strings and text not in NAMES:
                patterns[text] = as_pattern(text)
    for text in engine_texts("en"):
        if text.text not in {t.text for t in engine_texts("es")}:
            patterns[text.text] = as_pattern(text.text)
    return patterns


def as_pattern(text: str) -> re.Pattern[str]:
    """A placeholder matches any words; in a string of two words or fewer (matched whole)
    it does not run past the end of a sentence."""
    parts = PLACEHOLDER.split(text)
    # split() puts the groups between the pieces: keep only the literal pieces.
    literals = [re.escape(part) for part in parts[:: PLACEHOLDER.groups + 1]]
    short = len(PLACEHOLDER.sub(" ", text).split()) <= 2
    return re.compile(r"(?<!\w)" + ("[^.!?]+?" if short else ".+?").join(literals) + r"(?!\w)")


def shown_strings(page: Page, language: str) -> list[str]:
    """Every text of the page: element texts, screen-reader attributes, the words handed to
    the scripts in JSON."""
    parsed = parse_page(page.html, language)
    texts = [text for lang, text in parsed.texts if lang == language]
    return [text for text in texts + parsed.attributes + parsed.json if text]


def english_on(text: str, sources: dict[str, re.Pattern[str]]) -> list[str]:
    """The English strings in `text`: one of two words or fewer (not counting its
    placeholders) must be the whole text; a longer one may be anywhere in it."""
    if text in NAMES:
        return []
    found = []
    for english, pattern in sources.items():
        if len(PLACEHOLDER.sub(" ", english).split()) <= 2:
            if pattern.fullmatch(text):
                found.append(english)
        elif pattern.search(text):
            found.append(english)
    return found


def english_shown(pages: list[Page], sources: dict[str, re.Pattern[str]]) -> list[str]:
    problems = [
        f"{page.name}: {english!r} in {text!r}"
        for page in pages
        for text in shown_strings(page, "es")
        for english in english_on(text, sources)
    ]
    return list(dict.fromkeys(problems))


def same_in_both_languages(english_pages: list[Page], spanish_pages: list[Page]) -> list[str]:
    """Texts that read the same on the English and the Spanish page: never translated
    (numbers, dates, names and what the patient typed aside)."""
    allowed = same_in_both("es")
    # Filled in, a string that reads the same ("%(minutes)s min") reads the same too.
    allowed_forms = [as_pattern(text) for text in allowed if PLACEHOLDER.search(text)]
    problems = []
    for english, spanish in zip(english_pages, spanish_pages, strict=True):
        shown_in_both = set(shown_strings(english, "en")) & set(shown_strings(spanish, "es"))
        problems += [
            f"{spanish.name}: {text!r}"
            for text in sorted(shown_in_both - allowed)
            if is_words(text)
            and not text.startswith(("/", "http"))
            and "@" not in text
            and not any(form.fullmatch(text) for form in allowed_forms)
        ]
    return problems


def test_spanish_pages_show_no_english(db: None) -> None:
    problems = english_shown(all_pages("es"), english_sources())
    assert problems == [], "\n".join(problems)


def test_spanish_pages_differ_from_english_pages(db: None) -> None:
    problems = same_in_both_languages(all_pages("en"), all_pages("es"))
    assert problems == [], "\n".join(problems)


def test_the_gates_catch_an_english_string_and_a_string_nobody_marked() -> None:
    """The gates can fail: a Spanish page showing a marked string left in English, and a
    sentence that was never marked for translation, so it is the same on both pages."""
    left_in_english = Page(
        "GET /broken/",
        '<html lang="es"><p>Hola.</p><p>Please pick a number from 0 to 10.</p></html>',
    )
    assert english_shown([left_in_english], english_sources()) == [
        "GET /broken/: 'Please pick a number from 0 to 10.' in 'Please pick a number from 0 to 10.'"
    ]
    never_marked = "Press the big blue button to begin."
    english = Page("GET /new/", f'<html lang="en"><p>Hello.</p><p>{never_marked}</p></html>')
    spanish = Page("GET /new/", f'<html lang="es"><p>Hola.</p><p>{never_marked}</p></html>')
    assert same_in_both_languages([english], [spanish]) == [f"GET /new/: {never_marked!r}"]


def test_the_plan_and_its_errors_are_in_the_patients_language(db: None) -> None:
    patient = seeded_patient("es")
    body = client_for(patient, "es").get("/api/plan/").json()
    assert body["locale"] == "es"
    sources = english_sources()
    strings = [text for text in json_texts(body) if is_words(text)]
    assert [s for s in strings if english_on(s, sources)] == []
    assert client_for(None, "es").get("/api/plan/").json() == {
        "error": "Por favor, vuelva a entrar."
    }


def json_texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_texts(item)


# ---------------------------------------------------------------------------------------
# The engine's texts


def braces(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_catalogue_has_every_text_in_each_language(language: str) -> None:
    english = read_data("catalogue.toml")
    translation = read_translations()[language]
    texts = translation.get("exercises", {})
    problems = []
    for raw in english["exercises"]:
        source, ours = raw["text"]["en"], texts.get(raw["id"])
        if ours is None:
            problems.append(f"{raw['id']}: no text")
            continue
        for key, value in source.items():
            if key not in ours:
                problems.append(f"{raw['id']}: no {key}")
            elif isinstance(value, list) and len(ours[key]) != len(value):
                problems.append(f"{raw['id']}: {key} has {len(ours[key])} of {len(value)}")
            elif isinstance(value, dict) and set(ours[key]) != set(value):
                problems.append(f"{raw['id']}: {key} has {sorted(ours[key])}")
    messages = translation.get("messages", {})
    for key, value in english["messages"]["en"].items():
        if key not in messages:
            problems.append(f"messages: no {key}")
        elif braces(messages[key]) != braces(value):
            problems.append(f"messages: {key} fills {sorted(braces(messages[key]))}")
    assert problems == [], "\n".join(problems)
    catalogue = load_catalogue()
    for exercise in catalogue.exercises:
        assert exercise.text(language) != exercise.text("en")


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_safety_questions_and_advice_are_in_each_language(language: str) -> None:
    safety = load_safety()
    for question in safety.questions:
        assert language in question.texts, f"{question.id}: no {language} text"
        assert question.text(language) != question.text("en")
    english, ours = safety.messages["en"], safety.messages.get(language, {})
    assert set(ours) == set(english)
    assert all(ours[key] and ours[key] != english[key] for key in english)
