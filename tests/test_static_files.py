"""Static files as they are served: under names with their contents' hash, kept by the
browser for good (a new version has a new name), and sent compressed when the browser can
take it, from copies made when they were collected."""

from __future__ import annotations

import json
import re

import pytest
from django.templatetags.static import static
from django.test import Client

from stenosis_coach.patients.models import Patient
from tests.patient_pages import logged_in, page, ready

pytestmark = pytest.mark.django_db

HASHED = re.compile(r"/static/web/site\.[0-9a-f]{12}\.css")
A_YEAR = 365 * 24 * 60 * 60


def body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_pages_name_the_hashed_files(alice: Patient) -> None:
    html = page(logged_in(ready(alice)).get("/today/"))
    assert HASHED.search(html)
    assert 'href="/static/web/site.css"' not in html


def test_a_hashed_file_is_kept_for_good(client: Client) -> None:
    response = client.get(static("web/site.css"))
    assert response.status_code == 200
    cache = response["Cache-Control"]
    assert "immutable" in cache
    max_age = re.search(r"max-age=(\d+)", cache)
    assert max_age is not None
    assert int(max_age[1]) >= A_YEAR
    response.close()


@pytest.mark.parametrize(("asked", "sent"), [("br, gzip", "br"), ("gzip", "gzip"), ("", None)])
def test_a_file_comes_compressed_as_the_browser_asks(
    client: Client, asked: str, sent: str | None
) -> None:
    response = client.get(static("web/player.js"), headers={"Accept-Encoding": asked})
    assert response.status_code == 200
    assert response.get("Content-Encoding") == sent
    assert "Accept-Encoding" in response["Vary"]
    response.close()


def test_an_image_is_sent_as_it_is(client: Client) -> None:
    response = client.get(static("web/icon-192.png"), headers={"Accept-Encoding": "gzip"})
    assert response.get("Content-Encoding") is None
    assert body(response).startswith(b"\x89PNG")


def test_the_players_modules_import_each_other_by_hashed_name(client: Client) -> None:
    """A new player.js never runs with an old clock.js kept under the same plain name."""
    source = body(client.get(static("web/player.js"))).decode()
    imports = re.findall(r'from "(\./[^"]+)"', source)
    assert imports
    assert all(re.fullmatch(r"\./[\w-]+\.[0-9a-f]{12}\.js", name) for name in imports), imports


def test_the_service_worker_keeps_the_hashed_files(client: Client) -> None:
    script = client.get("/sw.js").content.decode()
    shell = json.loads(script.split("const SHELL = ", 1)[1].split(";\n", 1)[0])
    assert static("web/player.js") in shell["files"]
    for path in shell["files"]:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", path), path
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()
