"""The timed walk: the timer page, saving what it sends, and the result."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.templatetags.static import static
from django.test import Client

from stenosis_coach.outcomes.actions import record_walking_test
from stenosis_coach.patients.models import Patient
from tests.patient_pages import logged_in, page, ready, staff_client

STATIC = (
    Path(__file__).resolve().parent.parent / "stenosis_coach" / "outcomes" / "static" / "outcomes"
)


@pytest.fixture
def alice_client(alice: Patient) -> Client:
    return logged_in(ready(alice))


def test_the_walk_needs_a_login(client: Client, db: None) -> None:
    for url in ("/walk/", "/walk/done/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_a_non_patient_account_gets_404(db: None) -> None:
    client = staff_client()
    assert client.get("/walk/").status_code == 404
    assert client.get("/walk/done/").status_code == 404


def test_the_walk_waits_for_onboarding(alice: Patient) -> None:
    assert logged_in(alice).get("/walk/")["Location"] == "/onboarding/"


def test_the_timer_page_says_what_to_do(alice_client: Client) -> None:
    response = alice_client.get("/walk/")
    assert response.status_code == 200
    html = page(response)
    assert "Walk at your usual pace." in html
    assert "Tap Stop when your leg makes you stop, or at 30 minutes." in html
    assert 'id="walk-start"' in html
    assert 'id="walk-stop"' in html
    assert 'role="timer"' in html
    assert 'role="status"' in html
    assert static("outcomes/walking.js") in html


def test_the_timer_gets_its_settings_and_words_from_the_server(alice_client: Client) -> None:
    html = page(alice_client.get("/walk/"))
    assert 'data-cap-minutes="30"' in html
    assert 'data-cue-minutes="5"' in html
    assert 'data-voice="on"' in html
    words = json.loads(re.search(r'id="walk-words"[^>]*>(.*?)</script>', html).group(1))
    assert words["cue"] == "{minutes} minutes. Keep walking if you can."
    assert words["cap"].startswith("30 minutes.")


def test_the_voice_stays_off_for_someone_who_turned_it_off(alice: Patient) -> None:
    alice.voice_on = False
    alice.save()
    html = page(logged_in(ready(alice)).get("/walk/"))
    assert 'data-voice="off"' in html


def test_a_walk_stopped_by_the_leg_is_saved(alice_client: Client, alice: Patient) -> None:
    response = alice_client.post("/walk/", {"seconds": "738", "stopped_by_symptoms": "yes"})
    assert response.status_code == 302
    assert response["Location"] == "/walk/done/"
    walk = alice.walking_tests.get()
    assert walk.seconds == 738
    assert walk.minutes == Decimal("12.30")
    assert walk.stopped_by_symptoms


def test_the_seconds_on_the_clock_are_the_seconds_saved_and_shown(
    alice_client: Client, alice: Patient
) -> None:
    """7:17 on the clock: 437 seconds kept, "7 min 17 s" said, never 7.2 nor 7 min 12 s."""
    alice_client.post("/walk/", {"seconds": "437", "stopped_by_symptoms": "yes"})
    assert alice.walking_tests.get().seconds == 437
    html = page(alice_client.get("/walk/done/"))
    assert "You walked 7 min 17 s." in html
    assert "7 min 12 s" not in html
    assert "7.2" not in html


def test_the_timer_sends_whole_seconds() -> None:
    script = (STATIC / "walking.js").read_text()
    assert "form.elements.seconds.value = String(Math.floor(ms / 1000));" in script
    assert "elements.minutes" not in script


def test_the_result_says_how_long_and_links_to_progress(
    alice_client: Client, alice: Patient
) -> None:
    alice_client.post("/walk/", {"seconds": "720", "stopped_by_symptoms": "yes"})
    html = page(alice_client.get("/walk/done/"))
    assert "You walked 12 min." in html
    assert 'href="/progress/"' in html


def test_the_result_shows_the_walk_before(alice_client: Client, alice: Patient) -> None:
    record_walking_test(alice, minutes=Decimal("8.5"), stopped_by_symptoms=True)
    alice_client.post("/walk/", {"seconds": "600", "stopped_by_symptoms": "yes"})
    html = page(alice_client.get("/walk/done/"))
    assert "You walked 10 min." in html
    assert "Last time you walked 8 min 30 s." in html


def test_a_walk_to_30_minutes_is_the_full_time(alice_client: Client, alice: Patient) -> None:
    alice_client.post("/walk/", {"seconds": "1800", "stopped_by_symptoms": "no"})
    assert not alice.walking_tests.get().stopped_by_symptoms
    html = page(alice_client.get("/walk/done/"))
    assert "You walked 30 min." in html
    assert "That is the full time." in html


def test_the_result_page_without_a_walk_goes_to_the_timer(
    alice_client: Client, dave: Patient
) -> None:
    record_walking_test(dave, minutes=Decimal(22), stopped_by_symptoms=True)
    assert alice_client.get("/walk/done/")["Location"] == "/walk/"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"stopped_by_symptoms": "yes"}, "We did not get the time you walked."),
        ({"seconds": "ten", "stopped_by_symptoms": "yes"}, "We did not get the time you walked."),
        ({"seconds": "12.5", "stopped_by_symptoms": "yes"}, "We did not get the time you walked."),
        ({"minutes": "12", "stopped_by_symptoms": "yes"}, "We did not get the time you walked."),
        ({"seconds": "1801", "stopped_by_symptoms": "no"}, "from 0 to 30 minutes"),
        ({"seconds": "99999", "stopped_by_symptoms": "no"}, "from 0 to 30 minutes"),
        ({"seconds": "-1", "stopped_by_symptoms": "yes"}, "from 0 to 30 minutes"),
        ({"seconds": "720"}, "We did not get why the walk ended."),
        ({"seconds": "720", "stopped_by_symptoms": "maybe"}, "We did not get why the walk ended."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    alice_client: Client, alice: Patient, data: dict[str, str], message: str
) -> None:
    response = alice_client.post("/walk/", data)
    assert response.status_code == 400
    html = page(response)
    assert "We could not save your walk" in html
    assert message in html
    assert not alice.walking_tests.exists()


def test_other_methods_are_refused(alice_client: Client) -> None:
    assert alice_client.put("/walk/").status_code == 405
