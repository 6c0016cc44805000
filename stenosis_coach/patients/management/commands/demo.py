"""Make a demo patient with a few weeks of history, to try the app or take screenshots;
with --clinic, a whole demo clinic (see stenosis_coach.clinic.demo)."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from stenosis_coach.outcomes.actions import (
    record_function_check,
    record_walking_test,
    start_function_tracking,
)
from stenosis_coach.outcomes.models import WALKING_TEST_CAP_MINUTES, FunctionCheck
from stenosis_coach.patients import actions
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import record_session
from stenosis_coach.practice.demo_sessions import demo_session_payload
from stenosis_coach.practice.uploads import parse_session_upload
from stenosis_coach.programme import red_flag_questions
from stenosis_coach.reminders.actions import do_turn_on_demo_reminders
from stenosis_coach.reminders.calendar import feed_url

# What a patient might write as hard for them, in their own words.
ACTIVITIES = {
    "en": ("Walking to the shop", "Standing to cook"),
    "es": ("Ir andando a la tienda", "Estar de pie para cocinar"),
}

MAX_DAYS = 730  # two years of history


class Command(BaseCommand):
    help = (
        "Create a demo patient with about three weeks of sessions, walks and check-ins; with "
        "--clinic, a demo clinic (an admin, two therapists, about 30 patients) instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--clinic",
            action="store_true",
            help=(
                "make a demo clinic; prints one line per account: ROLE EMAIL PASSWORD "
                "TOTP_SECRET (base32, for an authenticator app)"
            ),
        )
        parser.add_argument("--email", default="demo@example.org")
        parser.add_argument("--password", help="default: a new random password, printed")
        parser.add_argument(
            "--days", type=int, default=21, help=f"days of history (1-{MAX_DAYS}; default 21)"
        )
        parser.add_argument("--seed", type=int, default=7, help="random seed, for repeatable data")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="the patient's language (pages, plans, reasons)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["clinic"]:
            self.make_clinic(options)
            return
        email = options["email"].strip().lower()
        days = options["days"]
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days must be from 1 to {MAX_DAYS} (two years), not {days}")
        if User.objects.filter(username=email).exists():
            raise CommandError(f"{email} exists already; pick another --email")
        password = options["password"] or secrets.token_urlsafe(12)
        with transaction.atomic():
            patient = actions.sign_up(email, password, options["language"])
            fill_history(patient, days, random.Random(options["seed"]))
            reminders = do_turn_on_demo_reminders(patient)
        self.stdout.write(f"Demo patient: {email}\nPassword: {password}")
        self.stdout.write(f"Calendar: {feed_url(reminders)}")

    def make_clinic(self, options: dict[str, Any]) -> None:
        # Each account gets its own generated password.
        if options["password"]:
            raise CommandError("--password is for one demo patient; --clinic makes its own")
        from stenosis_coach.clinic.actions import ClinicError
        from stenosis_coach.clinic.demo import make_demo_clinic

        try:
            with transaction.atomic():
                _clinic, accounts = make_demo_clinic(options["seed"])
        except ClinicError as error:
            raise CommandError(str(error)) from None
        for account in accounts:
            self.stdout.write(
                f"{account.role} {account.email} {account.password} {account.totp_secret}"
            )


def fill_history(
    patient: Patient, days: int, rng: random.Random, *, adherence: float = 0.85
) -> None:
    """Onboarding answers, then `days` days of history as the patient's own uploads would
    write it: a session on most days (the chance is `adherence`), each rated and progressed
    by the engine, with its pain before and after; a timed walk each week and a function
    check every two weeks. Leg pain eases for three months, then levels off; the walks grow
    longer, then reach the test's 30-minute cap; the activity scores rise, then level off.
    The first weeks of a history are the same whatever its length."""
    now = timezone.now()
    actions.record_screening(patient, {q.id: False for q in red_flag_questions()})
    actions.set_diagnosis(patient, True)
    actions.set_usual_pain(patient, leg_pain=6, back_pain=4)
    actions.set_usual_walking(patient, 6)
    first, second = ACTIVITIES.get(patient.language, ACTIVITIES["en"])
    start_function_tracking(patient, [(first, 3), (second, 4)])
    actions.finish_onboarding(patient, dt.time(9, 0))
    backdate(patient, now - dt.timedelta(days=days))
    activities = list(patient.activities.all())
    for day in range(days, 0, -1):
        when = now - dt.timedelta(days=day) + dt.timedelta(hours=rng.randint(0, 3))
        elapsed = days - day
        leg = max(0, min(10, round(leg_pain(elapsed, days)) + rng.choice((-1, 0, 0, 1))))
        if rng.random() < adherence:
            # Once the pain has eased, an exercise makes it worse less often (two in a row
            # pause it until a therapist lifts the pause, which no one does here), and the
            # patient answers the player's question whether the back stayed flat in the
            # pelvic tilt, which opens the march.
            eased = elapsed >= EASING_DAYS
            payload = session(
                patient,
                when,
                leg,
                rng,
                worse_chance=WORSE_CHANCE_EASED if eased else WORSE_CHANCE,
                back_flat=eased,
            )
            upload = parse_session_upload(payload)
            progression = record_session(patient, upload).progression
            if progression is not None and progression.changed:
                # The version the engine made just now belongs to this (back-dated) session.
                patient.prescriptions.filter(created_at__gt=when).update(created_at=when)
        if day % 7 == 0:
            minutes = Decimal(walk_minutes(elapsed, rng))
            walk = record_walking_test(patient, minutes=minutes, stopped_by_symptoms=True)
            walk.taken_at = when
            walk.save(update_fields=["taken_at"])
        if day % 14 == 0 and day != days:
            scores = {a.pk: activity_score(elapsed, rng) for a in activities}
            check = record_function_check(patient, scores, FunctionCheck.Impression.A_LITTLE_BETTER)
            check.taken_at = when
            check.save(update_fields=["taken_at"])
    # Leave the latest screening fresh, so Today does not ask for the weekly check.
    patient.screenings.update(taken_at=now - dt.timedelta(days=1))


# How a long history goes. Leg pain eases from 6 to 3 over EASING_DAYS (or over the whole
# history, when shorter), then stays about 3. The timed walk gains a minute every three days
# for FAST_WALK_DAYS, then a minute a month, up to the test's cap, with a shorter walk on a
# bad week now and then. The activity scores rise a point a week for six weeks, then stay
# about 9. An exercise makes the leg pain worse in 1 session in 25 at first, 1 in 100 once
# the pain has eased, when the march opens too. Before those turns the figures (and the
# random numbers drawn) are the ones of a short history, so that a history of a few weeks
# is the same as it always was.
EASING_DAYS = 90
FAST_WALK_DAYS = 60
FAST_SCORE_DAYS = 42
WORSE_CHANCE = 0.04
WORSE_CHANCE_EASED = 0.01
BACK_FLAT_EXERCISE = "pelvic-tilt"  # the march needs it done with the back kept flat


def leg_pain(elapsed: int, days: int) -> float:
    span = min(days, EASING_DAYS)
    return 6 - min(elapsed, span) * 3 / span


def walk_minutes(elapsed: int, rng: random.Random) -> int:
    """Whole minutes, never over the walking test's cap."""
    if elapsed <= FAST_WALK_DAYS:
        return min(WALKING_TEST_CAP_MINUTES, 6 + elapsed // 3 + rng.randint(0, 2))
    gained = FAST_WALK_DAYS // 3 + (elapsed - FAST_WALK_DAYS) // 30
    minutes = 6 + gained + rng.randint(0, 2)
    if rng.random() < 0.15:  # a bad week
        minutes -= rng.randint(2, 6)
    return min(WALKING_TEST_CAP_MINUTES, minutes)


def activity_score(elapsed: int, rng: random.Random) -> int:
    if elapsed < FAST_SCORE_DAYS:
        return min(10, 4 + elapsed // 7)
    return rng.choice((8, 9, 9, 10))


def session(
    patient: Patient,
    when: dt.datetime,
    leg: int,
    rng: random.Random,
    *,
    worse_chance: float = WORSE_CHANCE,
    back_flat: bool = False,
) -> dict[str, Any]:
    """Now and then (`worse_chance`, 1 in 25) an exercise stops because it made the leg
    pain worse. back_flat: a pelvic tilt done in full was done with the back kept flat."""
    payload = demo_session_payload(
        patient, when, leg, minutes=10, stops=lambda _: rng.random() < worse_chance
    )
    if back_flat:
        for result in payload["results"]:
            if result["exercise_id"] == BACK_FLAT_EXERCISE and result["completed"]:
                result["kept_back_flat"] = True
    return payload


def backdate(patient: Patient, when: dt.datetime) -> None:
    """Make the onboarding records look as old as the history."""
    patient.screenings.update(taken_at=when)
    patient.function_checks.update(taken_at=when)
    patient.prescriptions.update(created_at=when)
    Patient.objects.filter(pk=patient.pk).update(onboarded_at=when, created_at=when)
