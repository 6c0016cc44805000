"""The front page: what Stenosis Coach is, the five exercises, and the disclaimer."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from stenosis_coach.patients.models import Patient


def test_home_page_shows_the_programme(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    for name in ["Knees to chest", "Child&#x27;s pose", "Pelvic tilt", "Lying march", "Curl-up"]:
        assert name in page
    assert "Do not bounce on your heels." in page
    assert "Stop any exercise right away if it hurts" in page
    assert "does not take the place of your doctor" in page
    assert "4 times, hold 10 seconds" in page


def test_home_page_is_served_with_safe_headers(client: Client) -> None:
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_unknown_pages_are_404_without_debug_details(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content
    assert b"URLconf" not in response.content


def test_the_stylesheet_is_served(client: Client) -> None:
    response = client.get("/static/web/site.css")
    assert response.status_code == 200
    assert b"font-size" in b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_front_page_has_a_sign_up_button(client: Client, db: None) -> None:
    html = client.get("/").content.decode()
    main = html[html.index('<main id="main">') :]  # in the page itself, not only the menu
    assert main.count('<a class="button primary start" href="/signup/">Sign up</a>') == 2
    assert 'href="/login/">Log in</a>' in main


def test_with_sign_up_closed_the_front_page_offers_log_in(
    client: Client, db: None, settings: Any
) -> None:
    settings.OPEN_SIGNUP = False
    html = client.get("/").content.decode()
    assert "/signup/" not in html
    main = html[html.index('<main id="main">') :]
    assert '<a class="button primary" href="/login/">Log in</a>' in main


def test_a_logged_in_patient_is_offered_today(dave: Patient) -> None:
    client = Client()
    client.force_login(dave.user)
    main = client.get("/").content.decode().split('<main id="main">')[1]
    assert '<a class="button primary" href="/today/">Go to Today</a>' in main
    assert "/signup/" not in main


def test_the_front_page_shows_exercise_pictures_with_words(client: Client, db: None) -> None:
    html = client.get("/").content.decode()
    pictures = re.search(r'<div class="front-pictures">(.*?)</div>', html, re.S)
    assert pictures
    figures = re.findall(r"<figure>(.*?)</figure>", pictures[1], re.S)
    assert 2 <= len(figures) <= 3
    for figure in figures:
        svg = re.search(r"<svg [^>]*>", figure)
        assert svg
        assert 'role="img"' in svg[0]
        title_id = re.search(r'aria-labelledby="([^"]+)"', svg[0])
        desc_id = re.search(r'aria-describedby="([^"]+)"', svg[0])
        assert title_id
        assert desc_id
        title = re.search(rf'<title id="{title_id[1]}">([^<]+)</title>', figure)
        desc = re.search(rf'<desc id="{desc_id[1]}">([^<]+)</desc>', figure)
        assert title
        assert desc
        assert len(desc[1].split()) > 5  # words for who cannot see it
        assert re.search(r"<figcaption>[^<]+</figcaption>", figure)
    assert "<figcaption>Knees to chest</figcaption>" in pictures[1]


def test_the_pictures_speak_the_language_of_the_page(client: Client, db: None) -> None:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    pictures = re.search(r'<div class="front-pictures">(.*?)</div>', html, re.S)
    assert pictures
    assert "<figcaption>Rodillas al pecho</figcaption>" in pictures[1]
