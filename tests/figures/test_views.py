"""The pictures page and the player's JSON, through Django's test client."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import User
from django.templatetags.static import static
from django.test import Client
from django.utils.html import escape

from stenosis_coach.illustrations import keyframe_svgs

from .helpers import EXERCISE_IDS, HOW_TO_IDS, HOW_TOS

ALL_IDS = (*EXERCISE_IDS, *HOW_TO_IDS)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("exercise", ALL_IDS)
def test_the_player_gets_an_exercises_figure_as_json(client: Client, exercise: str) -> None:
    response = client.get(f"/api/illustrations/{exercise}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "max-age" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]  # its words follow the asker's language
    assert "Accept-Language" in response["Vary"]
    data = response.json()
    assert data["exercise"] == exercise
    assert data["frames"]
    assert data["phases"]["start"] == [0]
    ET.fromstring(data["scene"])
    ET.fromstring(data["still"]["svg"])


def test_an_unknown_exercise_is_404_with_a_message(client: Client) -> None:
    response = client.get("/api/illustrations/handstand/")
    assert response.status_code == 404
    assert response.json() == {"error": "There is no picture for this exercise."}


def test_the_json_is_only_for_reading(client: Client) -> None:
    assert client.post("/api/illustrations/curl-up/").status_code == 405


def test_the_pictures_page_is_public_and_shows_every_keyframe(client: Client) -> None:
    response = client.get("/figures/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Exercise pictures" in page
    assert f'href="{static("web/site.css")}"' in page  # the site's own layout
    for exercise in ALL_IDS:
        assert f'data-figure-url="/api/illustrations/{exercise}/"' in page
        for svg in keyframe_svgs(exercise).values():
            assert svg in page  # drawn by the same code, not escaped
    assert page.count("<svg") == sum(len(keyframe_svgs(e)) for e in ALL_IDS)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pictures_page_shows_how_to_get_down_and_up_and_rest(
    client: Client, language: str
) -> None:
    client.cookies["django_language"] = language
    page = client.get("/figures/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for how_to in HOW_TO_IDS:
        words = HOW_TOS[how_to].text(language)
        assert f'id="figure-{how_to}">{escape(words.title)}</h2>' in page
        assert escape(words.description) in page


def test_the_pictures_page_shows_the_signed_in_menu_too(client: Client) -> None:
    client.force_login(User.objects.create_user("erin"))
    response = client.get("/figures/")
    assert response.status_code == 200
    assert "Log out" in response.content.decode()


def test_the_pictures_page_loads_its_script_and_styles(client: Client) -> None:
    page = client.get("/figures/").content.decode()
    assert f'src="{static("figures/gallery.js")}"' in page
    assert f'href="{static("figures/figures.css")}"' in page
