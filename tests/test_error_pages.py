"""Our own pages for a wrong link, a stale form, a bad request and a fault on the server:
plain words in the reader's language and a way on, never Django's bare English pages.
(Their words are in the plain-language and translation gates through tests/texts.py.)"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

from stenosis_coach.patients.models import Patient
from tests.patient_pages import logged_in, page, ready


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a fault on the server, for the test")


urlpatterns = [path("crash/", crash), path("", include(settings.ROOT_URLCONF))]


def in_language(language: str, **extra: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language, **extra)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "We cannot find that page"), ("es", "No vemos esa página")],
)
def test_a_wrong_link_gets_our_page_in_the_readers_language(
    db: None, language: str, heading: str
) -> None:
    response = in_language(language).get("/no-such-page/")
    assert response.status_code == 404
    html = page(response)
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert 'href="/"' in html  # the way on, for a visitor: the front page


def test_a_patient_who_follows_a_wrong_link_is_shown_the_way_to_today(alice: Patient) -> None:
    response = logged_in(ready(alice)).get("/history/not-a-session/")
    assert response.status_code == 404
    assert 'href="/today/"' in page(response)


def test_a_stale_form_gets_a_plain_403_and_the_next_try_works(alice: Patient) -> None:
    """A log-in form left open for hours (its token gone) is refused kindly; the page it
    shows sets a fresh token, and the second try logs in."""
    client = Client(enforce_csrf_checks=True)
    credentials = {"username": alice.user.username, "password": "wrong"}
    response = client.post("/login/", credentials)
    assert response.status_code == 403
    assert "<h1>Please try that again</h1>" in page(response)
    form = client.get("/login/")
    token = form.context["csrf_token"]
    again = client.post("/login/", {**credentials, "csrfmiddlewaretoken": token})
    assert again.status_code == 400  # the form again, saying the password is wrong
    assert "do not match" in page(again)


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Sorry, something went wrong on our side"),
        ("es", "Lo sentimos, algo salió mal de nuestro lado"),
    ],
)
def test_a_fault_on_the_server_gets_a_500_in_the_readers_language(
    db: None, language: str, heading: str
) -> None:
    client = in_language(language)
    client.raise_request_exception = False
    response = client.get("/crash/")
    assert response.status_code == 500
    html = page(response)
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html


def test_a_request_for_a_host_we_do_not_serve_gets_a_plain_400(db: None) -> None:
    response = Client(HTTP_HOST="not-ours.example").get("/")
    assert response.status_code == 400
    assert "<h1>Something went wrong</h1>" in page(response)
