"""Push-notification reminders: a real encrypted push through pywebpush to a push service of
our own on 127.0.0.1 (the real ones are not reachable here), which decrypts it as a browser
would; what the push services' answers do to the saved devices; the VAPID key made once;
and the endpoints push.js calls."""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.test import Client
from django.utils import translation
from py_vapid import Vapid02

from stenosis_coach.patients.models import Patient
from stenosis_coach.programme import load_catalogue
from stenosis_coach.reminders import push
from stenosis_coach.reminders.models import PushSubscription, ReminderPlan, VapidKey
from stenosis_coach.reminders.push import (
    BadSubscription,
    push_to_patient,
    save_subscription,
    send_reminder,
    vapid_keys,
)
from stenosis_coach.reminders.views_push import device_name

pytestmark = pytest.mark.django_db


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """A browser's side of a subscription: its key pair and auth secret."""

    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    def keys(self) -> dict[str, str]:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"p256dh": b64url(point), "auth": b64url(self.auth_secret)}


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    payload: Any  # the decrypted JSON, or the error met decrypting it


class PushService:
    """A push service on 127.0.0.1 that decrypts each push with its browser's keys and
    answers `status`."""

    def __init__(self) -> None:
        self.status = 201
        self.status_of: dict[str, int] = {}  # path -> its own answer
        self.browsers: dict[str, Browser] = {}  # path -> browser
        self.received: list[Received] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                browser = service.browsers.get(self.path)
                try:
                    assert browser is not None, "no browser for this path"
                    clear = http_ece.decrypt(
                        body,
                        private_key=browser.private_key,
                        auth_secret=browser.auth_secret,
                        version="aes128gcm",
                    )
                    payload: Any = json.loads(clear)
                except Exception as error:  # the test reads it, and fails
                    payload = error
                service.received.append(Received(self.path, dict(self.headers), payload))
                self.send_response(service.status_of.get(self.path, service.status))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def subscription(self, name: str = "device") -> tuple[dict[str, Any], Browser]:
        """A browser's PushSubscription JSON for a new device of this service."""
        browser = Browser()
        path = f"/push/{name}-{os.urandom(8).hex()}"
        self.browsers[path] = browser
        return {"endpoint": self.origin + path, "keys": browser.keys()}, browser

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def push_service(settings: Any) -> Iterator[PushService]:
    settings.DEBUG = True  # lets a subscription's endpoint be http://127.0.0.1
    service = PushService()
    yield service
    service.close()


@pytest.fixture(autouse=True)
def no_test_push_limit_left_over() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def https_subscription(name: str = "phone") -> dict[str, Any]:
    return {
        "endpoint": f"https://fcm.googleapis.com/fcm/send/{name}-{os.urandom(6).hex()}",
        "expirationTime": None,
        "keys": Browser().keys(),
    }


# --- (a) A real encrypted push -------------------------------------------------------------


def test_a_reminder_arrives_encrypted_signed_and_says_only_time_to_exercise(
    alice: Patient, push_service: PushService
) -> None:
    data, _browser = push_service.subscription()
    save_subscription(alice, data, "Chrome, Android")

    assert send_reminder(alice) == 1

    (push_received,) = push_service.received
    assert push_received.payload == {
        "title": "Time to do your exercises",
        "body": "",
        "url": "/today/",
        "tag": "exercise-reminder",
    }
    words = json.dumps(push_received.payload).lower()
    for health_word in ("pain", "leg", "numb", "hurt", "dose", "red flag"):
        assert health_word not in words
    for exercise in load_catalogue().exercises:
        assert exercise.text("en").name.lower() not in words

    headers = {name.lower(): value for name, value in push_received.headers.items()}
    scheme, _, credentials = headers["authorization"].partition(" ")
    assert scheme == "vapid"
    parts = dict(part.split("=", 1) for part in credentials.split(","))
    assert parts["k"] == vapid_keys().public_key
    claims = json.loads(b64url_decode(parts["t"].split(".")[1]))
    assert claims["aud"] == push_service.origin
    assert claims["sub"].startswith(("mailto:", "http"))
    assert headers["ttl"] == str(30 * 60)
    assert headers["urgency"] == "high"
    assert headers["content-encoding"] == "aes128gcm"
    assert PushSubscription.objects.get().last_sent_at is not None


def test_a_push_is_in_the_patients_language(alice: Patient, push_service: PushService) -> None:
    alice.language = "es"
    alice.save(update_fields=["language"])
    data, _browser = push_service.subscription()
    save_subscription(alice, data)

    send_reminder(alice)

    title = push_service.received[0].payload["title"]
    assert title != "Time to do your exercises"
    with translation.override("es"):
        assert title == str(push.REMINDER_TEXT)


def test_every_device_of_the_patient_gets_it_and_no_one_elses(
    alice: Patient, dave: Patient, push_service: PushService
) -> None:
    for name in ("phone", "tablet"):
        save_subscription(alice, push_service.subscription(name)[0])
    dave_data, _browser = push_service.subscription("dave")
    save_subscription(dave, dave_data)

    assert send_reminder(alice) == 2

    paths = sorted(received.path for received in push_service.received)
    assert len(paths) == 2
    assert all("dave" not in path for path in paths)


def test_a_patient_with_no_device_is_sent_nothing(alice: Patient) -> None:
    assert push_to_patient(alice, title="t", body="b", url="/today/", tag="x") == 0
    assert not VapidKey.objects.exists()  # not even a key is made for nothing


# --- (b) What the push service's answer does -----------------------------------------------


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_no_longer_knows_is_deleted(
    alice: Patient, push_service: PushService, status: int
) -> None:
    data, _browser = push_service.subscription()
    post_json(client_for(alice), "/reminders/push/subscribe", data)
    push_service.status = status

    assert send_reminder(alice) == 0

    assert not PushSubscription.objects.exists()
    assert ReminderPlan.objects.get(patient=alice).by_push is False  # no phone gets them


def test_only_the_gone_device_is_deleted(alice: Patient, push_service: PushService) -> None:
    client = client_for(alice)
    gone, _browser = push_service.subscription("gone")
    kept, _browser = push_service.subscription("kept")
    post_json(client, "/reminders/push/subscribe", gone)
    post_json(client, "/reminders/push/subscribe", kept)
    push_service.status_of[gone["endpoint"].removeprefix(push_service.origin)] = 410

    assert send_reminder(alice) == 1

    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [kept["endpoint"]]
    assert ReminderPlan.objects.get(patient=alice).by_push is True


def test_a_push_service_error_keeps_the_device_and_logs_no_secret(
    alice: Patient, push_service: PushService, caplog: pytest.LogCaptureFixture
) -> None:
    data, _browser = push_service.subscription()
    save_subscription(alice, data)
    push_service.status = 500

    with caplog.at_level(logging.INFO, logger="stenosis_coach.reminders.push"):
        assert send_reminder(alice) == 0

    subscription = PushSubscription.objects.get()
    assert subscription.last_sent_at is None
    assert "127.0.0.1" in caplog.text
    assert "500" in caplog.text
    secret_path = data["endpoint"].split("/push/")[1]
    assert secret_path not in caplog.text
    assert data["keys"]["auth"] not in caplog.text
    assert "Time to do your exercises" not in caplog.text


def test_a_push_service_that_does_not_answer_keeps_the_device(
    alice: Patient, push_service: PushService
) -> None:
    data, _browser = push_service.subscription()
    save_subscription(alice, data)
    push_service.close()  # nothing listens there now: the connection is refused

    assert send_reminder(alice) == 0
    assert PushSubscription.objects.count() == 1


# --- (c) The VAPID key pair ----------------------------------------------------------------


def test_the_key_pair_is_made_once_and_kept(db: None) -> None:
    first = vapid_keys()
    second = vapid_keys()
    assert first == second
    assert VapidKey.objects.count() == 1
    assert len(b64url_decode(first.public_key)) == 65
    assert push.public_key_of(push.vapid_from(first.private_key)) == first.public_key


def test_two_processes_making_the_key_at_once_end_with_one(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other process inserted its key between our look and our insert: we use its key."""
    theirs = push.stored_vapid_key()
    real_first = models.QuerySet.first
    looks = []

    def first_misses_once(queryset: models.QuerySet) -> Any:
        if queryset.model is VapidKey and not looks:
            looks.append(1)
            return None
        return real_first(queryset)

    monkeypatch.setattr(models.QuerySet, "first", first_misses_once)
    ours = push.stored_vapid_key()

    assert looks == [1]
    assert ours.pk == theirs.pk
    assert ours.public_key == theirs.public_key
    assert VapidKey.objects.count() == 1


def test_keys_in_the_settings_win_over_the_database(db: None, settings: Any) -> None:
    push.stored_vapid_key()
    given = Vapid02()
    given.generate_keys()
    settings.VAPID_PRIVATE_KEY = given.private_pem().decode("ascii").replace("\n", "\\n")
    settings.VAPID_PUBLIC_KEY = push.public_key_of(given)

    keys = vapid_keys()

    assert keys.public_key == push.public_key_of(given)
    assert keys.public_key != VapidKey.objects.get().public_key


def test_a_raw_private_key_is_read_and_its_public_key_worked_out(db: None, settings: Any) -> None:
    given = Vapid02()
    given.generate_keys()
    raw = given.private_key.private_numbers().private_value.to_bytes(32, "big")
    settings.VAPID_PRIVATE_KEY = b64url(raw)
    assert vapid_keys().public_key == push.public_key_of(given)
    assert not VapidKey.objects.exists()


@pytest.mark.parametrize(
    ("private", "public"),
    [("not a key", ""), ("", "BPublicWithoutPrivate"), ("own", "BSomeoneElsesPublicKey")],
)
def test_wrong_keys_in_the_settings_stop_with_a_clear_message(
    db: None, settings: Any, private: str, public: str
) -> None:
    if private == "own":
        own = Vapid02()
        own.generate_keys()
        private = own.private_pem().decode("ascii")
    settings.VAPID_PRIVATE_KEY = private
    settings.VAPID_PUBLIC_KEY = public
    with pytest.raises(ImproperlyConfigured, match="VAPID"):
        vapid_keys()


def test_the_subject_is_the_senders_address_or_the_site(settings: Any) -> None:
    settings.DEFAULT_FROM_EMAIL = "Stenosis Coach <coach@clinic.example>"
    assert push.vapid_subject() == "mailto:coach@clinic.example"
    settings.DEFAULT_FROM_EMAIL = "Stenosis Coach <coach@localhost>"
    settings.SITE_URL = "https://coach.clinic.example"
    assert push.vapid_subject() == "https://coach.clinic.example"
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert push.vapid_subject() == "mailto:coach@localhost"


# --- Saving subscriptions ------------------------------------------------------------------


def test_an_endpoint_saved_for_another_patient_moves_to_this_one(
    alice: Patient, dave: Patient
) -> None:
    data = https_subscription()
    save_subscription(dave, data, "Chrome, Android")
    save_subscription(alice, data, "Chrome, Android")
    assert list(PushSubscription.objects.values_list("patient", flat=True)) == [alice.pk]


@pytest.mark.parametrize(
    "change",
    [
        {"endpoint": "http://fcm.googleapis.com/fcm/send/x"},  # not https
        {"endpoint": "https://127.0.0.1/push"},  # our own machine
        {"endpoint": "https://10.0.0.5/push"},  # the local network
        {"endpoint": "https://localhost/push"},
        {"endpoint": "https://host:99999/push"},  # no such port
        {"endpoint": "https://example.org/" + "x" * 1000},
        {"endpoint": None},
        {"keys": {"auth": b64url(os.urandom(16))}},  # no p256dh
        {"keys": "not an object"},
    ],
)
def test_a_subscription_that_cannot_be_used_is_refused(alice: Patient, change: Any) -> None:
    data = {**https_subscription(), **change}
    with pytest.raises(BadSubscription):
        save_subscription(alice, data)
    assert not PushSubscription.objects.exists()


def test_plain_http_to_this_machine_needs_debug(alice: Patient, settings: Any) -> None:
    data = {**https_subscription(), "endpoint": "http://127.0.0.1:9/push/x"}
    settings.DEBUG = False
    with pytest.raises(BadSubscription):
        save_subscription(alice, data)
    settings.DEBUG = True
    save_subscription(alice, data)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("p256dh", b64url(os.urandom(64))),  # one byte short
        ("p256dh", b64url(b"\x02" + os.urandom(64))),  # 65 bytes, but not a point
        ("auth", b64url(os.urandom(15))),
        ("auth", b64url(os.urandom(17))),
        ("auth", "not*base64"),
        ("auth", 16),
    ],
)
def test_keys_of_the_wrong_length_or_form_are_refused(alice: Patient, key: str, value: Any) -> None:
    data = https_subscription()
    data["keys"][key] = value
    with pytest.raises(BadSubscription):
        save_subscription(alice, data)


# --- (d) The endpoints ---------------------------------------------------------------------


def client_for(patient_or_user: Patient | User, **options: Any) -> Client:
    client = Client(**options)
    user = patient_or_user.user if isinstance(patient_or_user, Patient) else patient_or_user
    client.force_login(user)
    return client


def post_json(client: Client, url: str, data: Any, **headers: Any) -> Any:
    return client.post(url, data, content_type="application/json", **headers)


ENDPOINTS = [
    ("get", "/reminders/push/key"),
    ("post", "/reminders/push/subscribe"),
    ("post", "/reminders/push/unsubscribe"),
    ("post", "/reminders/push/test"),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_the_endpoints_are_for_patients_only(
    bob: User, charlie: User, method: str, url: str
) -> None:
    anonymous = getattr(Client(), method)(url, content_type="application/json")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]
    for staff in (bob, charlie):
        answer = getattr(client_for(staff), method)(url, content_type="application/json")
        assert answer.status_code == 404
    assert not PushSubscription.objects.exists()


def test_the_key_endpoint_gives_the_public_key(alice: Patient) -> None:
    answer = client_for(alice).get("/reminders/push/key")
    assert answer.status_code == 200
    assert answer.json() == {"public_key": vapid_keys().public_key}
    assert "BEGIN" not in answer.content.decode()


def test_subscribing_saves_the_device_once_and_turns_push_on(alice: Patient) -> None:
    client = client_for(alice)
    data = https_subscription()
    android = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"

    first = post_json(client, "/reminders/push/subscribe", data, HTTP_USER_AGENT=android)
    again = post_json(client, "/reminders/push/subscribe", data, HTTP_USER_AGENT=android)

    assert (first.status_code, again.status_code) == (201, 200)
    subscription = PushSubscription.objects.get()
    assert subscription.patient == alice
    assert subscription.device == "Chrome, Android"
    assert ReminderPlan.objects.get(patient=alice).by_push is True


def test_unsubscribing_the_last_device_turns_push_off(alice: Patient) -> None:
    client = client_for(alice)
    phone, tablet = https_subscription("phone"), https_subscription("tablet")
    post_json(client, "/reminders/push/subscribe", phone)
    post_json(client, "/reminders/push/subscribe", tablet)

    answer = post_json(client, "/reminders/push/unsubscribe", {"endpoint": phone["endpoint"]})
    assert answer.status_code == 200
    assert answer.json() == {"push_on": True}
    assert ReminderPlan.objects.get(patient=alice).by_push is True

    answer = post_json(client, "/reminders/push/unsubscribe", {"endpoint": tablet["endpoint"]})
    assert answer.json() == {"push_on": False}
    assert ReminderPlan.objects.get(patient=alice).by_push is False
    assert not PushSubscription.objects.exists()


def test_a_patient_cannot_unsubscribe_another_patients_device(
    alice: Patient, dave: Patient
) -> None:
    data = https_subscription()
    post_json(client_for(dave), "/reminders/push/subscribe", data)
    post_json(client_for(alice), "/reminders/push/unsubscribe", {"endpoint": data["endpoint"]})
    assert PushSubscription.objects.get().patient == dave
    assert ReminderPlan.objects.get(patient=dave).by_push is True


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"\xff\xfe", b"[" * 50 + b"]" * 50, b"", b"null", b"[]", b'"text"'],
)
@pytest.mark.parametrize("url", ["/reminders/push/subscribe", "/reminders/push/unsubscribe"])
def test_what_cannot_be_read_gets_400_and_a_sentence(alice: Patient, body: bytes, url: str) -> None:
    answer = client_for(alice).post(url, body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["error"].endswith(".")
    assert not ReminderPlan.objects.filter(by_push=True).exists()


@pytest.mark.parametrize(
    "change",
    [
        {"endpoint": []},
        {"endpoint": {"a": 1}},
        {"endpoint": 5},
        {"endpoint": "x" * 2000},
        {"endpoint": "https://[::1/"},
        {"keys": []},
        {"keys": {"p256dh": None, "auth": {}}},
    ],
)
@pytest.mark.parametrize("url", ["/reminders/push/subscribe", "/reminders/push/unsubscribe"])
def test_odd_fields_get_400_never_500(alice: Patient, change: Any, url: str) -> None:
    answer = post_json(client_for(alice), url, {**https_subscription(), **change})
    endpoint = change.get("endpoint", "a string")
    if url.endswith("unsubscribe") and isinstance(endpoint, str) and len(endpoint) <= 1000:
        assert answer.status_code == 200  # unsubscribing needs the endpoint only, as text
    else:
        assert answer.status_code == 400


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
            "Safari, iPhone",
        ),
        (
            "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0",
            "Firefox, Android",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0 Safari/537.36 Edg/124.0",
            "Edge, Windows",
        ),
        ("", ""),
    ],
)
def test_devices_get_a_short_name(user_agent: str, name: str) -> None:
    assert device_name(user_agent) == name


def test_a_key_of_the_wrong_length_gets_400_and_saves_nothing(alice: Patient) -> None:
    data = https_subscription()
    data["keys"]["p256dh"] = b64url(os.urandom(33))
    answer = post_json(client_for(alice), "/reminders/push/subscribe", data)
    assert answer.status_code == 400
    assert answer.json() == {"error": "This phone did not send what we need for reminders."}
    assert not PushSubscription.objects.exists()
    assert not ReminderPlan.objects.filter(by_push=True).exists()


def test_a_body_too_big_gets_413(alice: Patient) -> None:
    data = {**https_subscription(), "padding": "x" * 5000}
    answer = post_json(client_for(alice), "/reminders/push/subscribe", data)
    assert answer.status_code == 413


def test_posting_needs_the_csrf_token_in_the_header(alice: Patient, settings: Any) -> None:
    client = client_for(alice, enforce_csrf_checks=True)
    data = https_subscription()
    assert post_json(client, "/reminders/push/subscribe", data).status_code == 403

    token = "a" * 32  # the secret in the cookie; the page's token says the same
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    answer = post_json(client, "/reminders/push/subscribe", data, HTTP_X_CSRFTOKEN=token)
    assert answer.status_code == 201


def test_get_is_not_allowed_where_a_post_is_needed(alice: Patient) -> None:
    assert client_for(alice).get("/reminders/push/subscribe").status_code == 405


# --- (e) The test push ---------------------------------------------------------------------


def test_a_test_push_reaches_the_phone_then_waits_30_seconds(
    alice: Patient, push_service: PushService
) -> None:
    client = client_for(alice)
    post_json(client, "/reminders/push/subscribe", push_service.subscription()[0])

    sent = client.post("/reminders/push/test")
    assert sent.status_code == 200
    assert sent.json() == {"sent": 1}
    test_message = push_service.received[0].payload
    assert test_message["title"] == "Time to do your exercises"
    assert test_message["body"] == "This is how your reminders will look."

    too_soon = client.post("/reminders/push/test")
    assert too_soon.status_code == 429
    assert 1 <= int(too_soon["Retry-After"]) <= 30
    assert too_soon.json()["error"]
    assert len(push_service.received) == 1

    # Another patient is not held back by Alice's test.
    assert client_for(alice).post("/reminders/push/test").status_code == 429


def test_a_test_push_with_no_device_says_so(alice: Patient) -> None:
    answer = client_for(alice).post("/reminders/push/test")
    assert answer.status_code == 409
    assert answer.json()["error"] == "No phone is set up for reminders yet."


def test_a_test_push_no_push_service_took_says_so(
    alice: Patient, push_service: PushService
) -> None:
    client = client_for(alice)
    post_json(client, "/reminders/push/subscribe", push_service.subscription()[0])
    push_service.status = 500
    answer = client.post("/reminders/push/test")
    assert answer.status_code == 502
    assert answer.json()["error"].endswith(".")
    assert PushSubscription.objects.count() == 1


# --- The section on the settings page ------------------------------------------------------


def test_the_section_has_what_push_js_needs_and_no_inline_script(alice: Patient) -> None:
    save_subscription(alice, https_subscription(), "Chrome, Android")
    devices = list(PushSubscription.objects.filter(patient=alice))
    html = render_to_string(
        "reminders/push_section.html", {"push_devices": devices, "push_on": True}
    )
    for attribute in (
        "data-push ",
        "data-push-on-server",
        'data-key-url="/reminders/push/key"',
        'data-subscribe-url="/reminders/push/subscribe"',
        'data-unsubscribe-url="/reminders/push/unsubscribe"',
        'data-test-url="/reminders/push/test"',
        "data-push-unsupported",
        "data-push-on>",
        "data-push-off",
        "data-push-test",
        'aria-live="polite"',
    ):
        assert attribute in html
    for name in ("asking", "on", "off", "sent", "not-allowed", "denied", "no-worker", "failed"):
        assert f'data-{name}-text="' in html
    assert "Chrome, Android" in html
    assert f'<script type="module" src="{static("web/push.js")}"></script>' in html
    assert html.count("<script") == 1


def test_the_section_is_in_spanish_for_a_spanish_reader(db: None) -> None:
    with translation.override("es"):
        html = render_to_string(
            "reminders/push_section.html", {"push_devices": [], "push_on": False}
        )
    assert "Turn on reminders" not in html
    assert "Time to do your exercises" not in html
