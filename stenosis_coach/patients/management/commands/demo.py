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
from stenosis_coach.outcomes.models import FunctionCheck
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
        parser.add_argument("--days", type=int, default=21, help="days of history (1-90)")
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
        if not 1 <= days <= 90:
            raise CommandError("--days must be from 1 to 90")
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


def fill_history(patient: Patient, days: int, rng: random.Random) -> None:
    """Onboarding answers, then a session most days with pain easing slowly, a walk each
    week and a function check every two weeks."""
    now = timezone.now()
    actions.record_screening(patient, {q.id: False for q in red_flag_questions()})
    actions.set_diagnosis(patient, True)
    actions.set_usual_pain(patient, leg_pain=6, back_pain=4)
    actions.set_usual_walking(patient, 6)
    first, second = ACTIVITIES.get(patient.language, ACTIVITIES["en"])
    start_function_tracking(patient, [(first, 3), (second, 4)])
    actions.finish_onboarding(patient, dt.time(9, 0))
    backdate(patient, now - dt.timedelta(days=days))
    for day in range(days, 0, -1):
        when = now - dt.timedelta(days=day) + dt.timedelta(hours=rng.randint(0, 3))
        leg = max(0, min(10, round(6 - (days - day) * 3 / days) + rng.choice((-1, 0, 0, 1))))
        if rng.random() < 0.85:
            record_session(patient, parse_session_upload(session(patient, when, leg, rng)))
            # A version the engine made just now belongs to this (back-dated) session.
            patient.prescriptions.filter(created_at__gt=when).update(created_at=when)
        if day % 7 == 0:
            minutes = Decimal(6 + (days - day) // 3 + rng.randint(0, 2))
            walk = record_walking_test(patient, minutes=minutes, stopped_by_symptoms=True)
            walk.taken_at = when
            walk.save(update_fields=["taken_at"])
        if day % 14 == 0 and day != days:
            scores = {a.pk: min(10, 4 + (days - day) // 7) for a in patient.activities.all()}
            check = record_function_check(patient, scores, FunctionCheck.Impression.A_LITTLE_BETTER)
            check.taken_at = when
            check.save(update_fields=["taken_at"])
    # Leave the latest screening fresh, so Today does not ask for the weekly check.
    patient.screenings.update(taken_at=now - dt.timedelta(days=1))


def session(patient: Patient, when: dt.datetime, leg: int, rng: random.Random) -> dict[str, Any]:
    """Now and then (1 in 25) an exercise stops because it made the leg pain worse."""
    return demo_session_payload(patient, when, leg, minutes=10, stops=lambda _: rng.random() < 0.04)


def backdate(patient: Patient, when: dt.datetime) -> None:
    """Make the onboarding records look as old as the history."""
    patient.screenings.update(taken_at=when)
    patient.function_checks.update(taken_at=when)
    patient.prescriptions.update(created_at=when)
    Patient.objects.filter(pk=patient.pk).update(onboarded_at=when, created_at=when)
