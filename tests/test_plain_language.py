"""The plain-language gate: every text a patient reads or hears is easy to read, in English
and in Spanish (shared/clinical-notes.md, "Plain language").

- English: Flesch-Kincaid grade 6 or below.
- Spanish: 70 or more on the Fernández-Huerta scale (easy to read).

Both are scored with textstat 0.7.8 (pinned: later versions download a dictionary). A text is
what tests/texts.py collects: a paragraph, a list item, a heading, a label, a button, a cue.

Two things the formulas cannot judge are set aside, and said so here:
- dates and times ("Monday, March 3", "9:30 AM") are names, not words to make simpler;
- a label of one to three words ("History", "Your exercises") is too short for a formula
  made for sentences: any two-syllable word alone scores grade 8.4, so "Today" would fail.
  Such labels are scored together instead, all of them as one text, one label a sentence;
  and each label on its own may not average more syllables a word than the longest plain
  labels do ("History": 3; Spanish words are longer, "Inclinación pélvica": 3.5), so one
  label of long words ("Automatic progression configuration") cannot hide among the rest.
When a text fails, the message names it, where it is, and its score. Fix the text (shorter
sentences, common words), not the gate.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import textstat

from tests.texts import (
    Text,
    all_pages,
    engine_texts,
    page_texts,
    po_texts,
    server_texts,
    without_dates,
)

HIGHEST_GRADE = 6.0  # English: Flesch-Kincaid grade
LOWEST_EASE = 70.0  # Spanish: Fernández-Huerta
LABEL_WORDS = 3  # a text of this many words or fewer is a label
LABEL_SYLLABLES = {"en": 3.0, "es": 3.5}  # at most, on average, in each word of a label
TEXTSTAT_LANGUAGE = {"en": "en_US", "es": "es"}


def grade(words_per_sentence: float, syllables_per_word: float) -> float:
    """Flesch-Kincaid grade, as textstat computes it."""
    return 0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59


def ease(words_per_sentence: float, syllables_per_word: float) -> float:
    """Fernández-Huerta, as textstat computes it."""
    return 206.84 - 60 * syllables_per_word - 1.02 * words_per_sentence


@dataclass(frozen=True)
class Gate:
    language: str
    scale: str

    def score(self, text: str) -> float:
        textstat.set_lang(TEXTSTAT_LANGUAGE[self.language])
        if self.language == "en":
            return float(textstat.flesch_kincaid_grade(text))
        return float(textstat.fernandez_huerta(text))

    def score_labels(self, labels: list[str]) -> float:
        """Labels read together, each one a sentence. (textstat does not count a sentence
        of one or two words as a sentence, so it cannot be given them joined up.)"""
        textstat.set_lang(TEXTSTAT_LANGUAGE[self.language])
        words = sum(textstat.lexicon_count(label) for label in labels)
        syllables = sum(textstat.syllable_count(label) for label in labels)
        formula = grade if self.language == "en" else ease
        return round(formula(words / len(labels), syllables / words), 1)

    def syllables_per_word(self, label: str) -> float:
        textstat.set_lang(TEXTSTAT_LANGUAGE[self.language])
        return float(textstat.syllable_count(label)) / textstat.lexicon_count(label)

    def passes(self, score: float) -> bool:
        return score <= HIGHEST_GRADE if self.language == "en" else score >= LOWEST_EASE


GATES = {
    "en": Gate("en", "Flesch-Kincaid grade, at most 6"),
    "es": Gate("es", "Fernández-Huerta, at least 70"),
}


def patient_texts(language: str) -> list[Text]:
    texts = engine_texts(language) + server_texts(language) + po_texts(language)
    for page in all_pages(language):
        texts += page_texts(page, language)
    return texts


def scored(texts: list[Text], gate: Gate) -> list[tuple[float, Text]]:
    """Each text of four words or more on its own, and all the labels together. Each text
    once per place."""
    results = []
    labels: list[str] = []
    seen = set()
    for text in texts:
        words = " ".join(without_dates(text.text).split())
        if (text.where, words) in seen or not textstat.lexicon_count(words):
            continue
        seen.add((text.where, words))
        if textstat.lexicon_count(words) > LABEL_WORDS:
            results.append((gate.score(words), text))
        elif words not in labels:
            labels.append(words)
    if labels:
        # Hardest first, so a failure shows where to start.
        hardest = sorted(labels, key=gate.syllables_per_word, reverse=True)
        place = f"the {len(labels)} labels of every page and source, read together"
        results.append((gate.score_labels(labels), Text(place, " / ".join(hardest))))
    return results


def long_labels(texts: list[Text], gate: Gate) -> list[str]:
    """Labels whose words are too long on average, each with where it is."""
    most = LABEL_SYLLABLES[gate.language]
    found: dict[str, list[str]] = {}
    for text in texts:
        words = " ".join(without_dates(text.text).split())
        count = textstat.lexicon_count(words)
        if 0 < count <= LABEL_WORDS and gate.syllables_per_word(words) > most:
            found.setdefault(words, []).append(text.where)
    return [
        f"{gate.syllables_per_word(label):4.1f} syllables a word: {label!r}\n"
        f"        in {', '.join(dict.fromkeys(places))}"
        for label, places in found.items()
    ]


def too_hard(texts: list[Text], gate: Gate) -> list[str]:
    """Each text that fails, with its score and every place it is, easiest first."""
    failures: dict[str, tuple[float, list[str]]] = {}
    for value, text in scored(texts, gate):
        if not gate.passes(value):
            failures.setdefault(text.text, (value, []))[1].append(text.where)
    return [
        f"{value:6.1f}  {text!r}\n        in {', '.join(dict.fromkeys(places))}"
        for text, (value, places) in sorted(failures.items(), key=lambda item: item[1][0])
    ]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_patient_text_is_plain(language: str, db: None) -> None:
    gate = GATES[language]
    texts = patient_texts(language)
    report = too_hard(texts, gate)
    assert not report, (
        f"{len(report)} of {len(scored(texts, gate))} {language} texts are too hard to read "
        f"({gate.scale}):\n" + "\n".join(report)
    )
    long = long_labels(texts, gate)
    assert not long, (
        f"labels with words too long (at most {LABEL_SYLLABLES[language]} syllables a word):\n"
        + "\n".join(long)
    )


PLAIN = {
    "en": "Lie on your back with your knees bent.",
    "es": "Túmbese boca arriba con las rodillas dobladas.",
}
HARD = {
    "en": "Participants demonstrating neurological deterioration require immediate evaluation.",
    "es": "Los participantes con deterioro neurológico progresivo requieren evaluación inmediata.",
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_gate_names_a_hard_sentence_its_place_and_its_score(language: str) -> None:
    """The gate can fail: a hard sentence among plain ones is named, with where it is."""
    gate = GATES[language]
    plain = Text("a plain page", PLAIN[language])
    hard = Text("a hard page", HARD[language])
    report = too_hard([plain, hard], gate)
    assert len(report) == 1
    assert HARD[language] in report[0]
    assert "a hard page" in report[0]
    score = float(report[0].split()[0])
    assert not gate.passes(score)
    if language == "en":
        assert score >= 9  # well past grade 6
