"""Hostile uploads: whatever arrives, the answer is never a 5xx.

Hypothesis sends random and hostile bodies to both upload endpoints through a client that
checks CSRF as a browser's request is checked (the check reads form bodies, which once
made reading a form's body again fail): deep nesting, numbers of thousands of digits, odd
dates (year 1 with an offset, year 9999), wrong types, wrong content types, forms, and bytes
that are not UTF-8. FUZZ_EXAMPLES sets how many examples each property tries (default 300).

The failures found this way are kept below as plain tests too.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import uuid
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.models import SessionRecord
from tests.conftest import session_payload
from tests.test_player_api import get_ready

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
fuzz = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HOLE = "\x00hole\x00"  # where a raw JSON fragment goes in a payload


class Browser:
    """A signed-in client that passes the CSRF check the way the outbox does."""

    def __init__(self, patient: Patient) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.client.force_login(patient.user)
        self.token = secrets.token_hex(16)
        self.client.cookies[settings.CSRF_COOKIE_NAME] = self.token

    def post(self, url: str, body: Any, content_type: str = "application/json") -> Any:
        """POST `body` as it is (bytes, or text as UTF-8; anything else as JSON)."""
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        headers = {"X-CSRFToken": self.token}
        return self.client.generic("POST", url, data, content_type=content_type, headers=headers)

    def post_form(self, url: str, fields: dict[str, Any]) -> Any:
        return self.client.post(url, fields, headers={"X-CSRFToken": self.token})


@pytest.fixture(autouse=True)
def no_upload_limit(settings: Any) -> None:
    """Hundreds of examples share one patient and one test's database: the upload limit
    (tests/test_rate_limits.py) would answer 429 to most of them, testing nothing."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (10**6, 60)}


@pytest.fixture
def ready(alice: Patient) -> Patient:
    return get_ready(alice)


@pytest.fixture
def browser(ready: Patient) -> Browser:
    return Browser(ready)


# --- Strategies ------------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
odd_dates = st.one_of(
    st.datetimes(
        min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31), timezones=offsets
    ).map(dt.datetime.isoformat),
    st.datetimes().map(dt.datetime.isoformat),  # no time zone
    st.sampled_from(
        ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "2026-02-30T10:00Z", ""]
    ),
)
fragments = st.one_of(
    json_values.map(json.dumps),
    odd_dates.map(json.dumps),
    st.integers(min_value=19, max_value=6000).map(lambda n: "9" * n),  # a huge integer
    st.integers(min_value=19, max_value=6000).map(lambda n: "-" + "1" * n),
    st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n),  # deep nesting
    st.integers(min_value=1, max_value=2000).map(lambda n: '{"a":' * n + "1" + "}" * n),
    st.sampled_from(
        ["NaN", "Infinity", "-Infinity", "1e999", "-0", "1.0", "true", "null", '"\\u0000"']
    ),
)
SESSION_PATHS = [
    ("uuid",),
    ("prescription_version",),
    ("started_at",),
    ("finished_at",),
    ("paused_seconds",),
    ("locale",),
    ("gentle",),
    ("pain_before",),
    ("pain_before", "leg"),
    ("pain_after",),
    ("pain_after", "back"),
    ("results",),
    ("results", 0),
    ("results", 0, "exercise_id"),
    ("results", 0, "completed"),
    ("results", 0, "stop_reason"),
    ("results", 0, "sets_done"),
    ("results", 1, "dose"),
    ("results", 1, "dose", "reps"),
    ("results", 1, "dose", "sets"),
    ("results", 1, "kept_back_flat"),
    ("new_leg_symptoms",),
    ("surprise",),
]
PAIN_PATHS = [("uuid",), ("taken_at",), ("leg",), ("back",), ("surprise",)]
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "APPLICATION/JSON",
    "application/json; charset=latin-1",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "application/jsonx",
    "",
]


def with_holes(payload: dict[str, Any], paths: list[tuple[str | int, ...]]) -> dict[str, Any]:
    """A copy of `payload` with HOLE at each path (made if missing)."""
    copy = json.loads(json.dumps(payload))
    for path in paths:
        place: Any = copy
        for step in path[:-1]:
            if isinstance(place, dict):
                if not isinstance(place.get(step), dict | list):
                    place[step] = {"sets": 1, "reps": 8, "hold_seconds": 10}
                place = place[step]
            elif isinstance(place, list) and isinstance(step, int) and step < len(place):
                place = place[step]
            else:
                break
        else:
            last = path[-1]
            in_list = isinstance(place, list) and isinstance(last, int) and last < len(place)
            if isinstance(place, dict) or in_list:
                place[last] = HOLE
    return copy


def filled(payload: dict[str, Any], pieces: list[str]) -> bytes:
    """The JSON text of `payload` with each hole filled by the next raw fragment."""
    text = json.dumps(payload)
    for piece in pieces:
        text = text.replace(json.dumps(HOLE), piece, 1)
    return text.encode()


def pain_payload() -> dict[str, Any]:
    taken = dt.datetime.now(dt.UTC).isoformat()
    return {"uuid": str(uuid.uuid4()), "taken_at": taken, "leg": 9, "back": 2}


def assert_answered(response: Any) -> None:
    assert response.status_code < 500, response.content[:300]
    assert response["Content-Type"] == "application/json"
    if response.status_code >= 400:
        assert response.json()["error"]


# --- Properties ------------------------------------------------------------------------------


@fuzz
@given(
    changes=st.lists(st.tuples(st.sampled_from(SESSION_PATHS), fragments), min_size=1, max_size=3)
)
def test_a_session_with_hostile_parts_is_never_a_5xx(
    browser: Browser, ready: Patient, changes: list[tuple[tuple[str | int, ...], str]]
) -> None:
    payload = with_holes(session_payload(ready), [path for path, _ in changes])
    response = browser.post("/api/sessions/", filled(payload, [piece for _, piece in changes]))
    assert_answered(response)


@fuzz
@given(changes=st.lists(st.tuples(st.sampled_from(PAIN_PATHS), fragments), min_size=1, max_size=3))
def test_pain_answers_with_hostile_parts_are_never_a_5xx(
    browser: Browser, changes: list[tuple[tuple[str | int, ...], str]]
) -> None:
    payload = with_holes(pain_payload(), [path for path, _ in changes])
    response = browser.post("/api/pain/", filled(payload, [piece for _, piece in changes]))
    assert_answered(response)


@fuzz
@given(
    url=st.sampled_from(["/api/sessions/", "/api/pain/"]),
    body=st.one_of(st.binary(max_size=300), json_values.map(lambda v: json.dumps(v).encode())),
    content_type=st.sampled_from(CONTENT_TYPES),
)
def test_any_bytes_of_any_type_are_never_a_5xx(
    browser: Browser, url: str, body: bytes, content_type: str
) -> None:
    response = browser.post(url, body, content_type=content_type)
    assert response.status_code < 500


@fuzz
@given(
    url=st.sampled_from(["/api/sessions/", "/api/pain/"]),
    fields=st.dictionaries(st.text(min_size=1, max_size=10), st.text(max_size=20), max_size=4),
)
def test_a_form_is_refused_as_not_json(browser: Browser, url: str, fields: dict[str, str]) -> None:
    response = browser.post_form(url, fields)
    assert response.status_code == 415


# --- The failures found, kept as plain tests -------------------------------------------------


def test_json_nested_a_thousand_deep_is_a_400(browser: Browser) -> None:
    response = browser.post("/api/sessions/", "[" * 1500 + "]" * 1500)
    assert response.status_code == 400
    assert "nested more than 20 deep" in response.json()["errors"]["body"]


def test_a_number_of_thousands_of_digits_is_a_400(browser: Browser, ready: Patient) -> None:
    payload = with_holes(session_payload(ready), [("prescription_version",)])
    response = browser.post("/api/sessions/", filled(payload, ["1" * 4301]))
    assert response.status_code == 400
    assert "longer than 18 digits" in response.json()["errors"]["body"]


def test_a_version_number_too_big_for_the_database_is_a_400(
    browser: Browser, ready: Patient
) -> None:
    response = browser.post("/api/sessions/", session_payload(ready, prescription_version=2**31))
    assert response.status_code == 400
    assert "less than or equal" in response.json()["errors"]["prescription_version"]


@pytest.mark.parametrize("field", ["started_at", "finished_at"])
def test_a_session_in_year_one_is_stored_as_an_untrusted_clock(
    browser: Browser, ready: Patient, field: str
) -> None:
    payload = session_payload(ready, **{field: "0001-01-01T00:00:00+05:00"})
    response = browser.post("/api/sessions/", payload)
    assert response.status_code == 201
    record = SessionRecord.objects.get(uuid=payload["uuid"])
    assert not record.clock_trusted
    assert record.device_started_at is None or field == "finished_at"


def test_pain_answers_in_year_one_are_stored_when_received(browser: Browser) -> None:
    response = browser.post(
        "/api/pain/", {**pain_payload(), "taken_at": "0001-01-01T00:00:00+05:00"}
    )
    assert response.status_code == 201


def test_a_session_sent_as_a_form_is_a_415(browser: Browser, ready: Patient) -> None:
    # The CSRF check reads a form's body first; reading it again as JSON used to fail.
    response = browser.post_form("/api/sessions/", {"session": json.dumps(session_payload(ready))})
    assert response.status_code == 415
    assert response.json()["error"] == "This session was sent in a way we cannot read."


def test_bytes_that_are_not_utf8_are_a_400(browser: Browser) -> None:
    response = browser.post("/api/sessions/", b'{"uuid": "\xff\xfe"}')
    assert response.status_code == 400
    assert "not UTF-8" in response.json()["errors"]["body"]


def test_a_locale_with_a_nul_is_a_400(browser: Browser, ready: Patient) -> None:
    # PostgreSQL cannot store a NUL in text.
    response = browser.post("/api/sessions/", session_payload(ready, locale="en\x00"))
    assert response.status_code == 400
    assert "locale" in response.json()["errors"]


def test_a_declared_length_over_the_limit_is_a_413_before_reading(
    browser: Browser, ready: Patient
) -> None:
    body = json.dumps(session_payload(ready))
    response = browser.client.post(
        "/api/sessions/",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": browser.token},
        CONTENT_LENGTH=str(10**6),
    )
    assert response.status_code == 413
