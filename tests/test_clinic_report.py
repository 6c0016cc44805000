"""The clinic report (/clinic/report/): who reached a meaningful change, adherence over the
programme, and the alerts of each kind with how fast they were acknowledged."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from stenosis_coach.clinic import queries
from stenosis_coach.clinic.models import Alert, AuditEntry, StaffMember
from stenosis_coach.outcomes.actions import (
    choose_activities,
    record_function_check,
    record_walking_test,
)
from stenosis_coach.patients.actions import create_patient
from stenosis_coach.patients.models import Clinic, Patient
from tests.clinic_pages import audit_count, client_for
from tests.patient_pages import do_session, page, ready

URL = "/clinic/report/"


def new_patient(clinic: Clinic, therapist: User, name: str) -> Patient:
    user = User.objects.create_user(name, f"{name}@example.org", "unused-pw-42")
    return ready(create_patient(user, clinic=clinic, therapist=therapist))


def report_for(user: User) -> queries.ClinicReport:
    return queries.clinic_report(StaffMember.objects.get(user=user))


def function_checks(patient: Patient, first: list[int], latest: list[int]) -> None:
    choose_activities(patient, [(f"Activity {n}", score) for n, score in enumerate(first)])
    activities = list(patient.activities.active())
    record_function_check(
        patient, {a.pk: score for a, score in zip(activities, latest, strict=True)}, 3
    )


def test_meaningful_changes(riverside: Clinic, alice: Patient, bob: User) -> None:
    ready(alice)
    other = new_patient(riverside, bob, "other")
    # Leg pain: alice 6 -> 4 (down 2: meaningful), other 5 -> 4 (down 1: not).
    for patient, first, now in ((alice, 6, 4), (other, 5, 4)):
        do_session(patient, leg_before=first, days_ago=20)
        do_session(patient, leg_before=now, days_ago=1)
    # PSFS, the mean over the activities: alice 3, 5 -> 5, 7 (up 2), other 4 -> 5 (up 1).
    function_checks(alice, [3, 5], [5, 7])
    function_checks(other, [4], [5])
    # Walking: alice 5 -> 9 minutes (up), other one walk only (not counted).
    now = timezone.now()
    record_walking_test(alice, minutes=5, stopped_by_symptoms=True, when=now - dt.timedelta(9))
    record_walking_test(alice, minutes=9, stopped_by_symptoms=True, when=now - dt.timedelta(2))
    record_walking_test(other, minutes=7, stopped_by_symptoms=True)
    report = report_for(bob)
    assert report.patients == 2
    assert report.leg_pain_down == queries.Outcome(reached=1, measured=2)
    assert report.function_up == queries.Outcome(reached=1, measured=2)
    assert report.walking_up == queries.Outcome(reached=1, measured=1)
    html = page(client_for(bob).get(URL))
    leg_row = re.search(r'<tr id="leg-pain-down">(.*?)</tr>', html, re.S)
    assert leg_row is not None
    assert re.findall(r'class="number">(\d+)<', leg_row.group(1)) == ["1", "2"]


def test_pain_going_up_is_not_counted_as_down(alice: Patient, bob: User) -> None:
    ready(alice)
    do_session(alice, leg_before=3, days_ago=20)
    do_session(alice, leg_before=6, days_ago=1)
    assert report_for(bob).leg_pain_down == queries.Outcome(reached=0, measured=1)


def test_the_numbers_are_the_caseloads(riverside: Clinic, alice: Patient, bob: User) -> None:
    ready(alice)
    for days_ago in (9, 8, 6, 3, 1):
        do_session(alice, days_ago=days_ago)
    [row] = queries.caseload(StaffMember.objects.get(user=bob), filter="all").rows
    report = report_for(bob)
    assert report.adherence_median == row.adherence_programme.percent
    # 5 sessions on 9 days due (today not done yet): 56%.
    assert row.adherence_programme == queries.Adherence(done=5, expected=9)
    assert report.adherence_bands == [(80, 100, 0), (50, 79, 1), (0, 49, 0)]


def test_alerts_of_each_kind_and_how_fast_they_were_acknowledged(
    riverside: Clinic, alice: Patient, bob: User
) -> None:
    other = new_patient(riverside, bob, "other")
    raised = timezone.now() - dt.timedelta(days=3)
    for patient, hours in ((alice, 2), (other, 5)):
        Alert.objects.create(
            patient=patient,
            rule="red_flag",
            severity="critical",
            raised_at=raised,
            acknowledged_at=raised + dt.timedelta(hours=hours),
        )
    Alert.objects.create(patient=alice, rule="red_flag", severity="critical", raised_at=raised)
    Alert.objects.create(patient=other, rule="pain_rising", severity="medium", raised_at=raised)
    figures = {f.rule: f for f in report_for(bob).alerts}
    red = figures["red_flag"]
    assert (red.raised, red.still_open, red.acknowledged, red.median_hours) == (3, 1, 2, 3.5)
    assert figures["pain_rising"].median_hours is None
    # Most severe first.
    assert [f.rule for f in report_for(bob).alerts] == ["red_flag", "pain_rising"]
    html = page(client_for(bob).get(URL))
    assert re.search(r'<tr id="rule-red_flag">.*?>3\.5<', html, re.S)


def test_only_clinic_staff_get_the_report(
    alice: Patient, bob: User, charlie: User, erin: User
) -> None:
    assert client_for(bob).get(URL).status_code == 200
    assert client_for(erin).get(URL).status_code == 200
    assert client_for(alice).get(URL).status_code == 404
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]


def test_another_clinic_gets_its_own_figures_only(alice: Patient, charlie: User) -> None:
    ready(alice)
    do_session(alice, days_ago=1)
    assert report_for(charlie).patients == 0
    html = page(client_for(charlie).get(URL))
    assert "No patients yet." in html


def test_one_audit_entry_for_the_report(alice: Patient, bob: User) -> None:
    before = audit_count()
    client_for(bob).get(URL)
    assert audit_count() == before + 1
    entry = AuditEntry.objects.latest("pk")
    assert (entry.who, entry.patient, entry.what) == (bob, None, "clinic report")


def test_a_post_is_not_allowed(bob: User) -> None:
    assert client_for(bob).post(URL).status_code == 405
