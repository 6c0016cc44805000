"""Medical words: only the few a patient will meet elsewhere (their doctor says "sciatica"
and "spinal stenosis"), each explained in plain words where the patient first meets it, and
no other clinical word anywhere a patient reads or hears (shared/clinical-notes.md, "Plain
language"). Both languages; the texts are the plain-language gate's (tests/texts.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest

from tests.test_plain_language import patient_texts
from tests.texts import Page, Text, client_for, get, newcomer_pages, page_texts

# The words we keep, each with the start of the sentence that explains it.
EXPLAINED = {
    "en": {
        "sciatica": "Sciatica is pain that runs down your leg",
        "spinal stenosis": "Spinal stenosis means the space for the nerves",
    },
    "es": {
        "ciática": "La ciática es un dolor que baja",
        "estenosis espinal": "Estenosis espinal quiere decir",
    },
}


def word_list(text: str) -> list[str]:
    return [word.strip() for word in text.split(",")]


# Words from the clinical notes and the literature that a patient should not have to know.
# Each matches at the start of a word, in any case.
CLINICAL = {
    "en": word_list(
        "lumbar, flexion, extension, claudication, cauda equina, radicul, neurogenic, "
        "vertebra, abdominal, hamstring, lordosis, diagnos, symptom, foramen, foraminal, "
        "degenerat, bilateral, unilateral, incontinen, saddle an, perine, analgesi, "
        "anti-inflammator, mri, contraindicat, pelvis, spinal canal, extremit, supine, prone, "
        "quadruped, isometric, paresthesia, neuropath, ambulat, decompress"
    ),
    "es": word_list(
        "lumbar, flexión, extensión, claudicación, cola de caballo, radicul, neurógen, "
        "vértebra, isquiotibial, lordosis, diagnóstic, síntoma, foramen, foraminal, "
        "degenerativ, bilateral, unilateral, incontinencia, anestesia en silla, periné, "
        "analgésic, antiinflamatori, resonancia, contraindic, pelvis, canal espinal, "
        "canal medular, extremidad, decúbito, supino, prono, cuadrupedia, isométric, "
        "parestesia, neuropat, deambula, descompres"
    ),
}


def mentions(text: str, word: str) -> bool:
    return re.search(rf"\b{re.escape(word)}", text, re.IGNORECASE) is not None


def clinical_words(texts: Iterable[Text], language: str) -> list[str]:
    return [
        f"{word!r} in {text.text!r} ({text.where})"
        for text in texts
        for word in CLINICAL[language]
        if mentions(text.text, word)
    ]


def unexplained(path: Iterable[Page], language: str) -> list[str]:
    """Each kept word must be explained on the first page of the path that uses it."""
    problems: list[str] = []
    met: set[str] = set()
    for page in path:
        words = " ".join(text.text for text in page_texts(page, language))
        for term, explanation in EXPLAINED[language].items():
            if term in met or not mentions(words, term):
                continue
            met.add(term)
            if explanation not in words:
                problems.append(f"{term!r} first appears on {page.name}, not explained there")
    return problems


def newcomers_path(language: str) -> list[Page]:
    """What a new patient reads, in order: the front page, sign-up, getting started, Today."""
    visitor = client_for(None, language)
    return [get(visitor, "/"), get(visitor, "/signup/"), *newcomer_pages(language)]


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_clinical_word_a_patient_need_not_know(language: str, db: None) -> None:
    found = clinical_words(patient_texts(language), language)
    assert found == [], "Say it in plain words:\n" + "\n".join(found)


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_medical_word_is_explained_where_a_new_patient_first_meets_it(
    language: str, db: None
) -> None:
    path = newcomers_path(language)
    assert unexplained(path, language) == []
    met = " ".join(text.text for page in path for text in page_texts(page, language))
    assert all(mentions(met, term) for term in EXPLAINED[language])  # both are met


def test_the_gates_catch_a_clinical_word_and_a_word_left_unexplained() -> None:
    text = Text("a test", "Keep your lumbar spine in flexion.")
    assert [found.split()[0] for found in clinical_words([text], "en")] == [
        "'lumbar'",
        "'flexion'",
    ]
    bare = Page("GET /bare/", "<html lang='en'><p>These help with sciatica.</p></html>")
    assert unexplained([bare], "en") == [
        "'sciatica' first appears on GET /bare/, not explained there"
    ]
