"""Prescribing on the therapist's page: safe bounds, a reason for every change, a new
version made by the therapist, templates, unlock, lift a pause, the schedule, automatic
progression, usual pain, the phone, and a form sent twice."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils.html import escape

from stenosis_coach.clinic.models import AuditEntry, PrescriptionTemplate
from stenosis_coach.clinic.prescribing import (
    HOLD_SECONDS_MAX,
    HOLD_SECONDS_MIN,
    REASON_MAX,
    REPS_MAX,
    REPS_MIN,
    SETS_MAX,
    SETS_MIN,
    WORK_SECONDS_MAX,
    WORK_SECONDS_MIN,
)
from stenosis_coach.patients.actions import create_patient
from stenosis_coach.patients.models import Clinic, Patient
from stenosis_coach.practice.actions import current_prescription
from stenosis_coach.practice.models import PrescriptionVersion
from stenosis_coach.programme import Dose, load_catalogue
from tests.clinic_pages import assert_only_own_clinic, audit_count, client_for
from tests.patient_pages import do_session, page, ready

REASON = "Her stretches went well at the clinic."


def post(client: Client, patient: Patient, form: str, data: dict[str, Any]) -> Any:
    return client.post(f"/clinic/patients/{patient.pk}/{form}/", data)


def item(patient: Patient, exercise_id: str) -> Any:
    return current_prescription(patient).items.get(exercise_id=exercise_id)


def versions(patient: Patient) -> int:
    return patient.prescriptions.count()


# --- Who may post -------------------------------------------------------------------------

FORMS = [
    ("exercises", {"back-flexion-hold_seconds": "15", "reason": REASON}),
    ("schedule", {"sessions_per_day": "1", "weekdays": ["0", "3"], "reason": REASON}),
    ("template", {"template": "built-in:target", "reason": REASON}),
    ("template/save", {"name": "Mine"}),
    ("settings", {"contact_phone": "600 123 456", "reason": REASON}),
]


@pytest.mark.parametrize(("form", "data"), FORMS)
def test_only_the_patients_clinic_may_post(
    alice: Patient, bob: User, charlie: User, form: str, data: dict[str, Any]
) -> None:
    assert_only_own_clinic(
        f"/clinic/patients/{alice.pk}/{form}/",
        own=bob,
        other_clinic=charlie,
        patient=alice,
        method="post",
        **data,
    )


@pytest.mark.parametrize(("form", "data"), FORMS)
def test_the_forms_take_post_only(alice: Patient, bob: User, form: str, data: Any) -> None:
    assert client_for(bob).get(f"/clinic/patients/{alice.pk}/{form}/").status_code == 405


def test_another_clinics_therapist_changes_nothing(alice: Patient, charlie: User) -> None:
    post(client_for(charlie), alice, "exercises", {"curl-up-enabled": "off", "reason": REASON})
    assert versions(alice) == 1
    assert audit_count(patient=alice) == 0


# --- Doses and their bounds ---------------------------------------------------------------

BOUNDS = [
    ("back-flexion", "hold_seconds", HOLD_SECONDS_MIN, HOLD_SECONDS_MAX, "hold (seconds)"),
    ("back-flexion", "reps", REPS_MIN, REPS_MAX, "repetitions"),
    ("back-flexion", "sets", SETS_MIN, SETS_MAX, "sets"),
    (
        "hook-lying-march",
        "work_seconds",
        WORK_SECONDS_MIN,
        WORK_SECONDS_MAX,
        "march time per set (seconds)",
    ),
]


def test_the_bounds_are_the_issues() -> None:
    assert (HOLD_SECONDS_MIN, HOLD_SECONDS_MAX) == (5, 60)
    assert (REPS_MIN, REPS_MAX) == (1, 20)
    assert (SETS_MIN, SETS_MAX) == (1, 4)
    assert (WORK_SECONDS_MIN, WORK_SECONDS_MAX) == (10, 60)


@pytest.mark.parametrize(("exercise_id", "part", "low", "high", "words"), BOUNDS)
def test_a_dose_at_each_limit_is_kept(
    alice: Patient, bob: User, exercise_id: str, part: str, low: int, high: int, words: str
) -> None:
    for value in (low, high):
        response = post(
            client_for(bob), alice, "exercises", {f"{exercise_id}-{part}": value, "reason": REASON}
        )
        assert response.status_code == 302
        assert getattr(item(alice, exercise_id), part) == value


@pytest.mark.parametrize(("exercise_id", "part", "low", "high", "words"), BOUNDS)
def test_a_dose_just_past_each_limit_is_refused_with_its_bounds(
    alice: Patient, bob: User, exercise_id: str, part: str, low: int, high: int, words: str
) -> None:
    name = load_catalogue().get(exercise_id).text().name
    for value in (low - 1, high + 1):
        response = post(
            client_for(bob), alice, "exercises", {f"{exercise_id}-{part}": value, "reason": REASON}
        )
        assert response.status_code == 400
        expected = f"{name}: {words} must be from {low} to {high} (not {value})."
        assert escape(expected) in page(response)
    assert versions(alice) == 1


@pytest.mark.parametrize("value", ["abc", "", "12.5", "-3", "1e3"])
def test_a_dose_that_is_not_a_whole_number_is_refused(
    alice: Patient, bob: User, value: str
) -> None:
    response = post(
        client_for(bob), alice, "exercises", {"back-flexion-reps": value, "reason": REASON}
    )
    assert response.status_code == 400
    assert "Knees to chest: repetitions: enter a whole number from 1 to 20." in page(response)


def test_the_curl_ups_own_short_hold_is_within_bounds(alice: Patient, bob: User) -> None:
    client = client_for(bob)
    assert (
        post(client, alice, "exercises", {"curl-up-hold_seconds": 3, "reason": REASON}).status_code
        == 302
    )
    assert item(alice, "curl-up").hold_seconds == 3
    response = post(client, alice, "exercises", {"curl-up-hold_seconds": 1, "reason": REASON})
    assert response.status_code == 400
    name = load_catalogue().get("curl-up").text().name
    assert f"{name}: hold (seconds) must be from 2 to 60 (not 1)." in page(response)


def test_a_dose_off_the_ladder_or_higher_on_it(alice: Patient, bob: User) -> None:
    client = client_for(bob)
    post(
        client,
        alice,
        "exercises",
        {"back-flexion-hold_seconds": 12, "back-flexion-reps": 5, "reason": REASON},
    )
    assert item(alice, "back-flexion").dose == Dose(reps=5, hold_seconds=12)
    post(
        client,
        alice,
        "exercises",
        {"childs-pose-hold_seconds": 30, "childs-pose-reps": 6, "reason": REASON},
    )
    assert item(alice, "childs-pose").dose == Dose(reps=6, hold_seconds=30)


def test_more_sets_get_a_break_between_them(alice: Patient, bob: User) -> None:
    post(client_for(bob), alice, "exercises", {"back-flexion-sets": 2, "reason": REASON})
    dose = item(alice, "back-flexion").dose
    assert dose.sets == 2
    assert dose.set_break_seconds == 30


def test_a_last_set_must_be_shorter(alice: Patient, bob: User) -> None:
    data = {"curl-up-sets": 2, "curl-up-reps": 10, "curl-up-last_set_reps": 10, "reason": REASON}
    response = post(client_for(bob), alice, "exercises", data)
    assert response.status_code == 400
    assert "the last set must have fewer repetitions" in page(response)
    data["curl-up-last_set_reps"] = 6
    assert post(client_for(bob), alice, "exercises", data).status_code == 302
    assert item(alice, "curl-up").dose.set_reps == (10, 6)


def test_an_exercise_is_turned_off_and_on(alice: Patient, bob: User) -> None:
    client = client_for(bob)
    post(client, alice, "exercises", {"curl-up-enabled": "off", "reason": REASON})
    assert not item(alice, "curl-up").enabled
    post(client, alice, "exercises", {"curl-up-enabled": "on", "reason": REASON})
    assert item(alice, "curl-up").enabled
    response = post(client, alice, "exercises", {"curl-up-enabled": "maybe", "reason": REASON})
    assert response.status_code == 400


# --- A reason, and the version it makes ---------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_every_change_needs_a_reason(alice: Patient, bob: User, reason: str) -> None:
    client = client_for(bob)
    for form, data in FORMS:
        if form == "template/save":
            continue
        response = post(client, alice, form, {**data, "reason": reason})
        assert response.status_code == 400, form
        assert "Reason: please say why you make this change." in page(response)
    assert versions(alice) == 1
    alice.refresh_from_db()
    assert alice.contact_phone == ""
    assert audit_count(patient=alice, action=AuditEntry.CHANGE) == 0


def test_a_reason_has_a_length_limit(alice: Patient, bob: User) -> None:
    data = {"back-flexion-hold_seconds": 15, "reason": "x" * (REASON_MAX + 1)}
    response = post(client_for(bob), alice, "exercises", data)
    assert response.status_code == 400
    assert f"Reason: at most {REASON_MAX} characters" in page(response)


def test_a_change_is_a_new_version_by_the_therapist_with_the_reason(
    alice: Patient, bob: User
) -> None:
    client = client_for(bob)
    response = post(client, alice, "exercises", {"back-flexion-hold_seconds": 20, "reason": REASON})
    assert response.status_code == 302
    version = current_prescription(alice)
    assert version.number == 2
    assert version.source == PrescriptionVersion.Source.THERAPIST
    assert version.created_by == bob
    assert version.note == REASON
    entry = AuditEntry.objects.filter(patient=alice, action=AuditEntry.CHANGE).get()
    assert entry.who == bob
    assert REASON in entry.what
    html = page(client.get(response["Location"]))
    assert "Saved as version 2." in html
    assert REASON in html  # in the list of versions


def test_a_form_sent_twice_makes_one_version(alice: Patient, bob: User) -> None:
    client = client_for(bob)
    data = {"back-flexion-hold_seconds": 20, "curl-up-enabled": "off", "reason": REASON}
    post(client, alice, "exercises", data)
    response = post(client, alice, "exercises", data)
    assert versions(alice) == 2
    assert audit_count(patient=alice, action=AuditEntry.CHANGE) == 1
    assert "Nothing changed" in page(client.get(response["Location"]))


def test_a_template_applied_twice_makes_one_version(alice: Patient, bob: User) -> None:
    client = client_for(bob)
    for _ in range(2):
        post(client, alice, "template", {"template": "built-in:target", "reason": REASON})
    assert versions(alice) == 2


# --- Unlock, lift a pause -------------------------------------------------------------------


def test_the_therapist_unlocks_the_march(alice: Patient, bob: User) -> None:
    assert item(alice, "hook-lying-march").locked
    post(client_for(bob), alice, "exercises", {"hook-lying-march-unlock": "1", "reason": REASON})
    assert not item(alice, "hook-lying-march").locked


def test_the_therapist_lifts_a_pause_and_it_stays_lifted(alice: Patient, bob: User) -> None:
    ready(alice)
    hurt = {"curl-up": {"completed": False, "worse": True, "stop_reason": "back-pain"}}
    do_session(alice, days_ago=3, overrides=hurt)
    do_session(alice, days_ago=2, overrides=hurt)
    assert item(alice, "curl-up").paused
    post(client_for(bob), alice, "exercises", {"curl-up-lift_pause": "1", "reason": REASON})
    assert not item(alice, "curl-up").paused
    do_session(alice, days_ago=1)
    assert not item(alice, "curl-up").paused


# --- Schedule -----------------------------------------------------------------------------


def test_the_schedule_is_set(alice: Patient, bob: User) -> None:
    data = {"sessions_per_day": "2", "weekdays": ["0", "2", "4"], "reason": REASON}
    assert post(client_for(bob), alice, "schedule", data).status_code == 302
    version = current_prescription(alice)
    assert (version.sessions_per_day, version.weekdays) == (2, [0, 2, 4])
    assert version.source == PrescriptionVersion.Source.THERAPIST


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"sessions_per_day": "0", "weekdays": ["0"]},
            "Sessions a day must be from 1 to 3 (not 0).",
        ),
        (
            {"sessions_per_day": "4", "weekdays": ["0"]},
            "Sessions a day must be from 1 to 3 (not 4).",
        ),
        ({"sessions_per_day": "1", "weekdays": []}, "Weekdays: choose at least one day."),
        (
            {"sessions_per_day": "1", "weekdays": ["7"]},
            "Weekdays: choose days from Monday to Sunday.",
        ),
    ],
)
def test_a_schedule_out_of_bounds_is_refused(
    alice: Patient, bob: User, data: dict[str, Any], message: str
) -> None:
    response = post(client_for(bob), alice, "schedule", {**data, "reason": REASON})
    assert response.status_code == 400
    assert message in page(response)
    assert versions(alice) == 1


def test_the_schedule_at_its_limits(alice: Patient, bob: User) -> None:
    for per_day in ("1", "3"):
        data = {"sessions_per_day": per_day, "weekdays": ["6"], "reason": REASON}
        assert post(client_for(bob), alice, "schedule", data).status_code == 302
    assert current_prescription(alice).sessions_per_day == 3


# --- Templates ----------------------------------------------------------------------------


def test_the_start_template_is_the_ladder_starts_with_the_march_locked(
    alice: Patient, bob: User
) -> None:
    client = client_for(bob)
    post(client, alice, "template", {"template": "built-in:target", "reason": REASON})
    post(client, alice, "template", {"template": "built-in:start", "reason": "Back to the start."})
    catalogue = load_catalogue()
    for exercise in catalogue.exercises:
        assert item(alice, exercise.id).dose == exercise.start
    assert item(alice, "hook-lying-march").locked
    assert current_prescription(alice).note == "Back to the start."


def test_the_target_template_is_the_ladder_targets_with_the_march_open(
    alice: Patient, bob: User
) -> None:
    post(client_for(bob), alice, "template", {"template": "built-in:target", "reason": REASON})
    for exercise in load_catalogue().exercises:
        current = item(alice, exercise.id)
        assert current.dose == exercise.target
        assert current.enabled
        assert not current.locked
        assert not current.paused


def test_the_gentle_start_is_the_stretches_and_the_pelvic_tilt(alice: Patient, bob: User) -> None:
    post(
        client_for(bob), alice, "template", {"template": "built-in:gentle-start", "reason": REASON}
    )
    catalogue = load_catalogue()
    for exercise_id in ("back-flexion", "childs-pose", "pelvic-tilt"):
        current = item(alice, exercise_id)
        assert current.enabled
        assert current.dose == catalogue.get(exercise_id).start
    assert not item(alice, "curl-up").enabled
    assert not item(alice, "hook-lying-march").enabled


def test_a_built_in_template_keeps_the_schedule(alice: Patient, bob: User) -> None:
    client = client_for(bob)
    post(client, alice, "schedule", {"sessions_per_day": "2", "weekdays": ["1"], "reason": REASON})
    post(client, alice, "template", {"template": "built-in:target", "reason": REASON})
    assert current_prescription(alice).sessions_per_day == 2


def test_a_saved_template_is_applied_to_another_patient(
    alice: Patient, bob: User, riverside: Clinic
) -> None:
    client = client_for(bob)
    post(
        client,
        alice,
        "exercises",
        {"back-flexion-hold_seconds": 25, "curl-up-enabled": "off", "reason": REASON},
    )
    post(
        client,
        alice,
        "schedule",
        {"sessions_per_day": "2", "weekdays": ["0", "3"], "reason": REASON},
    )
    assert post(client, alice, "template/save", {"name": "After a flare"}).status_code == 302
    template = PrescriptionTemplate.objects.get(clinic=riverside, name="After a flare")
    other = create_patient(User.objects.create_user("fay"), clinic=riverside, therapist=bob)
    response = post(
        client, other, "template", {"template": f"saved:{template.pk}", "reason": REASON}
    )
    assert response.status_code == 302
    assert item(other, "back-flexion").hold_seconds == 25
    assert not item(other, "curl-up").enabled
    assert current_prescription(other).sessions_per_day == 2


def test_a_template_name_is_required_and_new(alice: Patient, bob: User) -> None:
    client = client_for(bob)
    assert post(client, alice, "template/save", {"name": " "}).status_code == 400
    assert post(client, alice, "template/save", {"name": "Target"}).status_code == 400
    post(client, alice, "template/save", {"name": "Mine"})
    response = post(client, alice, "template/save", {"name": "mine"})
    assert response.status_code == 400
    assert "already" in page(response)
    assert PrescriptionTemplate.objects.count() == 1


def test_another_clinics_template_is_404(alice: Patient, bob: User, charlie: User) -> None:
    hilltop = charlie.staff.clinic
    theirs = PrescriptionTemplate.objects.create(clinic=hilltop, name="Theirs", items=[])
    data = {"template": f"saved:{theirs.pk}", "reason": REASON}
    assert post(client_for(bob), alice, "template", data).status_code == 404
    assert versions(alice) == 1


@pytest.mark.parametrize("choice", ["", "built-in:nope", "saved:abc", "what"])
def test_an_unknown_template_is_refused(alice: Patient, bob: User, choice: str) -> None:
    response = post(client_for(bob), alice, "template", {"template": choice, "reason": REASON})
    assert response.status_code == 400
    assert "Template: choose one of the templates." in page(response)


# --- Automatic progression, usual pain, phone ---------------------------------------------


def test_progression_off_is_respected_by_the_engine(alice: Patient, bob: User) -> None:
    ready(alice)
    data = {"auto_progression": "off", "reason": "Keep her here until the review."}
    assert post(client_for(bob), alice, "settings", data).status_code == 302
    alice.refresh_from_db()
    assert not alice.auto_progression
    for days_ago in (3, 2, 1):
        do_session(alice, days_ago=days_ago)
    start = load_catalogue().get("back-flexion").start
    assert item(alice, "back-flexion").dose == start  # three greens, and no step up
    entry = AuditEntry.objects.filter(patient=alice, action=AuditEntry.CHANGE).get()
    assert entry.what == "automatic progression on → off: Keep her here until the review."


def test_progression_back_on_steps_up_again(alice: Patient, bob: User) -> None:
    ready(alice)
    client = client_for(bob)
    post(client, alice, "settings", {"auto_progression": "off", "reason": REASON})
    post(client, alice, "settings", {"auto_progression": "on", "reason": REASON})
    do_session(alice, days_ago=2)
    do_session(alice, days_ago=1)
    assert item(alice, "back-flexion").hold_seconds == 15


def test_the_usual_pain_is_set(alice: Patient, bob: User) -> None:
    data = {
        "usual_leg_pain": "7",
        "usual_back_pain": "0",
        "reason": "Her leg pain is high for good.",
    }
    assert post(client_for(bob), alice, "settings", data).status_code == 302
    alice.refresh_from_db()
    assert (alice.usual_leg_pain, alice.usual_back_pain) == (7, 0)
    html = page(client_for(bob).get(f"/clinic/patients/{alice.pk}/"))
    assert "Her leg pain is high for good." in html  # on the list of changes


@pytest.mark.parametrize("value", ["11", "-1", "seven"])
def test_a_usual_pain_out_of_bounds_is_refused(alice: Patient, bob: User, value: str) -> None:
    response = post(client_for(bob), alice, "settings", {"usual_leg_pain": value, "reason": REASON})
    assert response.status_code == 400
    assert "Usual leg pain" in page(response)
    assert "from 0 to 10" in page(response)


@pytest.mark.parametrize("phone", ["+34 (600) 123-456", "600123456", "(555) 010-9999"])
def test_a_phone_number_is_kept(alice: Patient, bob: User, phone: str) -> None:
    assert (
        post(
            client_for(bob), alice, "settings", {"contact_phone": phone, "reason": REASON}
        ).status_code
        == 302
    )
    alice.refresh_from_db()
    assert alice.contact_phone == phone


@pytest.mark.parametrize("phone", ["call me", "12", "+34 600 123 456 ext. 2", "9" * 40])
def test_a_phone_that_is_not_a_number_is_refused(alice: Patient, bob: User, phone: str) -> None:
    response = post(client_for(bob), alice, "settings", {"contact_phone": phone, "reason": REASON})
    assert response.status_code == 400
    assert "Phone: use digits, spaces, +, - and parentheses only" in page(response)


def test_settings_sent_twice_change_once(alice: Patient, bob: User) -> None:
    client = client_for(bob)
    data = {"contact_phone": "600 123 456", "usual_leg_pain": "5", "reason": REASON}
    post(client, alice, "settings", data)
    entries = AuditEntry.objects.filter(patient=alice, action=AuditEntry.CHANGE)
    assert sorted(entry.what for entry in entries) == [
        f"contact phone none → 600 123 456: {REASON}",
        f"usual leg pain none → 5: {REASON}",
    ]
    response = post(client, alice, "settings", data)
    assert entries.count() == 2
    assert "Nothing changed." in page(client.get(response["Location"]))


def test_a_long_reason_is_kept_whole_in_the_audit(alice: Patient, bob: User) -> None:
    reason = "x" * REASON_MAX
    data = {"contact_phone": "+34 (600) 123-456-789", "usual_back_pain": "10", "reason": reason}
    post(client_for(bob), alice, "settings", data)
    entries = AuditEntry.objects.filter(patient=alice, action=AuditEntry.CHANGE)
    assert entries.count() == 2
    assert all(entry.what.endswith(reason) for entry in entries)
