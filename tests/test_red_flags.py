"""The red-flag safety loop, through the pages: a "yes" holds the exercises; answering "No"
again cannot lift the hold; only the patient's word that a doctor has checked them does,
and then a new check must be clear. New leg symptoms after a session ask the questions
again. An all-"No" weekly check says thank you, once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from stenosis_coach.patients.actions import record_screening, request_screening, sign_up
from stenosis_coach.patients.models import Patient
from stenosis_coach.programme import red_flag_questions
from tests.patient_pages import logged_in, page, ready, staff_client

ALL_NO = {question.id: "no" for question in red_flag_questions()}
DOCTOR = {"doctor_checked": "on"}
THANKS = "Thank you. Your answers are saved. You can do your exercises."


@pytest.fixture
def patient(alice: Patient) -> Patient:
    return ready(alice)


@pytest.fixture
def client_for_patient(patient: Patient) -> Client:
    return logged_in(patient)


def flag(client: Client, question: str = "bladder") -> None:
    response = client.post("/check/", {**ALL_NO, question: "yes"})
    assert response.status_code == 302
    assert response["Location"] == "/check/result/"


def assert_on_hold(client: Client) -> None:
    """Every way to exercise leads back to the advice."""
    for path in ("/today/", "/session/", "/check/", "/onboarding/safety/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/check/result/", path
    plan = client.get("/api/plan/")
    assert plan.status_code == 403
    assert plan.json()["redirect"] == "/check/result/"


def messages_on(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- The hold ---------------------------------------------------------------------------------


def test_all_no_straight_after_a_yes_keeps_the_hold(
    client_for_patient: Client, patient: Patient
) -> None:
    flag(client_for_patient)
    stored = patient.screenings.count()
    response = client_for_patient.post("/check/", ALL_NO)
    assert response.status_code == 302
    assert response["Location"] == "/check/result/"
    assert patient.screenings.count() == stored  # nothing stored: the form is not offered
    assert_on_hold(client_for_patient)


def test_the_advice_says_the_exercises_wait_for_a_doctor(client_for_patient: Client) -> None:
    flag(client_for_patient, "fever")
    response = client_for_patient.get("/check/result/")
    assert response.status_code == 200
    html = page(response)
    assert "See a doctor today" in html
    assert "Your exercises are on hold" in html
    assert "They stay on hold until a doctor has checked you." in html
    assert '<form method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'type="checkbox" name="doctor_checked"' in html
    assert "A doctor has checked me and said I can go on." in html
    assert "have a fever or chills" in html  # what they said yes to
    assert "tel:" not in html  # a doctor today: no emergency call


def test_an_emergency_has_a_tap_to_call_button(client_for_patient: Client) -> None:
    flag(client_for_patient, "saddle-numbness")
    html = page(client_for_patient.get("/check/result/"))
    assert "Get help now" in html
    assert "emergency department" in html
    assert '<a class="button call" href="tel:911">Call 911</a>' in html


def test_the_call_button_dials_the_deployments_number(
    client_for_patient: Client, settings: Any
) -> None:
    settings.EMERGENCY_PHONE = "+34 112"
    flag(client_for_patient, "leg-weakness")
    html = page(client_for_patient.get("/check/result/"))
    assert '<a class="button call" href="tel:+34112">Call +34 112</a>' in html


def test_the_box_must_be_ticked(client_for_patient: Client, patient: Patient) -> None:
    flag(client_for_patient)
    for data in ({}, {"doctor_checked": ""}):
        response = client_for_patient.post("/check/result/", data)
        assert response.status_code == 400
        html = page(response)
        assert "Please tick the box once a doctor has checked you." in html
        assert 'aria-invalid="true"' in html
    assert patient.red_flag_hold() is not None
    assert_on_hold(client_for_patient)


def test_the_doctor_confirmation_asks_the_questions_again(
    client_for_patient: Client, patient: Patient
) -> None:
    flag(client_for_patient)
    response = client_for_patient.post("/check/result/", DOCTOR)
    assert response.status_code == 302
    assert response["Location"] == "/check/"
    screening = patient.screenings.get(outcome="emergency")
    assert screening.cleared_by == "patient"
    assert screening.cleared_at is not None
    # Still no exercise: the questions first, from every page.
    for path in ("/check/result/", "/today/", "/session/"):
        assert client_for_patient.get(path, follow=True).redirect_chain[-1][0] == "/check/"
    assert client_for_patient.get("/api/plan/").status_code == 403
    html = page(client_for_patient.get("/check/"))
    assert "A doctor has said you can go on." in html


def test_doctor_then_all_no_opens_the_exercises(
    client_for_patient: Client, patient: Patient
) -> None:
    flag(client_for_patient)
    client_for_patient.post("/check/result/", DOCTOR)
    response = client_for_patient.post("/check/", ALL_NO)
    assert response["Location"] == "/today/"
    assert not patient.programme_paused
    today = client_for_patient.get("/today/")
    assert today.status_code == 200
    assert client_for_patient.get("/session/").status_code == 200
    assert client_for_patient.get("/api/plan/").status_code == 200


def test_doctor_then_a_new_yes_is_a_new_hold(client_for_patient: Client, patient: Patient) -> None:
    flag(client_for_patient, "bladder")
    client_for_patient.post("/check/result/", DOCTOR)
    flag(client_for_patient, "fever")
    hold = patient.red_flag_hold()
    assert hold is not None
    assert hold.flagged == ["fever"]
    assert_on_hold(client_for_patient)
    assert "See a doctor today" in page(client_for_patient.get("/check/result/"))


def test_confirming_twice_changes_nothing(client_for_patient: Client, patient: Patient) -> None:
    flag(client_for_patient)
    client_for_patient.post("/check/result/", DOCTOR)
    cleared_at = patient.screenings.get(outcome="emergency").cleared_at
    again = client_for_patient.post("/check/result/", DOCTOR)
    assert again.status_code == 302
    assert again["Location"] == "/check/"
    assert patient.screenings.get(outcome="emergency").cleared_at == cleared_at


def test_with_nothing_on_hold_the_advice_page_goes_to_today(client_for_patient: Client) -> None:
    for response in (
        client_for_patient.get("/check/result/"),
        client_for_patient.post("/check/result/", DOCTOR),
    ):
        assert response.status_code == 302
        assert response["Location"] == "/today/"


def test_the_confirmation_needs_its_csrf_token(patient: Patient) -> None:
    record_screening(patient, {q.id: q.id == "bowel" for q in red_flag_questions()})
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient.user)
    assert client.post("/check/result/", DOCTOR).status_code == 403
    assert patient.red_flag_hold() is not None


def test_the_advice_page_takes_only_get_and_post(client_for_patient: Client) -> None:
    flag(client_for_patient)
    assert client_for_patient.put("/check/result/").status_code == 405
    assert client_for_patient.delete("/check/result/").status_code == 405


def test_the_advice_page_needs_a_patient(client: Client, db: None) -> None:
    response = client.post("/check/result/", DOCTOR)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert staff_client().post("/check/result/", DOCTOR).status_code == 404


def test_one_patient_cannot_clear_anothers_hold(
    client_for_patient: Client, patient: Patient, dave: Patient
) -> None:
    flag(client_for_patient)
    ready(dave)
    response = logged_in(dave).post("/check/result/", DOCTOR)
    assert response["Location"] == "/today/"  # dave has nothing on hold
    assert patient.red_flag_hold() is not None
    assert_on_hold(client_for_patient)


def test_a_hold_in_getting_started(db: None) -> None:
    newcomer = sign_up("new@example.org", "unused-New-pw-1")
    client = logged_in(newcomer)
    response = client.post("/onboarding/safety/", {**ALL_NO, "walking": "yes"})
    assert response["Location"] == "/check/result/"
    assert client.post("/onboarding/safety/", ALL_NO)["Location"] == "/check/result/"
    assert client.post("/check/", ALL_NO)["Location"] == "/check/result/"
    assert client.post("/check/result/", DOCTOR)["Location"] == "/check/"
    response = client.post("/check/", ALL_NO)
    assert response["Location"] == "/onboarding/"
    assert client.get("/onboarding/")["Location"] == "/onboarding/diagnosis/"


# --- New leg symptoms ---------------------------------------------------------------------------


def test_new_leg_symptoms_ask_the_questions_before_any_exercise(
    client_for_patient: Client, patient: Patient
) -> None:
    request_screening(patient)
    assert client_for_patient.get("/session/")["Location"] == "/check/"
    today = page(client_for_patient.get("/today/"))
    assert "Your weekly safety check" in today  # the card that asks for the check
    html = page(client_for_patient.get("/check/"))
    assert (
        "You told us about new numbness, tingling or weakness in your legs. "
        "So we ask these questions again now."
    ) in html
    response = client_for_patient.post("/check/", ALL_NO)
    assert response["Location"] == "/today/"
    assert client_for_patient.get("/session/").status_code == 200
    # Asked and answered: the line is gone.
    assert "You told us about new numbness" not in page(client_for_patient.get("/check/"))


def test_new_leg_symptoms_then_a_yes_is_a_hold(
    client_for_patient: Client, patient: Patient
) -> None:
    request_screening(patient)
    flag(client_for_patient, "leg-weakness")
    assert_on_hold(client_for_patient)


def test_the_weekly_check_says_no_reason_when_it_is_just_the_week(
    client_for_patient: Client, patient: Patient
) -> None:
    patient.screenings.update(taken_at=timezone.now() - timezone.timedelta(days=8))
    html = page(client_for_patient.get("/check/"))
    assert "Your weekly safety check" in html
    assert 'class="notice reason"' not in html


def test_the_walking_question_is_not_about_the_usual_leg_pain(
    client_for_patient: Client,
) -> None:
    html = page(client_for_patient.get("/check/"))
    assert "has your walking suddenly got much worse" in html
    assert "This is not about your usual leg pain when you walk." in html
    assert 'aria-describedby="id_walking_help' in html


def test_bad_answers_store_nothing(client_for_patient: Client, patient: Patient) -> None:
    stored = patient.screenings.count()
    for data in ({}, {**ALL_NO, "bladder": "maybe"}):
        response = client_for_patient.post("/check/", data)
        assert response.status_code == 400
        assert "Please answer yes or no." in page(response)
    assert patient.screenings.count() == stored


# --- Thank you --------------------------------------------------------------------------------


def test_an_all_no_weekly_check_says_thank_you_once(
    client_for_patient: Client, patient: Patient
) -> None:
    patient.screenings.update(taken_at=timezone.now() - timezone.timedelta(days=8))
    assert "Your weekly safety check" in page(client_for_patient.get("/today/"))
    response = client_for_patient.post("/check/", ALL_NO, follow=True)
    assert response.redirect_chain == [("/today/", 302)]
    assert messages_on(response) == [THANKS]
    html = page(response)
    assert THANKS in html
    assert "Your weekly safety check" not in html  # done: not asked again
    again = client_for_patient.get("/today/")
    assert messages_on(again) == []
    assert "Your weekly safety check" not in page(again)


def test_the_thank_you_is_in_the_patients_language(
    client_for_patient: Client, patient: Patient
) -> None:
    patient.language = "es"
    patient.save(update_fields=["language"])
    response = client_for_patient.post("/check/", ALL_NO, follow=True)
    assert messages_on(response) == [
        "Gracias. Sus respuestas están guardadas. Ya puede hacer sus ejercicios."
    ]


def test_the_first_check_in_getting_started_says_no_thank_you(db: None) -> None:
    newcomer = sign_up("new@example.org", "unused-New-pw-1")
    response = logged_in(newcomer).post("/onboarding/safety/", ALL_NO, follow=True)
    assert messages_on(response) == []


THERAPIST_TOLD = "We have told your therapist too."


def test_a_patient_at_a_clinic_reads_that_their_therapist_is_told(
    client_for_patient: Client,
) -> None:
    flag(client_for_patient)
    assert THERAPIST_TOLD in page(client_for_patient.get("/check/result/"))


def test_a_patient_with_no_clinic_is_not_told_that_anyone_knows(dave: Patient) -> None:
    client = logged_in(ready(dave))
    flag(client)
    result = page(client.get("/check/result/"))
    assert "Get help now" in result or "See a doctor today" in result
    assert THERAPIST_TOLD not in result
