"""The front page: what Stenosis Coach is, the five exercises, and the disclaimer."""

from __future__ import annotations

from django.test import Client


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
