"""The "you are offline" page that the service worker keeps and shows for a page it cannot
reach with no network (tests/browser/test_offline.py shows it in the browser)."""

from __future__ import annotations

import json
import re

from django.test import Client
from django.utils import translation

from stenosis_coach.patients.models import Patient
from tests.patient_pages import logged_in, ready


def shell(client: Client) -> dict[str, object]:
    body = client.get("/sw.js").content.decode()
    match = re.match(r"const SHELL = (\{.*?\});\n", body)
    assert match is not None
    return dict(json.loads(match.group(1)))


def test_the_service_worker_knows_the_offline_page(client: Client, db: None) -> None:
    assert shell(client)["offline"] == "/offline/"
    script = client.get("/sw.js").content.decode()
    assert 'request.mode === "navigate"' in script
    assert "offlinePage()" in script


def test_the_offline_page_says_what_to_do_and_links_to_today(client: Client, db: None) -> None:
    response = client.get("/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>You are offline</h1>" in html
    assert "Check your Wi-Fi or mobile data." in html
    assert "saved on this device" in html
    assert '<a class="button primary" href="/today/">Go to Today</a>' in html
    assert '<a class="button" href="">Try again</a>' in html
    assert response["Cache-Control"] == "no-cache"


def test_it_is_in_the_patients_language_with_nothing_of_the_account(alice: Patient) -> None:
    alice.language = "es"
    ready(alice).save(update_fields=["language"])
    with translation.override("es"):
        html = logged_in(alice).get("/offline/").content.decode()
    assert '<html lang="es">' in html
    assert "<h1>No tiene internet</h1>" in html
    assert "Ir a Hoy" in html
    assert "csrf" not in html.lower()
    assert "Log out" not in html
    assert "Salir" not in html


def test_only_get(client: Client, db: None) -> None:
    assert client.post("/offline/").status_code == 405
