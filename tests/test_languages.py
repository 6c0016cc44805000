"""Languages: a visitor gets the browser's language, the switch on every page changes it, a
patient's choice is saved with their account and comes back at log-in."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import Client

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription
from tests.patient_pages import do_session, logged_in, page, ready

PASSWORD = "Slow-Knees-To-Chest-42"


def lang_of(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match is not None
    return match.group(1)


def test_a_new_visitor_gets_the_browsers_language(client: Client, db: None) -> None:
    spanish = client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    assert lang_of(page(spanish)) == "es"
    assert "Ejercicios para el dolor de pierna" in page(spanish)
    english = Client().get("/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert lang_of(page(english)) == "en"
    other = Client().get("/", HTTP_ACCEPT_LANGUAGE="fr-FR")
    assert lang_of(page(other)) == "en"


def test_every_page_has_the_switch_with_each_language_named_in_itself(
    client: Client, alice: Patient
) -> None:
    for html in (page(client.get("/")), page(logged_in(ready(alice)).get("/today/"))):
        assert 'action="/language/"' in html
        assert 'lang="en" aria-pressed="true">English</button>' in html
        assert 'lang="es" aria-pressed="false">Español</button>' in html
    spanish = page(Client(HTTP_ACCEPT_LANGUAGE="es").get("/login/"))
    assert 'lang="en" aria-pressed="false">English</button>' in spanish
    assert 'lang="es" aria-pressed="true">Español</button>' in spanish


def test_a_visitor_switches_and_stays_switched(client: Client, db: None) -> None:
    response = client.post("/language/", {"language": "es", "next": "/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert lang_of(page(client.get("/login/", HTTP_ACCEPT_LANGUAGE="en"))) == "es"


def test_the_switch_refuses_what_it_does_not_know(client: Client, db: None) -> None:
    assert client.get("/language/").status_code == 405
    assert client.post("/language/", {"language": "fr", "next": "/"}).status_code == 400
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    response = client.post("/language/", {"language": "es", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_patients_switch_is_saved_with_the_account(alice: Patient) -> None:
    client = logged_in(ready(alice))
    client.post("/language/", {"language": "es", "next": "/today/"})
    alice.refresh_from_db()
    assert alice.language == "es"
    today = page(client.get("/today/"))
    assert lang_of(today) == "es"
    assert "<h1>Hoy</h1>" in today
    # The engine's words follow: the plan speaks Spanish.
    plan = client.get("/api/plan/").json()
    assert plan["locale"] == "es"
    assert plan["plans"]["normal"]["steps"][0]["cue"].startswith("Ahora: Rodillas al pecho.")


def test_logging_in_brings_back_the_saved_language(alice: Patient) -> None:
    ready(alice)
    alice.language = "es"
    alice.save()
    alice.user.set_password(PASSWORD)
    alice.user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US")
    assert lang_of(page(client.get("/login/"))) == "en"
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert lang_of(page(client.get("/today/"))) == "es"
    # After logging out the pages stay in the patient's language.
    client.post("/logout/")
    assert lang_of(page(client.get("/"))) == "es"


def test_the_saved_language_wins_over_a_cookie_from_before(alice: Patient) -> None:
    ready(alice)
    alice.language = "es"
    alice.save()
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(alice.user)
    response = client.get("/today/")
    assert lang_of(page(response)) == "es"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_signing_up_keeps_the_language_in_use(db: None) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    data = {"email": "ana@example.org", "password": PASSWORD, "password_again": PASSWORD}
    assert client.post("/signup/", data).status_code == 302
    assert Patient.objects.get(user__username="ana@example.org").language == "es"
    client.post("/login/", {"username": "ana@example.org", "password": PASSWORD})
    assert lang_of(page(client.get("/onboarding/safety/"))) == "es"


def test_an_account_that_is_not_a_patient_can_switch(bob: User) -> None:
    client = Client()
    client.force_login(bob)
    response = client.post("/language/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    assert lang_of(page(client.get("/"))) == "es"


def test_the_password_email_is_in_the_language_in_use(alice: Patient) -> None:
    alice.user.email = "alice@example.org"
    alice.user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.post("/password-reset/", {"email": "alice@example.org"})
    (message,) = mail.outbox
    assert message.subject == "Cree una contraseña nueva para Stenosis Coach"
    assert message.body.startswith("Hola:")
    assert "Si no fue usted, no tiene que hacer nada." in message.body


def test_spanish_dates_and_words_on_the_history_page(alice: Patient) -> None:
    from tests.patient_pages import do_session

    ready(alice)
    alice.language = "es"
    alice.save()
    do_session(alice)
    html = page(logged_in(alice).get("/history/"))
    assert "Dolor de pierna: 3 antes, 3 después." in html
    assert re.search(r"(lunes|martes|miércoles|jueves|viernes|sábado|domingo) \d+ de ", html)


@pytest.mark.parametrize("language", ["en", "es"])
def test_programme_json_in_each_language(language: str) -> None:
    out = StringIO()
    call_command("programme", "--json", "--lang", language, stdout=out)
    names = [exercise["name"] for exercise in json.loads(out.getvalue())["exercises"]]
    expected = {"en": "Knees to chest", "es": "Rodillas al pecho"}[language]
    assert names[0] == expected


def test_reasons_made_in_one_language_are_read_in_the_language_chosen_later(
    alice: Patient,
) -> None:
    """Alice steps up in English, then switches to Spanish: Today, Progress and her data
    give the reason in Spanish, from the code kept with it (not the English words)."""
    ready(alice)
    do_session(alice, days_ago=2)
    do_session(alice, days_ago=1)
    item = current_prescription(alice).items.get(exercise_id="back-flexion")
    assert item.reason.startswith("You did this 2 times in a row")
    assert (item.reason_code, item.previous_dose["hold_seconds"]) == ("reason_up", 10)
    client = logged_in(alice)
    client.post("/language/", {"language": "es", "next": "/today/"})
    alice.refresh_from_db()
    assert alice.language == "es"
    spanish = "Lo hizo 2 veces seguidas sin más dolor. Por eso, ahora"
    # Progress's table of changes comes when "See the numbers" is opened.
    for path in ("/today/", "/progress/numbers/dose-back-flexion/"):
        html = page(client.get(path))
        assert spanish in html, path
        assert "You did this 2 times" not in html, path
    assert item.reason_in("es").startswith(spanish)


def test_a_reason_kept_without_its_code_is_shown_as_it_was_written(alice: Patient) -> None:
    """Versions stored before reasons kept their code still show their words."""
    ready(alice)
    do_session(alice, days_ago=2)
    do_session(alice, days_ago=1)
    item = current_prescription(alice).items.get(exercise_id="back-flexion")
    item.reason_code, item.reason = "", "Words from an older version."
    item.save()
    assert item.reason_in("es") == "Words from an older version."
    assert "Words from an older version." in page(logged_in(alice).get("/today/"))
