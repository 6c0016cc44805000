"""Onboarding: safety questions, diagnosis, baseline pain and walking, activities, time."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from stenosis_coach.patients.actions import sign_up
from stenosis_coach.patients.models import Patient
from stenosis_coach.programme import red_flag_questions

ALL_NO = {question.id: "no" for question in red_flag_questions()}


@pytest.fixture
def newcomer(db: None) -> Patient:
    return sign_up("new@example.org", "unused-New-pw-1")


@pytest.fixture
def newcomer_client(newcomer: Patient) -> Client:
    client = Client()
    client.force_login(newcomer.user)
    return client


def walk_through(client: Client, *, safety: dict[str, str] = ALL_NO) -> None:
    """Answer every onboarding step with ordinary answers."""
    assert client.post("/onboarding/safety/", safety).status_code == 302
    assert client.post("/onboarding/diagnosis/", {"diagnosis": "yes"}).status_code == 302
    assert client.post("/onboarding/pain/", {"leg_pain": 5, "back_pain": 3}).status_code == 302
    assert client.post("/onboarding/walking/", {"minutes": 8}).status_code == 302
    activities = {"activity_1": "Walking to the shop", "score_1": 3}
    assert client.post("/onboarding/activities/", activities).status_code == 302
    assert client.post("/onboarding/time/", {"time": "09:00"}).status_code == 302


def test_onboarding_needs_a_login(client: Client, db: None) -> None:
    response = client.get("/onboarding/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_each_step_follows_the_last(newcomer_client: Client, newcomer: Patient) -> None:
    assert newcomer_client.get("/onboarding/")["Location"] == "/onboarding/safety/"
    newcomer_client.post("/onboarding/safety/", ALL_NO)
    assert newcomer_client.get("/onboarding/")["Location"] == "/onboarding/diagnosis/"


def test_the_whole_onboarding_leads_to_today(newcomer_client: Client, newcomer: Patient) -> None:
    walk_through(newcomer_client)
    newcomer.refresh_from_db()
    assert newcomer.onboarded_at is not None
    assert (newcomer.usual_leg_pain, newcomer.usual_back_pain) == (5, 3)
    assert newcomer.usual_walking_minutes == 8
    assert newcomer.preferred_session_time.hour == 9
    assert [a.name for a in newcomer.activities.all()] == ["Walking to the shop"]
    assert newcomer.function_checks.get().scores.get().score == 3
    response = newcomer_client.get("/today/")
    assert response.status_code == 200
    assert b"Knees to chest" in response.content


def test_today_waits_for_onboarding(newcomer_client: Client) -> None:
    assert newcomer_client.get("/today/")["Location"] == "/onboarding/"


def test_a_red_flag_stops_onboarding_with_urgent_advice(
    newcomer_client: Client, newcomer: Patient
) -> None:
    response = newcomer_client.post("/onboarding/safety/", {**ALL_NO, "bladder": "yes"})
    assert response["Location"] == "/check/result/"
    page = newcomer_client.get("/check/result/").content.decode()
    assert "Get help now" in page
    assert "emergency department" in page
    assert "trouble passing urine" in page
    # No programme: every other step sends the patient back to the advice.
    assert newcomer_client.get("/onboarding/diagnosis/")["Location"] == "/check/result/"
    assert newcomer_client.get("/today/")["Location"] == "/check/result/"


def test_a_same_day_flag_advises_a_doctor_today(newcomer_client: Client) -> None:
    newcomer_client.post("/onboarding/safety/", {**ALL_NO, "fever": "yes"})
    page = newcomer_client.get("/check/result/").content.decode()
    assert "See a doctor today" in page


def test_a_clear_check_after_a_flag_lets_onboarding_go_on(newcomer_client: Client) -> None:
    newcomer_client.post("/onboarding/safety/", {**ALL_NO, "fever": "yes"})
    response = newcomer_client.post("/check/", ALL_NO)
    assert response["Location"] == "/today/"
    assert newcomer_client.get("/today/")["Location"] == "/onboarding/"
    assert newcomer_client.get("/onboarding/")["Location"] == "/onboarding/diagnosis/"


def test_unanswered_safety_questions_are_named(newcomer_client: Client, newcomer: Patient) -> None:
    answers = dict(ALL_NO)
    del answers["bowel"]
    response = newcomer_client.post("/onboarding/safety/", answers)
    assert response.status_code == 400
    assert b"Please answer yes or no." in response.content
    assert not newcomer.screenings.exists()


@pytest.mark.parametrize("answer", ["no", "unsure"])
def test_no_diagnosis_advises_seeing_a_clinician_first(
    newcomer_client: Client, newcomer: Patient, answer: str
) -> None:
    newcomer_client.post("/onboarding/safety/", ALL_NO)
    response = newcomer_client.post("/onboarding/diagnosis/", {"diagnosis": answer})
    assert response.status_code == 200
    assert b"do not suit every kind of leg pain" in response.content
    newcomer.refresh_from_db()
    assert newcomer.diagnosis_confirmed is False
    assert newcomer_client.get("/onboarding/")["Location"] == "/onboarding/diagnosis/"


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("pain", {"leg_pain": 11, "back_pain": 2}, b"Please pick a number from 0 to 10."),
        ("pain", {"back_pain": 2}, b"Please pick a number from 0 to 10."),
        ("walking", {"minutes": 45}, b"Please put a number from 0 to 30."),
        ("walking", {"minutes": "ten"}, b"Please put a whole number of minutes"),
        ("activities", {"activity_1": "Cooking"}, b"Please pick a number from 0 to 10."),
        ("activities", {"score_2": 4}, b"Please write the thing you find hard."),
        ("time", {"time": "03:00"}, b"Please pick one of the times."),
    ],
)
def test_bad_answers_get_a_clear_message(
    newcomer_client: Client, step: str, data: dict[str, object], message: bytes
) -> None:
    newcomer_client.post("/onboarding/safety/", ALL_NO)
    newcomer_client.post("/onboarding/diagnosis/", {"diagnosis": "yes"})
    response = newcomer_client.post(f"/onboarding/{step}/", data)
    assert response.status_code == 400
    assert message in response.content


def test_an_unknown_step_is_404(newcomer_client: Client) -> None:
    assert newcomer_client.get("/onboarding/wat/").status_code == 404


def test_activities_may_be_left_blank(newcomer_client: Client, newcomer: Patient) -> None:
    newcomer_client.post("/onboarding/safety/", ALL_NO)
    newcomer_client.post("/onboarding/diagnosis/", {"diagnosis": "yes"})
    newcomer_client.post("/onboarding/pain/", {"leg_pain": 5, "back_pain": 3})
    newcomer_client.post("/onboarding/walking/", {"minutes": 8})
    assert newcomer_client.post("/onboarding/activities/", {}).status_code == 302
    assert not newcomer.activities.exists()
    assert newcomer_client.get("/onboarding/")["Location"] == "/onboarding/time/"


def test_a_non_patient_account_gets_404(client: Client, db: None) -> None:
    staff = User.objects.create_user("staff", password="unused-Staff-pw-1")
    client.force_login(staff)
    assert client.get("/onboarding/").status_code == 404
    assert client.get("/today/").status_code == 404
