"""What the player needs to keep a patient safe on the floor (issue 9): the plan's waiting
steps and screens, the usual pain that follows the patient, pain answers kept with no
session, the rest-day threshold, and new leg symptoms after a session."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.patients.actions import record_screening
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription
from stenosis_coach.practice.api import OWNER_HEADER, REST_DAY_LEG_PAIN, outbox_owner
from stenosis_coach.practice.queries import usual_leg_pain
from stenosis_coach.programme import red_flag_questions
from tests.test_player_api import get_ready


@pytest.fixture
def ready(alice: Patient) -> Patient:
    return get_ready(alice)


@pytest.fixture
def alice_client(ready: Patient) -> Client:
    client = Client()
    client.force_login(ready.user)
    return client


def pain_answers(**fields: Any) -> dict[str, Any]:
    answers = {
        "uuid": str(uuid.uuid4()),
        "taken_at": dt.datetime.now(dt.UTC).isoformat(),
        "leg": 9,
        "back": 4,
    }
    answers.update(fields)
    return answers


def post(client: Client, url: str, data: Any, **headers: str) -> Any:
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(url, body, content_type="application/json", headers=headers)


def plan_of(client: Client) -> dict[str, Any]:
    response = client.get("/api/plan/")
    assert response.status_code == 200
    return response.json()


# --- The plan -------------------------------------------------------------------------------


def test_the_first_session_has_a_briefing_and_later_ones_do_not(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    data = plan_of(alice_client)
    assert data["first_session"] is True
    normal = data["plans"]["normal"]
    assert [screen["id"] for screen in normal["intro"]] == ["briefing", "get-down"]
    assert [screen["id"] for screen in normal["outro"]] == ["get-up"]
    assert normal["steps"][0]["waits"] is True
    assert post(alice_client, "/api/sessions/", payload_for(ready)).status_code == 201
    later = plan_of(alice_client)
    assert later["first_session"] is False
    assert [screen["id"] for screen in later["plans"]["normal"]["intro"]] == ["get-down"]


def test_the_plan_says_where_to_send_pain_answers_and_what_number_to_call(
    alice_client: Client, settings: Any
) -> None:
    settings.EMERGENCY_PHONE = "112"
    data = plan_of(alice_client)
    assert data["rest_from"] == REST_DAY_LEG_PAIN == 8
    assert data["rest_advice"]
    assert data["pain_url"] == "/api/pain/"
    assert data["emergency_phone"] == "112"
    assert data["beeps_on"] is True
    assert data["voice_on"] is True


def test_the_plan_lists_the_how_to_pictures(alice_client: Client) -> None:
    pictures = plan_of(alice_client)["illustrations"]
    for picture_id in ("get-down", "get-up", "rest-lying", "rest-sitting"):
        assert picture_id in pictures
        assert alice_client.get(pictures[picture_id]).status_code == 200


# --- The usual leg pain follows the patient -------------------------------------------------


def test_the_usual_leg_pain_is_the_onboarding_answer_until_sessions_come(ready: Patient) -> None:
    assert usual_leg_pain(ready) == 3


def test_the_usual_leg_pain_follows_the_last_seven_session_starts(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    # Someone whose pain has been 8 for a week: 8 is their usual, not the 3 they first said.
    for days_ago in range(7, 0, -1):
        payload = payload_for(ready, days_ago=days_ago, leg_before=8, leg_after=8)
        assert post(alice_client, "/api/sessions/", payload).status_code == 201
    assert usual_leg_pain(ready) == 8
    assert plan_of(alice_client)["usual_leg_pain"] == 8


def test_only_the_last_seven_count_and_the_middle_value_wins(ready: Patient) -> None:
    now = dt.datetime.now(dt.UTC)
    for hours_ago, leg in enumerate([2, 2, 9, 2, 3, 2, 2, 10, 10, 10, 10]):
        PainCheckIn.objects.create(
            patient=ready,
            moment=PainCheckIn.Moment.BEFORE,
            recorded_at=now - dt.timedelta(hours=hours_ago),
            leg_pain=leg,
            back_pain=0,
        )
    # The newest seven: 2, 2, 9, 2, 3, 2, 2 -> 2; one bad day does not move it.
    assert usual_leg_pain(ready) == 2


def test_pain_after_a_session_does_not_count_toward_the_usual_level(ready: Patient) -> None:
    PainCheckIn.objects.create(
        patient=ready,
        moment=PainCheckIn.Moment.AFTER,
        recorded_at=dt.datetime.now(dt.UTC),
        leg_pain=10,
        back_pain=0,
    )
    assert usual_leg_pain(ready) == 3


# --- Pain answers with no session ------------------------------------------------------------


def test_pain_answers_with_no_session_are_kept_once(alice_client: Client, ready: Patient) -> None:
    answers = pain_answers(leg=9, back=5)
    first = post(alice_client, "/api/pain/", answers)
    assert first.status_code == 201
    assert first.json()["created"] is True
    again = post(alice_client, "/api/pain/", answers)
    assert again.status_code == 200
    assert again.json()["created"] is False
    (checkin,) = PainCheckIn.objects.filter(patient=ready)
    assert (checkin.leg_pain, checkin.back_pain, checkin.session) == (9, 5, None)
    assert checkin.moment == PainCheckIn.Moment.BEFORE
    # They count toward the usual level, as the therapist would expect.
    assert usual_leg_pain(ready) in (3, 9)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"leg": 11}, "leg"),
        ({"back": -1}, "back"),
        ({"leg": "9"}, "leg"),
        ({"uuid": "not-a-uuid"}, "uuid"),
        ({"taken_at": "2026-01-01T10:00:00"}, "taken_at"),  # no time zone
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_pain_answers_get_a_clear_400(
    alice_client: Client, ready: Patient, fields: dict[str, Any], field: str
) -> None:
    response = post(alice_client, "/api/pain/", pain_answers(**fields))
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not PainCheckIn.objects.filter(patient=ready).exists()


def test_pain_answers_that_are_not_json_get_a_400(alice_client: Client) -> None:
    assert post(alice_client, "/api/pain/", b"{nope").status_code == 400


@pytest.mark.parametrize("days", [1, -365 * 60])
def test_pain_answers_from_a_wrong_clock_are_kept_when_they_arrive(
    alice_client: Client, ready: Patient, days: int
) -> None:
    wrong = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)  # tomorrow, or 1966
    before = timezone.now()
    response = post(alice_client, "/api/pain/", pain_answers(taken_at=wrong.isoformat()))
    assert response.status_code == 201
    (checkin,) = PainCheckIn.objects.filter(patient=ready)
    assert before <= checkin.recorded_at <= timezone.now()


def test_another_patients_pain_answers_are_not_theirs(alice_client: Client, dave: Patient) -> None:
    answers = pain_answers()
    assert post(alice_client, "/api/pain/", answers).status_code == 201
    dave_client = Client()
    dave_client.force_login(get_ready(dave).user)
    assert post(dave_client, "/api/pain/", answers).status_code == 409
    assert not PainCheckIn.objects.filter(patient=dave).exists()


def test_pain_answers_queued_by_another_account_are_refused(
    alice_client: Client, ready: Patient, dave: Patient
) -> None:
    someone_else = outbox_owner(dave.user)
    response = post(alice_client, "/api/pain/", pain_answers(), **{OWNER_HEADER: someone_else})
    assert response.status_code == 403
    mine = outbox_owner(ready.user)
    assert (
        post(alice_client, "/api/pain/", pain_answers(), **{OWNER_HEADER: mine}).status_code == 201
    )


def test_pain_answers_need_a_login_and_a_post(client: Client, db: None) -> None:
    assert post(client, "/api/pain/", pain_answers()).status_code == 401
    assert client.get("/api/pain/").status_code == 405


# --- New leg symptoms after a session --------------------------------------------------------


def test_new_leg_symptoms_pause_the_programme_until_the_questions_are_answered(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    payload = payload_for(ready, new_leg_symptoms=True)
    assert post(alice_client, "/api/sessions/", payload).status_code == 201
    ready.refresh_from_db()
    assert ready.sessions.get().new_leg_symptoms is True
    assert ready.screening_requested_at is not None
    response = alice_client.get("/api/plan/")
    assert response.status_code == 403
    assert response.json()["redirect"] == "/check/"
    assert alice_client.get("/session/")["Location"] == "/check/"


def test_no_new_leg_symptoms_changes_nothing(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    payload = payload_for(ready, new_leg_symptoms=False)
    assert post(alice_client, "/api/sessions/", payload).status_code == 201
    ready.refresh_from_db()
    assert ready.sessions.get().new_leg_symptoms is False
    assert ready.screening_requested_at is None
    assert alice_client.get("/api/plan/").status_code == 200


def test_new_leg_symptoms_must_be_yes_or_no(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    response = post(alice_client, "/api/sessions/", payload_for(ready, new_leg_symptoms="yes"))
    assert response.status_code == 400
    assert "new_leg_symptoms" in response.json()["errors"]


def test_the_plan_links_the_urgent_advice(alice_client: Client) -> None:
    assert plan_of(alice_client)["urgent_url"] == "/urgent/"


# --- Issue 10: refused only for what the device cannot fix, in plain words ----------------------


def test_a_long_session_with_pauses_is_stored(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    finished = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    started = finished - dt.timedelta(hours=3, minutes=30)
    payload = payload_for(ready, paused_seconds=3 * 3600, started_at=started.isoformat())
    payload["finished_at"] = finished.isoformat()
    assert post(alice_client, "/api/sessions/", payload).status_code == 201
    assert ready.sessions.get().paused_seconds == 3 * 3600


def test_a_session_from_a_clock_ahead_is_stored(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    response = post(alice_client, "/api/sessions/", payload_for(ready, days_ago=-0.5))
    assert response.status_code == 201
    assert ready.sessions.get().clock_trusted is False


def test_a_session_too_long_says_so_plainly(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    finished = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    started = (finished - dt.timedelta(hours=4)).isoformat()
    response = post(alice_client, "/api/sessions/", payload_for(ready, started_at=started))
    assert response.status_code == 400
    assert response.json()["error"] == (
        "This session went on for more than 3 hours, not counting breaks. We cannot save it."
    )
    ready.language = "es"
    ready.save()
    spanish_client = Client()
    spanish_client.force_login(ready.user)  # the language is read at log-in
    spanish = post(spanish_client, "/api/sessions/", payload_for(ready, started_at=started))
    assert spanish.json()["error"].startswith("Esta sesión duró más de 3 horas")


def test_a_session_for_exercises_that_are_not_there_says_so_plainly(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    response = post(alice_client, "/api/sessions/", payload_for(ready, prescription_version=7))
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "This session does not match your exercises now."
    assert "prescription_version" in body["errors"]


def test_a_session_that_is_not_json_gets_a_415(alice_client: Client, payload_for: Any) -> None:
    response = alice_client.post("/api/sessions/", {"uuid": "x"})  # a form, multipart
    assert response.status_code == 415
    assert response.json()["error"] == "This session was sent in a way we cannot read."


def test_during_a_red_flag_hold_an_upload_is_stored_but_changes_no_dose(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    assert post(alice_client, "/api/sessions/", payload_for(ready, days_ago=2)).status_code == 201
    flagged = {question.id: False for question in red_flag_questions()}
    flagged[next(iter(flagged))] = True
    record_screening(ready, flagged)
    # Done offline before the red-flag answer, sent after it.
    response = post(alice_client, "/api/sessions/", payload_for(ready, days_ago=1))
    assert response.status_code == 201
    assert ready.sessions.count() == 2
    assert current_prescription(ready).number == 1  # two greens, and still no step-up
    assert all(row["action"] != "up" for row in response.json()["next"])
