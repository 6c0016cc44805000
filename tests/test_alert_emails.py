"""Alert e-mails: critical ones at once and again after a day, the others in an hourly
digest; to the right people, with no health detail, and never twice."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from stenosis_coach.clinic import notify
from stenosis_coach.clinic.models import Alert, StaffMember
from stenosis_coach.clinic.rules import RULES, describe_alert
from stenosis_coach.clinic.tasks import (
    resend_open_critical_alerts,
    send_alert_digests,
    sweep_inactive_patients,
)
from stenosis_coach.jobs.testing import run_queued_jobs
from stenosis_coach.patients.actions import record_screening
from stenosis_coach.patients.models import Patient
from tests.patient_pages import ALL_CLEAR, do_session, ready
from tests.test_triage import every_event

LINK = "http://testserver.example/clinic/?filter=alerts"


@pytest.fixture(autouse=True)
def site(settings: Any) -> None:
    settings.SITE_URL = "http://testserver.example"


@pytest.fixture
def commits(django_capture_on_commit_callbacks: Any) -> Any:
    """Run `action(...)` as a request would: its e-mails are queued when it commits."""

    def run(action: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def sent_to() -> list[list[str]]:
    return sorted(message.to for message in mail.outbox)


def red_flag(patient: Patient, commits: Any) -> Alert:
    commits(record_screening, patient, {**ALL_CLEAR, "bladder": True})
    return Alert.objects.get(patient=patient, rule="red_flag")


def slot_after(moment: dt.datetime) -> dt.datetime:
    return moment.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)


# ---------------------------------------------------------------------------------------
# Critical


def test_a_critical_alert_is_emailed_to_the_therapist_once_committed(
    alice: Patient, bob: User, erin: User, commits: Any
) -> None:
    alert = red_flag(ready(alice), commits)
    assert mail.outbox == []  # the worker sends it, not the request

    assert run_queued_jobs() == 1
    [message] = mail.outbox
    assert message.to == [bob.email]
    assert LINK in message.body
    alert.refresh_from_db()
    assert alert.notified_at is not None
    assert run_queued_jobs() == 0


def test_with_no_therapist_the_clinic_admins_are_emailed(
    alice: Patient, bob: User, erin: User, commits: Any
) -> None:
    Patient.objects.filter(pk=alice.pk).update(therapist=None)
    alice.refresh_from_db()
    red_flag(ready(alice), commits)
    run_queued_jobs()
    assert sent_to() == [[erin.email]]


def test_a_deactivated_therapist_is_not_emailed(
    alice: Patient, bob: User, erin: User, commits: Any
) -> None:
    StaffMember.objects.filter(user=bob).update(active=False)
    red_flag(ready(alice), commits)
    run_queued_jobs()
    assert sent_to() == [[erin.email]]


def test_a_patient_with_no_clinic_tells_no_one(dave: Patient, bob: User, commits: Any) -> None:
    commits(record_screening, ready(dave), {**ALL_CLEAR, "bladder": True})
    assert run_queued_jobs() == 0
    assert mail.outbox == []


def resend(commits: Any) -> None:
    commits(resend_open_critical_alerts.call, slot=timezone.now().isoformat())
    run_queued_jobs()


def test_a_critical_alert_open_for_a_day_goes_again_to_therapist_and_admins(
    alice: Patient, bob: User, erin: User, commits: Any
) -> None:
    alert = red_flag(ready(alice), commits)
    run_queued_jobs()
    mail.outbox.clear()

    Alert.objects.filter(pk=alert.pk).update(raised_at=timezone.now() - dt.timedelta(hours=23))
    resend(commits)
    assert mail.outbox == []  # not yet

    Alert.objects.filter(pk=alert.pk).update(raised_at=timezone.now() - dt.timedelta(hours=24))
    resend(commits)
    assert sent_to() == [[bob.email], [erin.email]]
    assert all("still open" in message.subject for message in mail.outbox)
    alert.refresh_from_db()
    assert alert.escalated_at is not None

    resend(commits)  # run again: sent once only
    assert len(mail.outbox) == 2


def test_an_acknowledged_critical_alert_is_not_sent_again(
    alice: Patient, bob: User, erin: User, commits: Any
) -> None:
    alert = red_flag(ready(alice), commits)
    run_queued_jobs()
    mail.outbox.clear()
    Alert.objects.filter(pk=alert.pk).update(
        raised_at=timezone.now() - dt.timedelta(days=2), acknowledged_at=timezone.now()
    )
    resend(commits)
    assert mail.outbox == []


# ---------------------------------------------------------------------------------------
# The digest


def digest(commits: Any, slot: dt.datetime) -> None:
    commits(send_alert_digests.call, slot=slot.isoformat())
    run_queued_jobs()


def test_non_critical_alerts_go_in_one_digest_an_hour(
    alice: Patient, bob: User, erin: User, commits: Any
) -> None:
    ready(alice)
    commits(do_session, alice, days_ago=2, leg_before=9)  # leg_pain_high
    commits(do_session, alice, days_ago=1, new_leg_symptoms=True)  # critical: on its own
    Alert.objects.create(
        patient=alice, rule="walking_down", severity="medium", values={}, raised_at=timezone.now()
    )
    Alert.objects.create(
        patient=alice, rule="feels_worse", severity="low", values={}, raised_at=timezone.now()
    )
    run_queued_jobs()
    mail.outbox.clear()  # the critical one

    slot = slot_after(timezone.now())
    digest(commits, slot)
    [message] = mail.outbox
    assert message.to == [bob.email]
    assert "You have 3 new alerts; log in to see them:" in message.body
    assert LINK in message.body
    assert not Alert.objects.filter(notified_at__isnull=True).exists()

    digest(commits, slot)  # the same slot again: nothing twice
    assert len(mail.outbox) == 1


def test_an_alert_raised_during_the_hour_waits_for_the_next_digest(
    alice: Patient, bob: User, commits: Any
) -> None:
    ready(alice)
    slot = slot_after(timezone.now())
    commits(do_session, alice, days_ago=1, leg_before=9)
    digest(commits, slot)
    Alert.objects.create(
        patient=alice,
        rule="feels_worse",
        severity="low",
        values={},
        raised_at=slot + dt.timedelta(minutes=5),
    )
    digest(commits, slot)  # a second run in the same hour: at most one e-mail an hour
    assert len(mail.outbox) == 1

    digest(commits, slot + dt.timedelta(hours=1))
    assert len(mail.outbox) == 2
    assert "You have 1 new alert; log in to see it:" in mail.outbox[1].body


def test_no_digest_when_there_is_nothing_new(alice: Patient, bob: User, commits: Any) -> None:
    ready(alice)
    red_flag(alice, commits)
    run_queued_jobs()
    mail.outbox.clear()
    digest(commits, slot_after(timezone.now()))
    assert mail.outbox == []


def test_a_critical_alert_is_never_in_the_digest(alice: Patient, bob: User, commits: Any) -> None:
    """Even one that found no one to e-mail when raised: the re-send after a day is its
    second chance, to the therapist and the admins."""
    Alert.objects.create(
        patient=alice,
        rule="red_flag",
        severity="critical",
        values={},
        raised_at=timezone.now(),
    )
    digest(commits, slot_after(timezone.now()))
    assert mail.outbox == []


def test_an_acknowledged_alert_is_not_in_the_digest(
    alice: Patient, bob: User, commits: Any
) -> None:
    ready(alice)
    commits(do_session, alice, days_ago=1, leg_before=9)
    Alert.objects.update(acknowledged_at=timezone.now())
    digest(commits, slot_after(timezone.now()))
    assert mail.outbox == []


# ---------------------------------------------------------------------------------------
# No health detail, anywhere


def test_no_email_holds_any_health_detail(
    alice: Patient, bob: User, erin: User, commits: Any
) -> None:
    User.objects.filter(pk=alice.user_id).update(
        first_name="Alice", last_name="Liddell", email="alice@example.org"
    )
    ready(alice)
    commits(every_event, alice)
    commits(sweep_inactive_patients.call, slot=timezone.now().isoformat())
    later = timezone.now() + dt.timedelta(days=2)
    Alert.objects.update(raised_at=timezone.now() - dt.timedelta(days=1))
    resend(commits)
    digest(commits, slot_after(later))
    run_queued_jobs()

    alerts = list(Alert.objects.filter(patient=alice))
    assert len({alert.rule for alert in alerts}) >= 8
    assert {message.subject for message in mail.outbox} >= {
        "Stenosis Coach: a new urgent alert",
        "Stenosis Coach: an urgent alert is still open",
        "Stenosis Coach: new alerts",
    }
    forbidden = ["alice", "Liddell", "/10", "min ", "%"]
    for rule in RULES.values():
        forbidden += [rule.id, str(rule.title)]
    for alert in alerts:
        forbidden += re.findall(r"[A-Za-z][a-z]{3,}", describe_alert(alert).split(" on ")[-1])
    forbidden = [word for word in forbidden if word.lower() not in ALLOWED]
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        for word in forbidden:
            assert word.lower() not in text.lower(), (word, text)
        # The only numbers: the count of new alerts (no pain, minutes or days).
        without_count = re.sub(r"You have \d+ new alert", "", text.replace(LINK, ""))
        assert not re.search(r"\d", without_count), text


# Words of the alerts' sentences that are also plain words of the e-mails.
ALLOWED = {"alert", "alerts", "new", "open", "still", "patient"}


def test_the_link_in_every_email_is_the_alerts_list(settings: Any) -> None:
    assert notify.alerts_link() == LINK
