"""The exercise times and reminders page: one time per session of the day, the days
(following the prescription's unless changed), e-mail on or off, and the calendar link."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from stenosis_coach.patients.models import Patient
from stenosis_coach.reminders.models import ReminderPlan
from stenosis_coach.reminders.selectors import schedule_of
from tests.patient_pages import logged_in, page, ready, staff_client

URL = "/settings/reminders/"
WEEKDAYS = {"time_1": "09:00", "days": ["0", "1", "2", "3", "4", "5", "6"], "by_email": "off"}


@pytest.fixture
def rosa(dave: Patient) -> Patient:
    """Onboarded, with an e-mail address, exercising in the evening."""
    ready(dave)
    dave.user.email = "rosa@example.com"
    dave.user.save()
    dave.preferred_session_time = dt.time(18, 0)
    dave.save()
    return dave


def selected(html: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, f"no {name} list"
    return re.search(r'<option value="([^"]+)" selected>', select.group()).group(1)


def two_sessions_on(patient: Patient, weekdays: list[int]) -> None:
    """The therapist's schedule: two sessions a day, on these days."""
    version = patient.prescriptions.latest("number")
    version.sessions_per_day, version.weekdays = 2, weekdays
    version.save()


def test_the_page_needs_a_patient(client: Client, db: None) -> None:
    assert client.get(URL)["Location"].startswith("/login/")
    assert staff_client().get(URL).status_code == 404


def test_the_settings_page_links_here(rosa: Patient) -> None:
    assert f'href="{URL}"' in page(logged_in(rosa).get("/settings/"))


def test_the_time_from_getting_started_is_the_first_time(rosa: Patient) -> None:
    html = page(logged_in(rosa).get(URL))
    assert selected(html, "time_1") == "18:00"
    assert "<li>Your times: 6 p.m.</li>" in html
    assert "<li>Your days: every day</li>" in html
    assert "<li>You get no reminders.</li>" in html
    assert 'name="time_2"' not in html  # one session a day


def test_times_are_offered_every_half_hour_in_plain_clock_words(rosa: Patient) -> None:
    html = page(logged_in(rosa).get(URL))
    options = re.findall(r'<option value="(\d\d:\d\d)"[^>]*>([^<]+)</option>', html)
    assert options[0] == ("06:00", "6 a.m.")
    assert ("12:00", "noon") in options
    assert ("18:30", "6:30 p.m.") in options
    assert options[-1] == ("22:00", "10 p.m.")
    assert len(options) == 33


def test_one_time_per_session_and_the_prescriptions_days(rosa: Patient) -> None:
    two_sessions_on(rosa, [0, 2, 4])
    html = page(logged_in(rosa).get(URL))
    assert (selected(html, "time_1"), selected(html, "time_2")) == ("18:00", "19:00")
    assert "Time for session 2" in html
    assert "Days in your plan: Monday, Wednesday, Friday." in html
    checked = re.findall(r'<input type="checkbox" name="days" value="(\d)"[^>]*checked', html)
    assert checked == ["0", "2", "4"]


def test_saving_times_days_and_email(rosa: Patient) -> None:
    client = logged_in(rosa)
    answers = {"time_1": "07:30", "days": ["1", "3"], "by_email": "on"}
    response = client.post(URL, answers)
    assert (response.status_code, response["Location"]) == (302, URL)
    plan = ReminderPlan.objects.get(patient=rosa)
    assert (plan.times, plan.weekdays, plan.by_email) == (["07:30"], [1, 3], True)
    rosa.refresh_from_db()
    assert rosa.preferred_session_time == dt.time(7, 30)
    html = page(client.get(URL))
    assert "Your reminders are saved." in html
    assert "<li>Your times: 7:30 a.m.</li>" in html
    assert "<li>Your days: Tuesday, Thursday</li>" in html
    assert "<li>You get an e-mail at each time.</li>" in html


def test_the_prescriptions_days_chosen_follow_a_later_change(rosa: Patient) -> None:
    logged_in(rosa).post(URL, WEEKDAYS)
    assert ReminderPlan.objects.get(patient=rosa).weekdays == []  # "the prescription's"
    two_sessions_on(rosa, [5, 6])
    assert schedule_of(rosa).weekdays == (5, 6)


def test_the_form_sent_twice_saves_once(rosa: Patient) -> None:
    client = logged_in(rosa)
    for _ in range(2):
        assert client.post(URL, {**WEEKDAYS, "by_email": "on"}).status_code == 302
    assert ReminderPlan.objects.filter(patient=rosa).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"time_1": "03:00"}, "Please pick a time from the list."),
        ({"time_1": ""}, "Please pick a time from the list."),
        ({"time_1": "9am"}, "Please pick a time from the list."),
        ({"days": []}, "Please pick at least one day."),
        ({"days": ["7"]}, "Please pick days from the list."),
        ({"by_email": "maybe"}, "Please answer yes or no."),
    ],
)
def test_bad_answers_get_a_clear_message_and_save_nothing(
    rosa: Patient, change: dict[str, object], message: str
) -> None:
    response = logged_in(rosa).post(URL, {**WEEKDAYS, **change})
    assert response.status_code == 400
    assert page(response).count(message) == 1
    assert not ReminderPlan.objects.filter(patient=rosa).exists()
    rosa.refresh_from_db()
    assert rosa.preferred_session_time == dt.time(18, 0)


def test_two_sessions_need_two_different_times(rosa: Patient) -> None:
    two_sessions_on(rosa, list(range(7)))
    response = logged_in(rosa).post(URL, {**WEEKDAYS, "time_2": "09:00"})
    assert response.status_code == 400
    assert "Please pick a different time for each session." in page(response)


def test_no_email_address_no_email_reminders(dave: Patient) -> None:
    ready(dave)
    response = logged_in(dave).post(URL, {**WEEKDAYS, "by_email": "on"})
    assert response.status_code == 400
    assert "Your account has no e-mail address" in page(response)


def test_a_patient_on_hold_can_still_change_reminders(rosa: Patient) -> None:
    from stenosis_coach.patients.actions import record_screening
    from tests.patient_pages import ALL_CLEAR

    record_screening(rosa, {**ALL_CLEAR, next(iter(ALL_CLEAR)): True})
    assert logged_in(rosa).get(URL).status_code == 200


# The calendar link


def test_making_a_calendar_link_shows_it_with_help(rosa: Patient) -> None:
    client = logged_in(rosa)
    assert "Make my calendar link" in page(client.get(URL))
    response = client.post("/settings/reminders/calendar/", {"do": "make"})
    assert response["Location"] == URL + "#calendar"
    token = ReminderPlan.objects.get(patient=rosa).calendar_token
    assert len(token) >= 40
    html = page(client.get(URL))
    assert f'value="http://127.0.0.1:8000/reminders/calendar/{token}.ics"' in html
    assert f'href="webcal://127.0.0.1:8000/reminders/calendar/{token}.ics"' in html
    assert "How to add it on an iPhone" in html
    assert "How to add it on an Android phone" in html
    assert "<li>Your calendar rings at each time.</li>" in html


def test_make_sent_twice_keeps_one_link(rosa: Patient) -> None:
    client = logged_in(rosa)
    client.post("/settings/reminders/calendar/", {"do": "make"})
    first = ReminderPlan.objects.get(patient=rosa).calendar_token
    client.post("/settings/reminders/calendar/", {"do": "make"})
    assert ReminderPlan.objects.get(patient=rosa).calendar_token == first


def test_a_new_link_stops_the_old_and_stop_stops_it(rosa: Patient) -> None:
    client = logged_in(rosa)
    client.post("/settings/reminders/calendar/", {"do": "make"})
    old = ReminderPlan.objects.get(patient=rosa).calendar_token
    client.post("/settings/reminders/calendar/", {"do": "new"})
    new = ReminderPlan.objects.get(patient=rosa).calendar_token
    assert new != old
    anyone = Client()
    assert anyone.get(f"/reminders/calendar/{old}.ics").status_code == 404
    assert anyone.get(f"/reminders/calendar/{new}.ics").status_code == 200
    client.post("/settings/reminders/calendar/", {"do": "stop"})
    assert ReminderPlan.objects.get(patient=rosa).calendar_token is None
    assert anyone.get(f"/reminders/calendar/{new}.ics").status_code == 404
    assert "Make my calendar link" in page(client.get(URL))


def test_a_strange_calendar_request_is_a_400(rosa: Patient) -> None:
    response = logged_in(rosa).post("/settings/reminders/calendar/", {"do": "delete-all"})
    assert response.status_code == 400


def test_the_calendar_link_is_the_patients_own(rosa: Patient, alice: Patient) -> None:
    ready(alice)
    logged_in(alice).post("/settings/reminders/calendar/", {"do": "make"})
    alice_token = ReminderPlan.objects.get(patient=alice).calendar_token
    html = page(logged_in(rosa).get(URL))
    assert alice_token not in html
    assert "Make my calendar link" in html


def test_the_page_is_never_cached(rosa: Patient) -> None:
    assert "no-store" in logged_in(rosa).get(URL)["Cache-Control"]


def test_another_user_has_no_reminder_page(db: None) -> None:
    other = User.objects.create_user("eve", password="unused-Eve-pw-1")
    assert logged_in(other).get(URL).status_code == 404
