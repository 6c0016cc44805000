"""Onboarding: safety questions, diagnosis, baseline pain and walking, activities, time."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from stenosis_coach.outcomes.actions import record_function_check
from stenosis_coach.outcomes.models import ActivityScore
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
    # "No" to all cannot lift the hold: first, a doctor's check (tests/test_red_flags.py).
    assert newcomer_client.post("/check/", ALL_NO)["Location"] == "/check/result/"
    newcomer_client.post("/check/result/", {"doctor_checked": "on"})
    response = newcomer_client.post("/check/", ALL_NO)
    assert response["Location"] == "/onboarding/"
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
        ("time", {"time": "03:00"}, b"Please pick a time. If you do not want one"),
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


def through(client: Client, step: str) -> None:
    """Answer every step before `step`."""
    steps = {
        "diagnosis": ("/onboarding/safety/", ALL_NO),
        "pain": ("/onboarding/diagnosis/", {"diagnosis": "yes"}),
        "walking": ("/onboarding/pain/", {"leg_pain": 5, "back_pain": 3}),
        "activities": ("/onboarding/walking/", {"minutes": 8}),
        "time": ("/onboarding/activities/", {"activity_1": "Cooking", "score_1": 4}),
    }
    for name, (path, data) in steps.items():
        assert client.post(path, data).status_code == 302
        if name == step:
            return


def test_finishing_needs_a_time_to_be_picked(newcomer_client: Client, newcomer: Patient) -> None:
    through(newcomer_client, "time")
    response = newcomer_client.post("/onboarding/time/", {})
    assert response.status_code == 400
    assert "Please pick a time. If you do not want one, pick “No set time”." in page(response)
    newcomer.refresh_from_db()
    assert newcomer.onboarded_at is None  # no silent "no set time"


def test_no_set_time_is_an_answer_of_its_own(newcomer_client: Client, newcomer: Patient) -> None:
    through(newcomer_client, "time")
    html = page(newcomer_client.get("/onboarding/time/"))
    assert re.search(
        r'<input type="radio" name="time" value="none"[^>]*>\s*<span>No set time', html
    )
    assert "checked" not in html  # nothing is picked for the patient
    assert newcomer_client.post("/onboarding/time/", {"time": "none"}).status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.onboarded_at is not None
    assert newcomer.preferred_session_time is None


STEPS = ["safety", "diagnosis", "pain", "walking", "activities", "time"]


@pytest.mark.parametrize("step", STEPS[1:])
def test_each_step_after_the_first_links_back_to_the_one_before(
    newcomer_client: Client, step: str
) -> None:
    through(newcomer_client, step)
    html = page(newcomer_client.get(f"/onboarding/{step}/"))
    before = STEPS[STEPS.index(step) - 1]
    assert f'<p class="back"><a href="/onboarding/{before}/">Back</a></p>' in html


def test_the_first_step_has_no_back_link(newcomer_client: Client) -> None:
    assert 'class="back"' not in page(newcomer_client.get("/onboarding/safety/"))


def test_going_back_shows_the_answers_given(newcomer_client: Client, newcomer: Patient) -> None:
    through(newcomer_client, "time")
    pain = page(newcomer_client.get("/onboarding/pain/"))
    assert checked(pain, "leg_pain") == "5"
    assert checked(pain, "back_pain") == "3"
    walking = page(newcomer_client.get("/onboarding/walking/"))
    assert 'name="minutes" value="8"' in walking
    activities = page(newcomer_client.get("/onboarding/activities/"))
    assert 'name="activity_1" value="Cooking"' in activities
    assert checked(activities, "score_1") == "4"
    # Next again keeps them, and goes on to the first step not done.
    response = newcomer_client.post(
        "/onboarding/activities/", {"activity_1": "Cooking", "score_1": 4}
    )
    assert response["Location"] == "/onboarding/"
    assert newcomer_client.get("/onboarding/")["Location"] == "/onboarding/time/"
    assert [a.name for a in newcomer.activities.all()] == ["Cooking"]


def checked(html: str, name: str) -> str | None:
    match = re.search(rf'<input type="radio" name="{name}" value="(\d+)"[^>]*checked', html)
    return match[1] if match else None


def test_activity_scores_are_the_same_big_buttons_as_pain(newcomer_client: Client) -> None:
    through(newcomer_client, "activities")
    html = page(newcomer_client.get("/onboarding/activities/"))
    assert "<select" not in html
    for number in (1, 2, 3):
        for score in range(11):
            assert f'name="score_{number}" value="{score}"' in html
    assert html.count('class="choices scale"') == 3


def test_both_ends_of_every_scale_are_named(newcomer_client: Client) -> None:
    through(newcomer_client, "pain")
    pain = page(newcomer_client.get("/onboarding/pain/"))
    assert scale_ends(pain) == [("No pain", "Worst pain")] * 2
    newcomer_client.post("/onboarding/pain/", {"leg_pain": 5, "back_pain": 3})
    newcomer_client.post("/onboarding/walking/", {"minutes": 8})
    activities = page(newcomer_client.get("/onboarding/activities/"))
    assert scale_ends(activities) == [("I cannot do it", "I can do it as well as before")] * 3
    # Each group of numbers is described by its ends, for screen readers.
    assert 'aria-describedby="id_score_1_ends' in activities


def scale_ends(html: str) -> list[tuple[str, str]]:
    pattern = (
        r'<p class="scale-end"><span class="scale-number">0</span> ([^<]+)</p>\s*'
        r'<p class="scale-end high"><span class="scale-number">10</span> ([^<]+)</p>'
    )
    return [(low.strip(), high.strip()) for low, high in re.findall(pattern, html)]


def test_a_long_activity_gets_one_clear_message_and_is_kept_whole(
    newcomer_client: Client, newcomer: Patient
) -> None:
    through(newcomer_client, "activities")
    html = page(newcomer_client.get("/onboarding/activities/"))
    assert "maxlength" not in html  # a paste is never cut without a word
    long_name = "Walking to the shop and back with my bags, then up the stairs to my flat"
    long_name += " on the third floor"  # 91 letters
    response = newcomer_client.post(
        "/onboarding/activities/", {"activity_1": long_name, "score_1": 4}
    )
    assert response.status_code == 400
    html = page(response)
    errors = re.findall(r'<p class="error" id="id_activity_1_error">([^<]*)</p>', html)
    assert errors == [
        f"This has {len(long_name)} letters. Please make it shorter: 80 letters at most."
    ]
    assert "Please write the thing you find hard." not in html
    assert f'value="{long_name}"' in html  # all of it, to shorten
    assert not newcomer.activities.exists()


def test_an_out_of_range_score_is_told_once(newcomer_client: Client) -> None:
    through(newcomer_client, "activities")
    response = newcomer_client.post(
        "/onboarding/activities/", {"activity_1": "Cook", "score_1": 11}
    )
    assert response.status_code == 400
    assert page(response).count("Please pick a number from 0 to 10.") == 1


def test_a_missing_score_is_told_once(newcomer_client: Client) -> None:
    through(newcomer_client, "activities")
    response = newcomer_client.post("/onboarding/activities/", {"activity_1": "Cook"})
    assert response.status_code == 400
    assert page(response).count("Please pick a number from 0 to 10.") == 1


def page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------
# Closed once done: answering again changes nothing


ANSWERS_AGAIN = {
    "safety": {**ALL_NO, "bladder": "yes"},
    "diagnosis": {"diagnosis": "no"},
    "pain": {"leg_pain": 9, "back_pain": 9},
    "walking": {"minutes": 1},
    "activities": {"activity_1": "Something new", "score_1": 9},
    "time": {"time": "18:00"},
}


def what_onboarding_set(patient: Patient) -> dict[str, object]:
    patient.refresh_from_db()
    return {
        "onboarded_at": patient.onboarded_at,
        "answers": (
            patient.diagnosis_confirmed,
            patient.usual_leg_pain,
            patient.usual_back_pain,
            patient.usual_walking_minutes,
            patient.preferred_session_time,
        ),
        "screenings": patient.screenings.count(),
        "activities": list(patient.activities.values_list("pk", "name", "retired_at")),
        "checks": patient.function_checks.count(),
        "scores": sorted(
            ActivityScore.objects.filter(activity__patient=patient).values_list("pk", "score")
        ),
    }


@pytest.mark.parametrize("step", STEPS)
def test_after_onboarding_every_step_goes_to_today_and_changes_nothing(
    newcomer_client: Client, newcomer: Patient, step: str
) -> None:
    walk_through(newcomer_client)
    before = what_onboarding_set(newcomer)
    get = newcomer_client.get(f"/onboarding/{step}/")
    assert (get.status_code, get["Location"]) == (302, "/today/")
    response = newcomer_client.post(f"/onboarding/{step}/", ANSWERS_AGAIN[step])
    assert (response.status_code, response["Location"]) == (302, "/today/")
    assert what_onboarding_set(newcomer) == before
    assert newcomer_client.get("/onboarding/")["Location"] == "/today/"


def test_the_activities_step_again_keeps_every_function_check(
    newcomer_client: Client, newcomer: Patient
) -> None:
    """The case found: posting the activities step again deleted every earlier score."""
    walk_through(newcomer_client)
    shop = newcomer.activities.get()
    for score in (4, 5, 6):
        record_function_check(newcomer, {shop.pk: score}, impression=3)
    newcomer_client.post("/onboarding/activities/", {"activity_1": "Cooking", "score_1": 2})
    scores = ActivityScore.objects.filter(activity=shop).order_by("pk")
    assert [s.score for s in scores] == [3, 4, 5, 6]
    assert [a.name for a in newcomer.activities.all()] == ["Walking to the shop"]


def test_the_time_step_again_keeps_the_start(newcomer_client: Client, newcomer: Patient) -> None:
    walk_through(newcomer_client)
    newcomer.refresh_from_db()
    started = newcomer.onboarded_at
    newcomer_client.post("/onboarding/time/", {"time": "none"})
    newcomer.refresh_from_db()
    assert newcomer.onboarded_at == started
    assert newcomer.preferred_session_time is not None


def test_onboarded_without_a_first_check_still_goes_to_today(
    newcomer_client: Client, newcomer: Patient
) -> None:
    """Onboarded some other way (a therapist, an older version): no step opens again."""
    newcomer.onboarded_at = newcomer.created_at
    newcomer.save()
    assert newcomer_client.get("/onboarding/")["Location"] == "/today/"
    assert newcomer_client.get("/onboarding/activities/")["Location"] == "/today/"


def test_a_new_activity_given_before_finishing_corrects_the_first_check(
    newcomer_client: Client, newcomer: Patient
) -> None:
    """Back, then Next with another activity, before onboarding is done: one first check,
    with the new answer; the first activity had no other score, so nothing is kept of it."""
    through(newcomer_client, "time")  # Cooking, 4
    cooking = newcomer.activities.get()
    again = {"activity_1": "cooking", "score_1": 5, "activity_2": "Stairs", "score_2": 2}
    assert newcomer_client.post("/onboarding/activities/", again).status_code == 302
    check = newcomer.function_checks.get()
    assert {s.activity.name: s.score for s in check.scores.all()} == {"cooking": 5, "Stairs": 2}
    assert newcomer.activities.active().first() == cooking  # the same one, spelt anew
    newcomer_client.post("/onboarding/activities/", {"activity_1": "Gardening", "score_1": 6})
    assert [a.name for a in newcomer.activities.all()] == ["Gardening"]
    assert newcomer.function_checks.get().scores.get().score == 6
