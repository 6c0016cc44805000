"""The settings page: the time of day for the exercises, the language, spoken steps and
beeps, each shown as it is now and changeable."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client

from stenosis_coach.patients import preferences
from stenosis_coach.patients.models import Patient
from tests.patient_pages import logged_in, page, ready, staff_client

EVERYTHING = {"time": "09:00", "language": "en", "voice_on": "on", "beeps_on": "on"}


@pytest.fixture
def rosa(dave: Patient) -> Patient:
    """Onboarded, exercising in the evening, with the sound on."""
    ready(dave)
    dave.preferred_session_time = dt.time(18, 0)
    dave.save()
    return dave


def test_settings_needs_a_patient(client: Client, db: None) -> None:
    assert client.get("/settings/")["Location"].startswith("/login/")
    assert staff_client().get("/settings/").status_code == 404


def test_settings_waits_for_onboarding(dave: Patient) -> None:
    assert logged_in(dave).get("/settings/")["Location"] == "/onboarding/"


def test_the_menu_links_to_settings(rosa: Patient) -> None:
    html = page(logged_in(rosa).get("/today/"))
    assert '<a href="/settings/">Settings</a>' in html


def test_the_page_says_what_is_set_now(rosa: Patient) -> None:
    html = page(logged_in(rosa).get("/settings/"))
    assert "<li>You plan to exercise in the evening.</li>" in html
    assert "<li>Each step is said out loud.</li>" in html
    assert "<li>You hear beeps in the last seconds of a hold.</li>" in html
    assert checked(html, "time") == "18:00"
    assert checked(html, "language") == "en"
    assert checked(html, "voice_on") == "on"
    assert checked(html, "beeps_on") == "on"


def test_the_times_are_the_ones_of_getting_started(rosa: Patient) -> None:
    html = page(logged_in(rosa).get("/settings/"))
    values = re.findall(r'<input type="radio" name="time" value="([^"]+)"', html)
    assert values == ["09:00", "12:00", "15:00", "18:00", "none"]


def test_each_language_is_named_in_itself(rosa: Patient) -> None:
    html = page(logged_in(rosa).get("/settings/"))
    for code, name in settings.LANGUAGES:
        assert re.search(rf'<label class="choice" for="[^"]+" lang="{code}">.*?{name}</span>', html)


def test_saving_changes_every_setting(rosa: Patient) -> None:
    client = logged_in(rosa)
    answers = {"time": "none", "language": "es", "voice_on": "off", "beeps_on": "off"}
    response = client.post("/settings/", answers)
    assert response.status_code == 302
    assert response["Location"] == "/settings/"
    rosa.refresh_from_db()
    assert rosa.preferred_session_time is None
    assert rosa.language == "es"
    assert (rosa.voice_on, rosa.beeps_on) == (False, False)
    # The next page is in the new language, says so, and shows the new settings.
    html = page(client.get("/settings/"))
    assert '<html lang="es">' in html
    assert "Sus ajustes están guardados." in html
    assert "No tiene una hora fija para sus ejercicios." in html
    assert "Los pasos no se dicen en voz alta." in html
    assert "No hay pitidos." in html
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_a_new_time_is_saved_and_shown(rosa: Patient) -> None:
    client = logged_in(rosa)
    assert client.post("/settings/", {**EVERYTHING, "time": "12:00"}).status_code == 302
    rosa.refresh_from_db()
    assert rosa.preferred_session_time == dt.time(12, 0)
    assert "You plan to exercise at noon." in page(client.get("/settings/"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"time": ""}, "Please pick a time."),
        ({"time": "03:00"}, "Please pick a time."),
        ({"language": "fr"}, "Please pick a language."),
        ({"voice_on": "loud"}, "Please answer yes or no."),
        ({"beeps_on": ""}, "Please answer yes or no."),
    ],
)
def test_bad_answers_get_a_clear_message_and_save_nothing(
    rosa: Patient, change: dict[str, str], message: str
) -> None:
    response = logged_in(rosa).post("/settings/", {**EVERYTHING, **change})
    assert response.status_code == 400
    assert page(response).count(message) == 1
    rosa.refresh_from_db()
    assert rosa.preferred_session_time == dt.time(18, 0)


def test_every_setting_is_saved_in_one_transaction(
    rosa: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure half way (the language saved, then the rest fails) leaves the settings as
    they were."""
    save = Patient.save

    def broken(self: Patient, *args: object, **kwargs: object) -> None:
        if "voice_on" in (kwargs.get("update_fields") or ()):
            raise RuntimeError("the database went away")
        save(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Patient, "save", broken)
    with pytest.raises(RuntimeError):
        preferences.save_settings(
            rosa, session_time=None, language="es", voice_on=False, beeps_on=False
        )
    monkeypatch.undo()
    rosa.refresh_from_db()
    assert rosa.language == "en"
    assert rosa.preferred_session_time == dt.time(18, 0)


def test_a_patient_on_hold_can_still_change_settings(rosa: Patient) -> None:
    from stenosis_coach.patients.actions import record_screening
    from stenosis_coach.programme import red_flag_questions

    record_screening(rosa, {q.id: q.id == "fever" for q in red_flag_questions()})
    client = logged_in(rosa)
    assert client.get("/settings/").status_code == 200


def checked(html: str, name: str) -> str | None:
    match = re.search(rf'<input type="radio" name="{name}" value="([^"]+)"[^>]*checked', html)
    return match[1] if match else None
