"""The settings page: the language, spoken steps and beeps, each shown as it is now and
changeable, and the exercise times and reminders summed up with a link to their page."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.test import Client

from stenosis_coach.patients import preferences
from stenosis_coach.patients.models import Patient
from tests.patient_pages import logged_in, page, ready, staff_client

EVERYTHING = {"language": "en", "voice_on": "on", "beeps_on": "on"}


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
    assert "<li>Your times: 6 p.m.</li>" in html
    assert "<li>You get no reminders.</li>" in html
    link = '<a class="button" href="/settings/reminders/">Change your times and reminders</a>'
    assert link in html
    assert "<li>Each step is said out loud.</li>" in html
    assert "<li>You hear beeps in the last seconds of a hold.</li>" in html
    assert 'name="time"' not in html  # asked on the reminders page now
    assert checked(html, "language") == "en"
    assert checked(html, "voice_on") == "on"
    assert checked(html, "beeps_on") == "on"


def test_each_language_is_named_in_itself(rosa: Patient) -> None:
    html = page(logged_in(rosa).get("/settings/"))
    for code, name in settings.LANGUAGES:
        assert re.search(rf'<label class="choice" for="[^"]+" lang="{code}">.*?{name}</span>', html)


def test_saving_changes_every_setting(rosa: Patient) -> None:
    client = logged_in(rosa)
    answers = {"language": "es", "voice_on": "off", "beeps_on": "off"}
    response = client.post("/settings/", answers)
    assert response.status_code == 302
    assert response["Location"] == "/settings/"
    rosa.refresh_from_db()
    assert rosa.preferred_session_time == dt.time(18, 0)  # not this page's to change
    assert rosa.language == "es"
    assert (rosa.voice_on, rosa.beeps_on) == (False, False)
    # The next page is in the new language, says so, and shows the new settings.
    html = page(client.get("/settings/"))
    assert '<html lang="es">' in html
    assert "Sus ajustes están guardados." in html
    assert "Sus horas: 18:00" in html
    assert "Los pasos no se dicen en voz alta." in html
    assert "No hay pitidos." in html
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


@pytest.mark.parametrize(
    ("change", "message"),
    [
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
        preferences.save_settings(rosa, language="es", voice_on=False, beeps_on=False)
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


# ---------------------------------------------------------------------------------------
# The time zone: chosen here, or sent once by the browser


def zone_options(html: str) -> list[str]:
    select = re.search(r'<select name="time_zone".*?</select>', html, re.S)
    assert select, "no time zone list"
    return re.findall(r'<option value="([^"]*)"', select[0])


def selected_zone(html: str) -> str | None:
    match = re.search(r'<option value="([^"]*)" selected', html)
    return match[1] if match else None


def test_the_time_zone_is_shown_and_picked_in_the_list(rosa: Patient) -> None:
    rosa.time_zone = "America/Chicago"
    rosa.save()
    html = page(logged_in(rosa).get("/settings/"))
    assert "<li>Your time zone is America/Chicago.</li>" in html
    assert '<label for="id_time_zone">Your time zone</label>' in html
    assert selected_zone(html) == "America/Chicago"
    options = zone_options(html)
    assert {"Europe/Madrid", "America/New_York", "UTC"} <= set(options)
    assert "" not in options  # a zone is set: nothing to leave empty
    assert options == sorted(options)
    # Named as it is, not as words of a language (the gates and screen readers know).
    assert '<option value="America/New_York" lang="zxx">America/New York</option>' in html


def test_with_no_zone_yet_the_page_says_so_and_picks_nothing(rosa: Patient) -> None:
    html = page(logged_in(rosa).get("/settings/"))
    assert "<li>We do not know your time zone yet.</li>" in html
    assert zone_options(html)[0] == ""
    assert selected_zone(html) == ""


def test_a_new_time_zone_is_saved(rosa: Patient) -> None:
    client = logged_in(rosa)
    response = client.post("/settings/", {**EVERYTHING, "time_zone": "Europe/Madrid"})
    assert response.status_code == 302
    rosa.refresh_from_db()
    assert rosa.time_zone == "Europe/Madrid"
    assert str(rosa.zone) == "Europe/Madrid"
    assert "Your time zone is Europe/Madrid." in page(client.get("/settings/"))


@pytest.mark.parametrize("sent", [{}, {"time_zone": ""}])
def test_no_zone_sent_keeps_the_one_there_is(rosa: Patient, sent: dict[str, str]) -> None:
    rosa.time_zone = "America/Chicago"
    rosa.save()
    assert logged_in(rosa).post("/settings/", {**EVERYTHING, **sent}).status_code == 302
    rosa.refresh_from_db()
    assert rosa.time_zone == "America/Chicago"


@pytest.mark.parametrize("zone", ["Mars/Olympus", "localtime", "../../etc/passwd", "x" * 500])
def test_an_unknown_time_zone_gets_a_clear_message(rosa: Patient, zone: str) -> None:
    response = logged_in(rosa).post("/settings/", {**EVERYTHING, "time_zone": zone})
    assert response.status_code == 400
    assert page(response).count("Please pick a time zone from the list.") == 1
    rosa.refresh_from_db()
    assert rosa.time_zone == ""
    assert rosa.preferred_session_time == dt.time(18, 0)


def test_a_page_sends_the_browsers_zone_only_while_it_is_not_known(rosa: Patient) -> None:
    client = logged_in(rosa)
    script = (
        f'<script type="module" src="{static("web/zone.js")}" data-zone-url="/settings/time-zone/">'
    )
    for path in ("/today/", "/progress/", "/settings/"):
        assert script in page(client.get(path)), path
    rosa.time_zone = "Asia/Tokyo"
    rosa.save()
    for path in ("/today/", "/progress/", "/settings/"):
        assert "zone.js" not in page(client.get(path)), path


def test_the_zone_is_not_asked_of_a_visitor_or_staff(client: Client, db: None) -> None:
    assert "data-zone-url" not in page(client.get("/"))
    assert "data-zone-url" not in page(staff_client().get("/"))


def post_zone(client: Client, data: object, content_type: str = "application/json") -> Any:
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post("/settings/time-zone/", body, content_type=content_type)


def test_the_browser_sends_its_zone_as_json(rosa: Patient) -> None:
    response = post_zone(logged_in(rosa), {"time_zone": "America/Chicago"})
    assert response.status_code == 204
    rosa.refresh_from_db()
    assert rosa.time_zone == "America/Chicago"


def test_or_as_a_form(rosa: Patient) -> None:
    response = logged_in(rosa).post("/settings/time-zone/", {"time_zone": "Europe/Madrid"})
    assert response.status_code == 204
    rosa.refresh_from_db()
    assert rosa.time_zone == "Europe/Madrid"


def test_a_zone_already_known_is_never_replaced_by_the_browser(rosa: Patient) -> None:
    """One picked in settings stays, even when an older page sends the browser's."""
    rosa.time_zone = "Europe/Madrid"
    rosa.save()
    assert post_zone(logged_in(rosa), {"time_zone": "Asia/Tokyo"}).status_code == 204
    rosa.refresh_from_db()
    assert rosa.time_zone == "Europe/Madrid"


@pytest.mark.parametrize(
    "body",
    [
        {"time_zone": "Mars/Olympus"},
        {"time_zone": "localtime"},
        {"time_zone": ""},
        {"time_zone": 5},
        {"time_zone": ["UTC"]},
        {},
        ["UTC"],
        "not json",
        "[" * 400 + "]" * 400,
    ],
)
def test_a_bad_zone_is_400_and_saves_nothing(rosa: Patient, body: object) -> None:
    response = post_zone(logged_in(rosa), body)
    assert response.status_code == 400
    assert response.json() == {"error": "This is not a time zone we know."}
    rosa.refresh_from_db()
    assert rosa.time_zone == ""


def test_a_big_body_is_413(rosa: Patient) -> None:
    response = post_zone(logged_in(rosa), {"time_zone": "UTC", "more": "x" * 2000})
    assert response.status_code == 413


def test_sending_the_zone_needs_a_patient_a_post_and_the_csrf_token(
    client: Client, rosa: Patient
) -> None:
    assert post_zone(client, {"time_zone": "UTC"}).status_code == 401
    assert post_zone(staff_client(), {"time_zone": "UTC"}).status_code == 404
    assert logged_in(rosa).get("/settings/time-zone/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(rosa.user)
    assert post_zone(strict, {"time_zone": "UTC"}).status_code == 403
    rosa.refresh_from_db()
    assert rosa.time_zone == ""


def test_a_patient_not_yet_onboarded_can_send_it_too(dave: Patient) -> None:
    assert post_zone(logged_in(dave), {"time_zone": "UTC"}).status_code == 204
    dave.refresh_from_db()
    assert dave.time_zone == "UTC"
