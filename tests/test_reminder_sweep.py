"""The minute sweep: each reminder is sent once, at the session time in the patient's own
zone, even when the sweep runs twice, late or on two workers; none on a day the session is
done, on a day off, or while the programme is paused; and nothing of health in it."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from stenosis_coach.jobs.schedule import JOBS, MINUTE
from stenosis_coach.jobs.testing import run_queued_jobs
from stenosis_coach.patients.actions import record_screening, request_screening
from stenosis_coach.patients.models import Patient
from stenosis_coach.reminders import actions
from stenosis_coach.reminders.models import ReminderPlan, SentReminder
from stenosis_coach.reminders.sweep import send_due_reminders
from tests.patient_pages import ALL_CLEAR, do_session, ready

MADRID = ZoneInfo("Europe/Madrid")
PUSH_TASK = "stenosis_coach.reminders.tasks.send_push_reminder"


def tomorrow_at(hour: int, minute: int = 0, *, days: int = 1) -> dt.datetime:
    """A moment on a later day in Madrid (after the settings were saved, now)."""
    day = timezone.now().astimezone(MADRID).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=MADRID)


@pytest.fixture
def rosa(dave: Patient) -> Patient:
    """In Madrid, with e-mail reminders at 9:00 every day."""
    ready(dave)
    dave.user.email = "rosa@example.com"
    dave.user.save()
    dave.time_zone = "Europe/Madrid"
    dave.save()
    actions.do_save_reminders(dave, times=[dt.time(9, 0)], weekdays=range(7), by_email=True)
    return dave


@pytest.fixture
def sent(django_capture_on_commit_callbacks: Any) -> Any:
    """`sent(now)`: run the sweep at `now` as the worker does (what it queues is queued when
    it commits); the (way, time) of each reminder it sent."""

    def sweep(now: dt.datetime) -> list[tuple[str, dt.datetime]]:
        with django_capture_on_commit_callbacks(execute=True):
            return [(s.channel, s.due_at) for s in send_due_reminders(now)]

    return sweep


def test_the_sweep_runs_every_minute() -> None:
    job = JOBS["reminders.sweep"]
    assert job.every == MINUTE
    assert job.task_path == "stenosis_coach.reminders.tasks.send_due_reminders"


def test_an_email_at_the_time_in_the_patients_zone(rosa: Patient, sent: Any) -> None:
    assert sent(tomorrow_at(8, 59)) == []
    due = tomorrow_at(9, 0)
    assert sent(due + dt.timedelta(seconds=20)) == [("email", due.astimezone(dt.UTC))]
    assert mail.outbox == []  # the worker sends it
    run_queued_jobs()
    [message] = mail.outbox
    assert message.to == ["rosa@example.com"]
    assert message.subject == "Time to do your exercises"
    assert "It is 09:00: time for your exercises." in message.body
    assert "http://127.0.0.1:8000/today/" in message.body
    assert "http://127.0.0.1:8000/settings/reminders/" in message.body


def test_run_twice_or_late_it_is_sent_once(rosa: Patient, sent: Any) -> None:
    due = tomorrow_at(9, 0)
    assert len(sent(due)) == 1
    assert sent(due) == []
    assert sent(due + dt.timedelta(minutes=30)) == []
    run_queued_jobs()
    assert len(mail.outbox) == 1
    assert SentReminder.objects.filter(patient=rosa).count() == 1


@pytest.mark.parametrize(("late", "expected"), [(59, 1), (61, 0)])
def test_a_late_sweep_sends_within_the_hour(
    rosa: Patient, late: int, expected: int, sent: Any
) -> None:
    assert len(sent(tomorrow_at(9, 0) + dt.timedelta(minutes=late))) == expected


def test_a_late_evening_time_is_still_sent_after_midnight(rosa: Patient, sent: Any) -> None:
    actions.do_save_reminders(rosa, times=[dt.time(23, 30)], weekdays=range(7), by_email=True)
    assert len(sent(tomorrow_at(0, 10, days=2))) == 1


def test_no_reminder_once_the_session_is_done(rosa: Patient, sent: Any) -> None:
    now = tomorrow_at(9, 5)
    record = do_session(rosa)
    record.started_at = now - dt.timedelta(hours=2)  # 7:05 that morning
    record.save()
    assert sent(now) == []


def test_the_second_reminder_skips_only_when_two_are_done(rosa: Patient, sent: Any) -> None:
    version = rosa.prescriptions.latest("number")
    version.sessions_per_day = 2
    version.save()
    actions.do_save_reminders(
        rosa, times=[dt.time(9), dt.time(15)], weekdays=range(7), by_email=True
    )
    afternoon = tomorrow_at(15, 1)
    first = do_session(rosa)
    first.started_at = tomorrow_at(9, 10)
    first.save()
    assert len(sent(afternoon)) == 1  # one done, two due
    second = do_session(rosa)
    second.started_at = tomorrow_at(10, 0)
    second.save()
    assert sent(tomorrow_at(15, 1, days=2)) == [
        ("email", tomorrow_at(15, 0, days=2).astimezone(dt.UTC))
    ]  # the next day: none done yet
    SentReminder.objects.all().delete()
    assert sent(afternoon) == []  # two done that day


def test_no_reminder_on_a_day_off(rosa: Patient, sent: Any) -> None:
    day_off = tomorrow_at(9, 0).weekday()
    others = [d for d in range(7) if d != day_off]
    actions.do_save_reminders(rosa, times=[dt.time(9)], weekdays=others, by_email=True)
    assert sent(tomorrow_at(9, 0)) == []
    assert len(sent(tomorrow_at(9, 0, days=2))) == 1


def test_no_reminder_while_the_programme_is_paused(rosa: Patient, sent: Any) -> None:
    request_screening(rosa)  # new leg symptoms: the red-flag check comes first
    assert sent(tomorrow_at(9, 0)) == []
    record_screening(rosa, {**ALL_CLEAR, next(iter(ALL_CLEAR)): True})
    assert sent(tomorrow_at(9, 0, days=2)) == []


def test_a_time_set_after_it_passed_waits_for_the_next_day(rosa: Patient, sent: Any) -> None:
    now = tomorrow_at(9, 20)
    with timezone.override(dt.UTC):
        ReminderPlan.objects.filter(patient=rosa).update(times_changed_at=now)
    assert sent(now) == []
    assert len(sent(tomorrow_at(9, 20, days=2))) == 1


def test_the_wall_clock_time_holds_across_summer_time(rosa: Patient, sent: Any) -> None:
    # Madrid moves its clocks to summer time on Sunday 28 March 2027.
    winter = dt.datetime(2027, 3, 27, 9, tzinfo=MADRID)
    summer = dt.datetime(2027, 3, 28, 9, tzinfo=MADRID)
    assert sent(winter) == [("email", dt.datetime(2027, 3, 27, 8, tzinfo=dt.UTC))]
    assert sent(summer) == [("email", dt.datetime(2027, 3, 28, 7, tzinfo=dt.UTC))]


def test_push_reminders_go_to_the_job_runner(rosa: Patient, sent: Any) -> None:
    ReminderPlan.objects.filter(patient=rosa).update(by_email=False, by_push=True)
    due = tomorrow_at(9, 0)
    assert sent(due) == [("push", due.astimezone(dt.UTC))]
    [job] = DBTaskResult.objects.filter(task_path=PUSH_TASK)
    assert job.args_kwargs["kwargs"] == {
        "patient_id": rosa.pk,
        "due_at": due.astimezone(dt.UTC).isoformat(),
    }
    assert sent(due) == []
    assert DBTaskResult.objects.filter(task_path=PUSH_TASK).count() == 1


def test_nothing_is_sent_with_reminders_off(rosa: Patient, sent: Any) -> None:
    actions.do_save_reminders(rosa, times=[dt.time(9)], weekdays=range(7), by_email=False)
    assert sent(tomorrow_at(9, 0)) == []


def test_no_email_address_no_email(rosa: Patient, sent: Any) -> None:
    rosa.user.email = ""
    rosa.user.save()
    assert sent(tomorrow_at(9, 0)) == []


def test_the_email_is_in_the_patients_language(rosa: Patient, sent: Any) -> None:
    rosa.language = "es"
    rosa.save()
    sent(tomorrow_at(9, 0))
    run_queued_jobs()
    assert mail.outbox[0].subject == "Hora de hacer sus ejercicios"


def test_nothing_of_health_in_the_email(rosa: Patient, sent: Any) -> None:
    rosa.usual_leg_pain = 7
    rosa.save()
    do_session(rosa, leg_before=6, days_ago=1)
    sent(tomorrow_at(9, 0))
    run_queued_jobs()
    text = (mail.outbox[0].subject + mail.outbox[0].body).lower()
    for word in ("pain", "stenosis", "sciatica", "leg", "knees", "tilt", "curl", "6/10"):
        assert word not in text, word


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_send_once(dave: Patient) -> None:
    ready(dave)
    dave.user.email = "rosa@example.com"
    dave.user.save()
    dave.time_zone = "Europe/Madrid"
    dave.save()
    actions.do_save_reminders(dave, times=[dt.time(9, 0)], weekdays=range(7), by_email=True)
    due = tomorrow_at(9, 0)
    start = threading.Barrier(2)
    counts: list[int] = []

    def worker() -> None:
        try:
            start.wait()
            counts.append(len(send_due_reminders(due)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(counts) == [0, 1]
    assert SentReminder.objects.count() == 1
