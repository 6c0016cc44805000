"""The caseload (/clinic/): one row per patient of the clinic, with figures made through the
real actions (sessions uploaded as the player uploads them)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stenosis_coach.clinic import queries
from stenosis_coach.clinic.models import Alert, AuditEntry, StaffMember
from stenosis_coach.clinic.queries import Adherence, PainChange, meaningful_pain_change
from stenosis_coach.clinic.sparklines import leg_pain_sparkline
from stenosis_coach.outcomes.actions import record_pain_checkin, record_walking_test
from stenosis_coach.patients.actions import create_patient
from stenosis_coach.patients.models import Clinic, Patient
from stenosis_coach.practice.actions import record_pain_answers
from stenosis_coach.practice.uploads import parse_pain_upload
from tests.clinic_pages import audit_count, client_for
from tests.patient_pages import do_session, page, ready

URL = "/clinic/"
LA = ZoneInfo("America/Los_Angeles")


def patient_at(
    clinic: Clinic, therapist: User | None, username: str, first: str = "", last: str = ""
) -> Patient:
    user = User.objects.create_user(
        username, f"{username}@example.org", "unused-pw-42", first_name=first, last_name=last
    )
    return ready(create_patient(user, clinic=clinic, therapist=therapist))


def staff_of(user: User) -> StaffMember:
    return StaffMember.objects.get(user=user)


def rows(user: User, **choices: Any) -> list[queries.CaseloadRow]:
    return queries.caseload(staff_of(user), **choices).rows


def names(user: User, **choices: Any) -> list[str]:
    return [row.name for row in rows(user, **choices)]


def alert(patient: Patient, rule: str, severity: str, **fields: Any) -> Alert:
    return Alert.objects.create(
        patient=patient,
        rule=rule,
        severity=severity,
        values={"day": "3 March"},
        raised_at=fields.pop("raised_at", timezone.now()),
        **fields,
    )


def at(zone: ZoneInfo, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def session_at(patient: Patient, started: dt.datetime, leg: int = 3) -> None:
    finished = started + dt.timedelta(minutes=12)
    do_session(
        patient,
        leg_before=leg,
        started_at=started.isoformat(),
        finished_at=finished.isoformat(),
    )


# -- the figures -------------------------------------------------------------------------


def test_a_row_has_the_patients_figures(alice: Patient, bob: User) -> None:
    ready(alice)
    for days_ago in (20, 19, 18):
        do_session(alice, leg_before=6, days_ago=days_ago)
    for days_ago in (3, 2, 1):
        do_session(alice, leg_before=4, days_ago=days_ago)
    now = timezone.now()
    record_walking_test(alice, minutes=5, stopped_by_symptoms=True, when=now - dt.timedelta(20))
    record_walking_test(alice, minutes=8.5, stopped_by_symptoms=True, when=now - dt.timedelta(2))
    [row] = rows(bob, filter="all")
    assert row.name == "alice"
    assert row.therapist == "bob@riverside.example"
    assert row.last_session == timezone.localdate(now - dt.timedelta(days=1))
    assert row.days_since_session == 1
    # 3 of the last 6 whole days (today is not done yet: not counted as missed).
    assert row.adherence_7 == Adherence(done=3, expected=6)
    assert row.adherence_7.percent == 50
    assert row.adherence_30 == Adherence(done=6, expected=20)
    assert (row.pain_first_week, row.pain_now) == (6, 4)
    assert row.pain is not None
    assert row.pain.meaningful
    assert row.pain.better
    assert (row.walking_first, row.walking_latest, row.walking_change) == (5, 8.5, 3.5)


def test_walking_is_the_latest_test_against_the_first(alice: Patient, bob: User) -> None:
    now = timezone.now()
    for days_ago, minutes in ((30, 9), (20, 12), (2, 6)):
        when = now - dt.timedelta(days=days_ago)
        record_walking_test(alice, minutes=minutes, stopped_by_symptoms=True, when=when)
    [row] = rows(bob, filter="all")
    assert (row.walking_first, row.walking_latest, row.walking_tests) == (9, 6, 3)
    assert row.walking_change == -3


def test_the_page_shows_the_row_in_words(alice: Patient, bob: User) -> None:
    ready(alice)
    do_session(alice, leg_before=6, days_ago=20)
    do_session(alice, leg_before=4, days_ago=1)
    alert(alice, "red_flag", Alert.Severity.CRITICAL)
    html = page(client_for(bob).get(URL))
    assert f'href="{reverse("clinic-patient", args=[alice.pk])}">alice</a>' in html
    assert 'role="img" aria-label="Leg pain over 30 days: from 6 to 4"' in html
    assert "meaningfully better" in html
    # The severity in words, not in colour alone.
    assert re.search(r'class="severity severity-critical">Critical\s+1<', html)


def test_adherence_counts_the_patients_own_days_across_midnight(alice: Patient, bob: User) -> None:
    """Los Angeles, 11 pm: a session at 10.30 pm is today's there (tomorrow in UTC), and one
    at 0.30 am six days ago is in the week there, but not in a week counted in UTC."""
    ready(alice)
    alice.time_zone = "America/Los_Angeles"
    alice.save(update_fields=["time_zone"])
    today = (timezone.now() - dt.timedelta(days=3)).astimezone(LA).date()
    session_at(alice, at(LA, today - dt.timedelta(days=7), 23, 30))  # the day before the week
    session_at(alice, at(LA, today - dt.timedelta(days=6), 0, 30))
    session_at(alice, at(LA, today, 22, 30))
    [row] = rows(bob, filter="all", now=at(LA, today, 23))
    assert row.last_session == today
    assert row.days_since_session == 0
    # 6 whole days before today were due, and today's session is done: 7 due, 2 done.
    assert row.adherence_7 == Adherence(done=2, expected=7)
    # The next morning there, the session at 10.30 pm was yesterday's, and the week has
    # moved on a day (today's session is not done yet).
    [row] = rows(bob, filter="all", now=at(LA, today + dt.timedelta(days=1), 8))
    assert row.days_since_session == 1
    assert row.adherence_7 == Adherence(done=1, expected=6)


def test_adherence_follows_the_schedule_and_is_capped(alice: Patient, bob: User) -> None:
    ready(alice)
    for days_ago in (5, 4, 4.01, 3, 2, 1):  # two on one day
        do_session(alice, days_ago=days_ago)
    [row] = rows(bob, filter="all")
    assert row.adherence_7.done == 6
    assert row.adherence_7.percent == 100  # never over 100
    # Three weekdays a week: fewer are due.
    version = alice.prescriptions.latest("number")
    version.weekdays = [0, 2, 4]
    version.save(update_fields=["weekdays"])
    [row] = rows(bob, filter="all")
    today = timezone.localdate()
    # From the first session's day (5 days ago) to yesterday; today's is not done yet.
    due = sum((today - dt.timedelta(days=n)).weekday() in (0, 2, 4) for n in range(1, 6))
    assert row.adherence_7 == Adherence(done=6, expected=due)
    assert row.adherence_7.percent == 100


@pytest.mark.parametrize(
    ("first_week", "now", "meaningful"),
    [
        (8, 6, True),  # exactly 2 points (25%)
        (8, 6.5, False),  # 1.5 points, 19%
        (5, 3.5, True),  # exactly 30% (1.5 points)
        (5, 4, False),  # 1 point, 20%
        (10, 7, True),  # 30% and 3 points
        (3, 5, True),  # worse by 2 points: meaningful too
        (0, 1, False),  # 1 point from none
    ],
)
def test_a_meaningful_change_is_2_points_or_30_percent(
    first_week: float, now: float, meaningful: bool
) -> None:
    assert meaningful_pain_change(first_week, now) is meaningful
    assert PainChange(first_week, now).meaningful is meaningful


@pytest.mark.parametrize(
    ("first", "last", "meaningful"),
    [((8, 8, 8), (6, 6, 6), True), ((5, 5, 5), (3, 4), True), ((5, 5, 5), (4, 4, 4), False)],
)
def test_the_caseload_marks_a_meaningful_change(
    alice: Patient, bob: User, first: tuple[int, ...], last: tuple[int, ...], meaningful: bool
) -> None:
    """Medians through real uploads: 8 then 6 (2 points), 5 then 3.5 (30%), 5 then 4."""
    ready(alice)
    for n, leg in enumerate(first):
        do_session(alice, leg_before=leg, days_ago=20 - n)
    for n, leg in enumerate(last):
        do_session(alice, leg_before=leg, days_ago=3 - n)
    [row] = rows(bob, filter="all")
    assert row.pain is not None
    assert row.pain.meaningful is meaningful
    html = page(client_for(bob).get(URL))
    assert ("meaningfully better" in html) is meaningful


def test_no_change_is_shown_while_the_first_week_lasts(alice: Patient, bob: User) -> None:
    ready(alice)
    do_session(alice, leg_before=7, days_ago=3)
    do_session(alice, leg_before=3, days_ago=1)
    [row] = rows(bob, filter="all")
    assert row.pain_now == 5
    assert row.pain is None
    assert "first week not over" in page(client_for(bob).get(URL))


def test_after_the_first_week_no_pain_lately_is_just_no_figure(alice: Patient, bob: User) -> None:
    ready(alice)
    do_session(alice, leg_before=7, days_ago=10)
    [row] = rows(bob, filter="all")
    assert row.pain_first_week == 7
    assert row.pain_now is None
    assert row.pain is None
    assert "first week not over" not in page(client_for(bob).get(URL))


def test_pain_noted_without_a_session_is_not_session_pain(alice: Patient, bob: User) -> None:
    """Pain too high to exercise (answers sent with no session), and pain noted on its own,
    are not "before a session"."""
    ready(alice)
    do_session(alice, leg_before=3, days_ago=1)
    record_pain_checkin(alice, leg_pain=9, back_pain=2)
    answers = {"uuid": str(uuid.uuid4()), "taken_at": timezone.now().isoformat(), "leg": 9}
    record_pain_answers(alice, parse_pain_upload({**answers, "back": 2}))
    [row] = rows(bob, filter="all")
    assert row.pain_now == 3


def test_nothing_due_yet_is_not_a_miss(alice: Patient, bob: User) -> None:
    """A patient who joined today and has not done a session: nothing was due."""
    [row] = rows(bob, filter="all")
    assert row.adherence_7 == Adherence(done=0, expected=0)
    assert row.adherence_7.percent is None
    assert "none due yet" in page(client_for(bob).get(URL))


def test_sparkline_is_an_image_with_its_numbers_in_words() -> None:
    today = dt.date(2026, 3, 30)
    svg = leg_pain_sparkline([(dt.date(2026, 3, 2), 6.0), (today, 4.5)], today)
    assert 'role="img"' in svg
    assert 'aria-label="Leg pain over 30 days: from 6 to 4.5"' in svg
    assert "<polyline" in svg
    assert leg_pain_sparkline([], today) == ""


# -- filters, search, sort, pages -----------------------------------------------------------


@pytest.fixture
def clinic(riverside: Clinic, alice: Patient, bob: User, erin: User) -> dict[str, Patient]:
    ready(alice)
    ann = patient_at(riverside, bob, "ann", "Ann", "Zed")
    carl = patient_at(riverside, erin, "carl", "Carl", "Young")
    do_session(alice, days_ago=1)
    do_session(ann, days_ago=10)  # inactive: nothing in 7 days
    do_session(carl, days_ago=0.01)
    alert(ann, "leg_pain_high", Alert.Severity.HIGH)
    alert(carl, "red_flag", Alert.Severity.CRITICAL)
    alert(carl, "walking_drop", Alert.Severity.MEDIUM)
    return {"alice": alice, "ann": ann, "carl": carl}


def test_filters(clinic: dict[str, Patient], bob: User, erin: User) -> None:
    assert sorted(names(bob, filter="mine")) == ["Ann Zed", "alice"]
    assert sorted(names(bob, filter="all")) == ["Ann Zed", "Carl Young", "alice"]
    assert sorted(names(bob, filter="alerts")) == ["Ann Zed", "Carl Young"]
    assert names(bob, filter="inactive") == ["Ann Zed"]
    # Mine is the default for a therapist with patients of their own.
    assert queries.caseload(staff_of(erin)).filter == "mine"
    assert names(erin) == ["Carl Young"]


def test_an_acknowledged_alert_is_not_open(clinic: dict[str, Patient], bob: User) -> None:
    # Saved, not update()d: the caseload reads the summary row, which an alert's save keeps
    # up to date (acknowledge_alert's own update() updates it itself).
    for open_alert in Alert.objects.filter(patient=clinic["ann"]):
        open_alert.acknowledged_at = timezone.now()
        open_alert.save(update_fields=["acknowledged_at"])
    assert names(bob, filter="alerts") == ["Carl Young"]


def test_search_by_name_or_email_whatever_the_capitals(
    clinic: dict[str, Patient], bob: User
) -> None:
    assert names(bob, filter="all", search="ANN") == ["Ann Zed"]
    assert names(bob, filter="all", search="carl@EXAMPLE") == ["Carl Young"]
    assert names(bob, filter="all", search="carl young") == ["Carl Young"]
    assert names(bob, filter="all", search="nobody") == []
    html = page(client_for(bob).get(URL, {"show": "all", "q": "nobody"}))
    assert "No patients match." in html


def test_sorts(clinic: dict[str, Patient], bob: User) -> None:
    # The default: most severe alerts first.
    assert names(bob, filter="all") == ["Carl Young", "Ann Zed", "alice"]
    assert names(bob, filter="all", sort="name") == ["alice", "Ann Zed", "Carl Young"]
    # The longest since a session first.
    assert names(bob, filter="all", sort="last_session") == ["Ann Zed", "alice", "Carl Young"]
    assert names(bob, filter="all", sort="adherence")[0] == "Ann Zed"


def test_sort_by_pain_change_puts_the_most_increased_first(
    riverside: Clinic, alice: Patient, bob: User
) -> None:
    ready(alice)
    worse = patient_at(riverside, bob, "worse")
    for patient, before, now in ((alice, 6, 3), (worse, 3, 6)):
        do_session(patient, leg_before=before, days_ago=20)
        do_session(patient, leg_before=now, days_ago=1)
    assert names(bob, sort="pain_change") == ["worse@example.org", "alice"]


def test_pages_of_25(riverside: Clinic, bob: User) -> None:
    for n in range(27):
        patient_at(riverside, bob, f"p{n:02}")
    first = queries.caseload(staff_of(bob), sort="name")
    assert (len(first.rows), first.pages, first.total) == (25, 2, 27)
    second = queries.caseload(staff_of(bob), sort="name", page=2)
    assert [row.name for row in second.rows] == ["p25@example.org", "p26@example.org"]
    # Past the end: the last page.
    assert queries.caseload(staff_of(bob), sort="name", page=9).page == 2
    html = page(client_for(bob).get(URL, {"sort": "name", "page": 2}))
    assert "Page 2 of 2" in html
    assert 'rel="prev"' in html
    assert 'rel="next"' not in html
    assert "page=1" in html


# -- the page: access, audit, bad input --------------------------------------------------------


def test_only_clinic_staff_get_the_caseload(
    alice: Patient, bob: User, charlie: User, erin: User
) -> None:
    assert client_for(bob).get(URL).status_code == 200
    assert client_for(erin).get(URL).status_code == 200
    assert client_for(alice).get(URL).status_code == 404
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]


def test_another_clinic_sees_none_of_riversides_patients(alice: Patient, charlie: User) -> None:
    response = client_for(charlie).get(URL, {"show": "all"})
    assert response.status_code == 200
    assert reverse("clinic-patient", args=[alice.pk]) not in page(response)
    assert queries.caseload(staff_of(charlie), filter="all").rows == []


def test_an_empty_clinic_says_what_to_do_next(charlie: User) -> None:
    html = page(client_for(charlie).get(URL))
    assert "No patients yet" in html
    assert f'href="{reverse("invitations")}"' in html


def test_one_audit_entry_for_the_list(clinic: dict[str, Patient], bob: User) -> None:
    before = audit_count()
    client_for(bob).get(URL, {"show": "all"})
    assert audit_count() == before + 1
    entry = AuditEntry.objects.latest("pk")
    assert (entry.who, entry.patient, entry.action) == (bob, None, AuditEntry.READ)
    assert entry.what == "caseload page 1"


@pytest.mark.parametrize(
    "params",
    [
        {"show": "everyone"},
        {"sort": "age"},
        {"page": "two"},
        {"page": "0"},
        {"page": "-3"},
        {"page": "1e99"},
        {"q": "x" * 101},
    ],
)
def test_bad_parameters_get_a_400_with_a_message(
    alice: Patient, bob: User, params: dict[str, str]
) -> None:
    before = audit_count()
    response = client_for(bob).get(URL, params)
    assert response.status_code == 400
    assert "were not understood" in page(response)
    assert audit_count() == before  # nothing was read


def test_a_post_is_not_allowed(bob: User) -> None:
    assert client_for(bob).post(URL).status_code == 405


def test_the_caseload_shows_who_has_reminders_on(alice: Patient, bob: User) -> None:
    from stenosis_coach.reminders import actions as reminders

    other = patient_at(alice.clinic, bob, "carol", "Carol", "Reyes")
    ready(alice)
    assert [row.reminders_on for row in rows(bob)] == [False, False]
    reminders.do_make_calendar_link(alice)  # a calendar link is a reminder too
    by_name = {row.patient_id: row.reminders_on for row in rows(bob)}
    assert by_name == {alice.pk: True, other.pk: False}
    html = page(client_for(bob).get(URL))
    assert html.count('<small class="reminders-on">Reminders on</small>') == 1
    reminders.do_stop_calendar_link(alice)
    assert not any(row.reminders_on for row in rows(bob))
