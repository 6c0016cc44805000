"""The "When to get help fast" page (/urgent/): for anyone, never held back by a red-flag
hold or by getting started, with a tap-to-call button for the deployment's emergency number
(EMERGENCY_PHONE, checked at start-up)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from stenosis_coach.patients.actions import record_screening, sign_up
from stenosis_coach.patients.models import Patient
from stenosis_coach.programme import red_flag_questions
from stenosis_coach.programme.safety import urgent_texts
from stenosis_coach.settings import emergency_phone
from tests.patient_pages import logged_in, page, ready

EMERGENCY_SIGNS = [
    "The skin around your groin, your bottom or the inside of your thighs goes numb.",
    "You have new trouble passing urine, or holding it in.",
    "You start to lose control of your bowels.",
    "One of your legs, or both, is getting weaker.",
    "Your walking suddenly gets much worse, or your legs give way.",
]


def test_anyone_can_read_it(client: Client, db: None) -> None:
    response = client.get("/urgent/")
    assert response.status_code == 200
    html = page(response)
    assert "<h1>When to get help fast</h1>" in html
    assert "Go to an emergency department now if you have one of these signs:" in html
    for sign in EMERGENCY_SIGNS:
        assert f"<li>{sign}</li>" in html
    assert "See a doctor today if:" in html
    assert "<li>You have back pain with a fever or chills.</li>" in html
    assert "Your usual leg pain when you walk is not one of these signs." in html
    assert '<a class="button call" href="tel:911">Call 911</a>' in html
    assert 'href="/"' in html  # the way back, for a visitor


def test_the_page_shows_the_words_the_player_gets(client: Client, db: None) -> None:
    html = page(client.get("/urgent/"))
    texts = urgent_texts("en", "911").to_dict()
    for value in texts.values():
        for text in value if isinstance(value, list) else [value]:
            assert str(text) in html


def test_a_patient_on_hold_can_read_it(alice: Patient) -> None:
    ready(alice)
    record_screening(alice, {q.id: q.id == "bladder" for q in red_flag_questions()})
    client = logged_in(alice)
    assert client.get("/today/")["Location"] == "/check/result/"
    response = client.get("/urgent/")
    assert response.status_code == 200
    assert 'href="tel:911"' in page(response)
    assert 'href="/today/"' in page(response)


def test_a_newcomer_can_read_it(db: None) -> None:
    newcomer = sign_up("new@example.org", "unused-New-pw-1")
    response = logged_in(newcomer).get("/urgent/")
    assert response.status_code == 200
    assert "When to get help fast" in page(response)


def test_it_speaks_the_readers_language(db: None) -> None:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "es"
    html = page(client.get("/urgent/"))
    assert "<h1>Cuándo pedir ayuda ya</h1>" in html
    assert '<a class="button call" href="tel:911">Llamar al 911</a>' in html
    assert "When to get help fast" not in html


def test_it_speaks_the_patients_language(alice: Patient) -> None:
    alice.language = "es"
    alice.save(update_fields=["language"])
    assert "Vaya ya a urgencias" in page(logged_in(alice).get("/urgent/"))


def test_the_button_calls_the_deployments_number(client: Client, db: None, settings: Any) -> None:
    settings.EMERGENCY_PHONE = "+34 112"
    html = page(client.get("/urgent/"))
    assert '<a class="button call" href="tel:+34112">Call +34 112</a>' in html


def test_it_is_read_only(client: Client, db: None) -> None:
    assert client.post("/urgent/").status_code == 405


# --- EMERGENCY_PHONE ------------------------------------------------------------------------


def test_the_default_number_is_911() -> None:
    assert emergency_phone(None) == "911"


@pytest.mark.parametrize("value", ["112", "+34 112", " 999 ", "1-800-273-8255", "000"])
def test_a_phone_number_is_kept(value: str) -> None:
    assert emergency_phone(value) == value.strip()


@pytest.mark.parametrize(
    "value", ["", "   ", "call 911", "911;", "tel:911", "+", "9--1", "91 1x", "١١٢"]
)
def test_anything_else_stops_the_server(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="EMERGENCY_PHONE"):
        emergency_phone(value)


def test_a_bad_number_stops_the_server_at_start_up(tmp_path: Path) -> None:
    env = {**os.environ, "EMERGENCY_PHONE": "call 911", "DATA_DIR": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "stenosis_coach.settings"
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    assert "ImproperlyConfigured" in run.stderr
    assert "EMERGENCY_PHONE='call 911' is not a phone number" in run.stderr


def test_the_number_comes_from_the_environment(tmp_path: Path) -> None:
    env = {**os.environ, "EMERGENCY_PHONE": "+44 999", "DATA_DIR": str(tmp_path)}
    script = "from stenosis_coach import settings; print(settings.EMERGENCY_PHONE)"
    run = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "+44 999"
