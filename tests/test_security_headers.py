"""The security headers: a strict Content-Security-Policy, Permissions-Policy, the views'
own caching kept and `no-store` on everything else, and HTTPS=1 (secure cookies, HSTS, the
redirect), so that `check --deploy` is clean with the documented production settings."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from csp.middleware import CSPMiddleware
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.test import Client, RequestFactory, override_settings

from stenosis_coach.illustrations.style import stylesheet
from stenosis_coach.patients.models import Patient
from stenosis_coach.web.csp import style_hash
from tests.patient_pages import logged_in, ready

YEAR = 365 * 24 * 60 * 60


def directives(response: Any) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {name: sources for name, *sources in parts}


def patient_client(alice: Patient) -> Client:
    return logged_in(ready(alice))


def pages(alice: Patient, bob: User) -> dict[str, Any]:
    """One of each kind of page: a patient's, the player, the clinic's, and anyone's."""
    patient, therapist = patient_client(alice), logged_in(bob)
    return {
        "today": patient.get("/today/"),
        "player": patient.get("/session/"),
        "caseload": therapist.get("/clinic/"),
        "clinic patient": therapist.get(f"/clinic/patients/{alice.pk}/"),
        "login": Client().get("/login/"),
        "front page": Client().get("/"),
    }


@pytest.fixture
def responses(alice: Patient, bob: User) -> dict[str, Any]:
    answered = pages(alice, bob)
    assert {name: r.status_code for name, r in answered.items()} == dict.fromkeys(answered, 200)
    return answered


def test_every_kind_of_page_has_a_strict_policy(responses: dict[str, Any]) -> None:
    for name, response in responses.items():
        policy = directives(response)
        assert policy["default-src"] == ["'self'"], name
        assert policy["script-src"] == ["'self'"], name  # no nonce: no page needs one
        assert policy["script-src-attr"] == ["'none'"], name
        assert policy["style-src"] == ["'self'", style_hash(stylesheet())], name
        assert policy["style-src-attr"] == ["'none'"], name
        assert policy["connect-src"] == ["'self'"], name
        assert policy["img-src"] == ["'self'", "data:"], name
        assert policy["worker-src"] == ["'self'"], name
        assert policy["manifest-src"] == ["'self'"], name
        assert policy["object-src"] == ["'none'"], name
        assert policy["frame-ancestors"] == ["'none'"], name
        assert policy["base-uri"] == ["'self'"], name
        assert policy["form-action"] == ["'self'"], name
        assert "unsafe" not in response["Content-Security-Policy"], name


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>")
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle=", re.IGNORECASE)


def test_no_page_has_inline_script_or_style_attributes(responses: dict[str, Any]) -> None:
    for name, response in responses.items():
        html = response.content.decode()
        assert INLINE_SCRIPT.findall(html) == [], name
        assert EVENT_HANDLER.findall(html) == [], name
        assert STYLE_ATTRIBUTE.findall(html) == [], name


def test_the_inline_drawings_style_is_allowed_by_its_hash(responses: dict[str, Any]) -> None:
    html = responses["front page"].content.decode()
    inline_styles = set(re.findall(r"<style>(.*?)</style>", html, re.DOTALL))
    assert inline_styles == {stylesheet()}  # the exercise pictures' own, and nothing else
    assert style_hash(stylesheet()) in directives(responses["front page"])["style-src"]


def nonce_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')  # type: ignore[attr-defined]


def test_a_page_that_uses_a_nonce_gets_a_new_one_each_time() -> None:
    middleware = CSPMiddleware(nonce_page)
    nonces = []
    for _ in range(2):
        response = middleware(RequestFactory().get("/"))
        nonce = re.search(r"nonce=\"(.+?)\"", response.content.decode())
        assert nonce is not None
        assert f"'nonce-{nonce[1]}'" in directives(response)["script-src"]
        nonces.append(nonce[1])
    assert nonces[0] != nonces[1]


def test_permissions_policy_allows_the_wake_lock_only(responses: dict[str, Any]) -> None:
    for name, response in responses.items():
        features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
        assert features["screen-wake-lock"] == "(self)", name
        for denied in ("camera", "microphone", "geolocation", "payment", "usb", "serial"):
            assert features[denied] == "()", (name, denied)
        assert "notifications" not in features  # not a Permissions-Policy feature


def cache_directives(response: Any) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_every_page_is_kept_out_of_the_browsers_and_proxies_caches(
    responses: dict[str, Any],
) -> None:
    for name, response in responses.items():
        assert {"no-store", "private"} <= cache_directives(response), name


def test_the_api_and_the_records_are_not_stored_either(alice: Patient, bob: User) -> None:
    patient, therapist = patient_client(alice), logged_in(bob)
    answers = {
        "plan": patient.get("/api/plan/"),
        "own record": patient.get("/my-data/fhir.json"),
        "therapist's record": therapist.get(f"/clinic/patients/{alice.pk}/fhir.json"),
        "refused upload": patient.post("/api/sessions/", "{}", content_type="application/json"),
        "logged out": Client().get("/api/plan/"),
    }
    for name, response in answers.items():
        assert "no-store" in cache_directives(response), name


def test_views_that_choose_their_own_caching_keep_it(alice: Patient) -> None:
    client = patient_client(alice)
    assert client.get("/sw.js")["Cache-Control"] == "no-cache, no-store, must-revalidate"
    assert client.get("/offline/")["Cache-Control"] == "no-cache"


def test_static_files_keep_their_public_cache(alice: Patient) -> None:
    response = patient_client(alice).get(static("web/site.css"))
    response.close()  # WhiteNoise streams the file
    assert response.status_code == 200
    max_age = re.search(r"max-age=(\d+)", response["Cache-Control"])
    assert max_age is not None
    assert int(max_age[1]) >= 60
    assert "no-store" not in response["Cache-Control"]


def production_settings(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The documented production settings, with a fresh data folder."""
    env = {key: value for key, value in os.environ.items() if key not in ("HTTPS", "DEBUG")}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="coach.example.org",
        DATA_DIR=str(tmp_path / "data"),
        **extra,
    )
    return env


SETTINGS_NAMES = [
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
]


def settings_with(env: dict[str, str]) -> dict[str, Any]:
    """The security settings as a fresh process reads them from `env`."""
    script = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {SETTINGS_NAMES!r}}}))"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "stenosis_coach.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_https_turns_on_secure_cookies_hsts_the_redirect_and_the_proxy_header(
    tmp_path: Path,
) -> None:
    values = settings_with(production_settings(tmp_path, HTTPS="1"))
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": YEAR,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_without_https_nothing_needs_https(tmp_path: Path) -> None:
    values = settings_with(production_settings(tmp_path))
    assert not values["SESSION_COOKIE_SECURE"]
    assert not values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_secure_cookies_alone_still_makes_cookies_secure(tmp_path: Path) -> None:
    values = settings_with(production_settings(tmp_path, SECURE_COOKIES="1"))
    assert values["SESSION_COOKIE_SECURE"]
    assert values["CSRF_COOKIE_SECURE"]
    assert not values["SECURE_SSL_REDIRECT"]


HTTPS_SETTINGS = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": YEAR,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}


@override_settings(**HTTPS_SETTINGS)
def test_behind_the_proxy_http_is_sent_to_https(db: None) -> None:
    response = Client().get("/urgent/", HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/urgent/"


@override_settings(**HTTPS_SETTINGS)
def test_behind_the_proxy_https_pages_carry_hsts(db: None) -> None:
    response = Client().get("/urgent/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == f"max-age={YEAR}; includeSubDomains"


def test_check_deploy_is_clean_with_the_production_settings(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "stenosis_coach", "check", "--deploy"],
        env=production_settings(tmp_path, HTTPS="1"),
        capture_output=True,
        text=True,
        check=True,
    )
    output = done.stdout + done.stderr
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output, output


def test_pages_and_json_are_compressed_for_a_browser_that_asks(alice: Patient) -> None:
    import gzip

    client = patient_client(alice)
    for url in ("/today/", "/api/plan/"):
        plain = client.get(url)
        packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert "Content-Encoding" not in plain, url
        assert packed["Content-Encoding"] == "gzip", url
        assert "Accept-Encoding" in packed["Vary"], url
        assert len(packed.content) * 2 < len(plain.content), url
        unpacked = gzip.decompress(packed.content)
        if url == "/api/plan/":  # the same answer (a page has a new CSRF token each time)
            assert json.loads(unpacked) == plain.json()
        assert "no-store" in packed["Cache-Control"], url
