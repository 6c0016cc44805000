"""`stenosis-coach demo --clinic`: a demo clinic made through the real actions.

A clinic, its admin and two therapists, and about 30 patients who joined through a
therapist's invitation code and have up to 8 weeks of history: sessions uploaded as the
player uploads them (with their past times), walking tests, function checks and red-flag
screenings. Between them the histories raise every rule in clinic.rules.RULES (the
actions fire the checks, as they do for real patients), and others show patients doing
well, inactive ones, and one on a three-days-a-week schedule.

Each account gets a generated password and an authenticator-app secret (two-step
sign-in): `make_demo_clinic` returns (role, e-mail, password, TOTP secret) for each, for
the command to print.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from stenosis_coach.outcomes.actions import (
    record_function_check,
    record_walking_test,
    start_function_tracking,
)
from stenosis_coach.outcomes.models import FunctionCheck
from stenosis_coach.patients import actions as patient_actions
from stenosis_coach.patients.models import Clinic, Patient
from stenosis_coach.practice.actions import record_session
from stenosis_coach.practice.demo_sessions import demo_session_payload
from stenosis_coach.practice.uploads import parse_session_upload
from stenosis_coach.programme import Schedule, red_flag_questions
from stenosis_coach.reminders.actions import do_turn_on_demo_reminders

from . import triage
from .actions import ClinicError, add_clinic, add_staff_member
from .invitations import accept_invitation, create_invitation
from .models import StaffMember
from .patient_actions import do_send_message, do_set_schedule
from .two_step_devices import set_up_for_demo

CLINIC_NAME = "Demo Clinic"
# Who treats each patient: an index into STAFF (the admin treats patients too).
ADMIN, THERAPIST_1, THERAPIST_2 = 0, 1, 2
STAFF = [
    ("admin", StaffMember.ADMIN, ("Alba", "Ortiz")),
    ("therapist1", StaffMember.THERAPIST, ("Tomas", "Reyes")),
    ("therapist2", StaffMember.THERAPIST, ("Grace", "Obi")),
]

# Readable passwords: no look-alike letters (l, 1, o, 0), in groups of four.
PASSWORD_LETTERS = "abcdefghijkmnpqrstuvwxyz"
PASSWORD_GROUPS = 3

ACTIVITIES = {
    "en": ("Walking to the shop", "Standing to cook"),
    "es": ("Ir andando a la tienda", "Estar de pie para cocinar"),
}
Impression = FunctionCheck.Impression


@dataclass(frozen=True)
class Account:
    role: str  # admin, therapist or patient
    email: str
    password: str
    totp_secret: str  # base32, for an authenticator app (two-step sign-in)


@dataclass(frozen=True)
class History:
    """One demo patient's story. Days count back from now; pain, walking and function
    change in a straight line from their first value to their last."""

    first_name: str
    last_name: str
    therapist: int
    days: int  # since onboarding
    leg: tuple[int, int]  # leg pain before a session: at the start, at the last session
    usual_leg: int
    walk: tuple[float, float]  # walking-test minutes: the first weekly test, the last
    function: tuple[int, int]  # the first activity's score: at onboarding, at the last check
    last_session: int = 1  # days ago
    skip: float = 0.1  # the share of days with no session (never two in a row)
    weekdays: tuple[int, ...] | None = None  # a therapist's schedule; None: every day
    language: str = "en"
    # What happens at the end, to raise an alert: see `finish`.
    events: frozenset[str] = field(default_factory=frozenset)


def story(*args: Any, events: tuple[str, ...] = (), **kwargs: Any) -> History:
    return History(*args, events=frozenset(events), **kwargs)


# Doing well: leg pain down 2 or more points (or 30%), walking and function up.
DOING_WELL = [
    story("Maria", "Lopez", THERAPIST_1, 56, (7, 3), 6, (5, 14), (3, 7)),
    story("John", "Carter", THERAPIST_2, 49, (6, 2), 5, (6, 15), (4, 8)),
    story("Lucia", "Fernandez", THERAPIST_1, 42, (7, 4), 6, (4, 11), (2, 6), language="es"),
    story("Peter", "Novak", THERAPIST_2, 35, (6, 3), 5, (8, 16), (4, 7), skip=0.3),
    story("Amina", "Yusuf", ADMIN, 42, (7, 3), 6, (3, 9), (2, 6), skip=0.3),
    story("Henry", "Walsh", THERAPIST_1, 28, (5, 2), 4, (10, 18), (5, 8)),
]
STEADY = [
    story("Grace", "Kim", THERAPIST_2, 35, (4, 4), 4, (10, 10), (5, 5), skip=0.4),
    story("Carlos", "Ruiz", THERAPIST_1, 28, (5, 4), 5, (8, 9), (4, 5), skip=0.3, language="es"),
    story("Helen", "Brooks", THERAPIST_2, 21, (3, 3), 3, (12, 12), (6, 6), skip=0.3),
]
# A therapist set three days a week (Monday, Wednesday, Friday).
THREE_A_WEEK = [
    story("Robert", "Hughes", THERAPIST_1, 42, (6, 3), 5, (6, 12), (3, 6), weekdays=(0, 2, 4)),
]
# Inactive: no session for two weeks or more (raises no_sessions too).
INACTIVE = [
    story("Susan", "Miller", THERAPIST_2, 35, (5, 5), 5, (8, 8), (4, 4), last_session=16),
    story("David", "Okafor", THERAPIST_1, 35, (6, 5), 5, (7, 7), (4, 4), last_session=20),
    story("Elena", "Petrova", ADMIN, 28, (4, 4), 4, (9, 9), (5, 5), last_session=14, skip=0.4),
]
# Each raises one rule, at the end of a shorter story (a few sessions missed on the way).
ALERTS = [
    # red_flag: a "yes" that needs emergency care, and one that needs a doctor today.
    story("Frank", "Moore", THERAPIST_1, 21, (5, 5), 5, (8, 8), (4, 4), events=("emergency",)),
    story("Rosa", "Diaz", THERAPIST_2, 14, (4, 4), 4, (9, 9), (5, 5), events=("same_day",)),
    # new_numbness: "yes" to new numbness at the end of the last session.
    story("George", "Evans", THERAPIST_1, 21, (5, 4), 5, (8, 9), (4, 5), events=("numbness",)),
    # exercise_paused: an exercise hurt in the last two sessions.
    story("Nora", "Fischer", THERAPIST_2, 21, (5, 5), 5, (8, 8), (4, 4), events=("two_reds",)),
    story("Omar", "Haddad", ADMIN, 14, (4, 4), 4, (9, 9), (5, 5), events=("two_reds",)),
    # leg_pain_high: 8/10 before the last session; 3 above a usual of 2.
    story("Irene", "Costa", THERAPIST_1, 21, (5, 5), 5, (8, 8), (4, 4), events=("pain_8",)),
    story("Victor", "Silva", THERAPIST_2, 14, (2, 2), 2, (12, 12), (6, 6), events=("above_usual",)),
    # no_sessions: a daily schedule and no session for 5 or 6 days.
    story("Laura", "Bianchi", THERAPIST_1, 21, (4, 4), 4, (9, 9), (5, 5), last_session=6),
    story("Samuel", "Reed", THERAPIST_2, 14, (5, 5), 5, (8, 8), (4, 4), last_session=5),
    # leg_pain_rising: up 4 points over three weeks (never 3 above the usual).
    story("Anna", "Berg", THERAPIST_1, 28, (2, 6), 4, (9, 9), (5, 5)),
    story("Pablo", "Moreno", THERAPIST_2, 24, (1, 5), 3, (10, 10), (5, 5), language="es"),
    # walking_down: the last walk 45% shorter than the best of the month.
    story("Clara", "Weber", THERAPIST_1, 21, (5, 5), 5, (10, 11), (4, 4), events=("walk_drop",)),
    story("Tom", "Baker", ADMIN, 14, (4, 4), 4, (12, 12), (5, 5), events=("walk_drop",)),
    # function_down: an activity's score 3 below the check before.
    story("Julia", "Rossi", THERAPIST_2, 28, (5, 5), 5, (8, 8), (5, 5), events=("function_down",)),
    # feels_worse: "much worse", "very much worse".
    story("Mark", "Taylor", THERAPIST_1, 28, (5, 5), 5, (8, 8), (4, 4), events=("much_worse",)),
    story("Ines", "Garcia", THERAPIST_2, 28, (4, 5), 4, (9, 9), (5, 5), events=("very_worse",)),
]
ALERTS = [replace(history, skip=0.3) for history in ALERTS]
# Just started: three days in.
NEW = [story("Ben", "Clarke", THERAPIST_2, 3, (5, 5), 5, (8, 8), (4, 4), skip=0.0)]

HISTORIES = DOING_WELL + STEADY + THREE_A_WEEK + INACTIVE + ALERTS + NEW


def new_password() -> str:
    """Three groups of four letters and two digits: readable aloud, 16 characters."""
    groups = ["".join(secrets.choice(PASSWORD_LETTERS) for _ in range(4)) for _ in range(3)]
    return "-".join(groups) + "-" + f"{secrets.randbelow(100):02d}"


def free_clinic_name() -> str:
    """The demo clinic's name: Demo Clinic, or Demo Clinic 2, 3, ... when it is taken."""
    name, number = CLINIC_NAME, 1
    while Clinic.objects.filter(name__iexact=name).exists():
        number += 1
        name = f"{CLINIC_NAME} {number}"
    return name


def as_request(user: User) -> HttpRequest:
    """A request from `user` with no address, for the actions a therapist does on the web
    (their audit entries then say who, and no "from where", as a command's do)."""
    request = HttpRequest()
    request.user = user
    return request


DEMO_MESSAGE = "Well done this week. Keep your walks short and often, and rest when you need to."


def make_demo_clinic(seed: int = 7) -> tuple[Clinic, list[Account]]:
    """The demo clinic and every account made, admin first. Call it in a transaction."""
    rng = random.Random(seed)
    clinic = add_clinic(free_clinic_name())
    domain = slugify(clinic.name) + ".example"
    accounts: list[Account] = []
    staff = [
        make_staff(clinic, f"{login}@{domain}", role, full_name, accounts)
        for login, role, full_name in STAFF
    ]
    for number, history in enumerate(HISTORIES):
        email = f"{history.first_name}.{history.last_name}@{domain}".lower()
        password = new_password()
        therapist = staff[history.therapist]
        patient = make_patient(history, email, password, therapist, rng)
        secret = set_up_for_demo(patient.user)
        accounts.append(Account("patient", email, password, secret))
        if number % 5 == 0:  # some patients have a word from their therapist on Today
            do_send_message(as_request(therapist), patient, DEMO_MESSAGE)
    # What the worker's hourly sweep would find: the patients with no session for days.
    triage.sweep_inactive()
    return clinic, accounts


def make_staff(
    clinic: Clinic, email: str, role: str, name: tuple[str, str], accounts: list[Account]
) -> User:
    try:
        user = add_staff_member(clinic, email, role=role).member.user
    except ClinicError as error:  # an account made by hand with this address
        raise ClinicError(f"{error} Remove it, or rename the clinic {clinic.name!r}.") from None
    password = new_password()
    user.first_name, user.last_name = name
    user.set_password(password)
    user.save(update_fields=["first_name", "last_name", "password"])
    accounts.append(Account(role, email, password, set_up_for_demo(user)))
    return user


def make_patient(
    history: History, email: str, password: str, therapist: User, rng: random.Random
) -> Patient:
    """Sign up, join the therapist's clinic with their code, onboard, then live the story."""
    patient = patient_actions.sign_up(email, password, history.language)
    patient.user.first_name, patient.user.last_name = history.first_name, history.last_name
    patient.user.save(update_fields=["first_name", "last_name"])
    name = f"{history.first_name} {history.last_name}"
    invitation = create_invitation(therapist, name=name)
    accept_invitation(patient, invitation.code)
    onboard(patient, history)
    if history.weekdays is not None:
        schedule = Schedule(1, frozenset(history.weekdays))
        reason = "Do your exercises on Monday, Wednesday and Friday. Rest on the other days."
        do_set_schedule(as_request(therapist), patient, schedule, reason)
    do_turn_on_demo_reminders(patient)
    backdate(patient, timezone.now() - dt.timedelta(days=history.days))
    live(patient, history, rng)
    return patient


def onboard(patient: Patient, history: History) -> None:
    patient_actions.record_screening(patient, {q.id: False for q in red_flag_questions()})
    patient_actions.set_diagnosis(patient, True)
    patient_actions.set_usual_pain(
        patient, leg_pain=history.usual_leg, back_pain=max(0, history.usual_leg - 2)
    )
    patient_actions.set_usual_walking(patient, min(30, round(history.walk[0])))
    first, second = ACTIVITIES.get(patient.language, ACTIVITIES["en"])
    start_function_tracking(patient, [(first, history.function[0]), (second, 4)])
    patient_actions.finish_onboarding(patient, dt.time(9, 0))


def backdate(patient: Patient, when: dt.datetime) -> None:
    """Make the onboarding records as old as the history (their actions take no time)."""
    patient.screenings.update(taken_at=when)
    patient.function_checks.update(taken_at=when)
    patient.prescriptions.update(created_at=when)
    Patient.objects.filter(pk=patient.pk).update(onboarded_at=when, created_at=when)
    patient.refresh_from_db()


def along(ends: tuple[float, float], done: float) -> float:
    """The value `done` (0 to 1) of the way from the first end to the last."""
    return ends[0] + (ends[1] - ends[0]) * done


def live(patient: Patient, history: History, rng: random.Random) -> None:
    """A session most days (on the schedule's weekdays), a walking test each week and a
    function check every two weeks, until the last session; then the ending."""
    now = timezone.now()
    span = max(1, history.days - history.last_session)
    days = range(history.days - 1, history.last_session - 1, -1)
    scheduled = [day for day in days if on_schedule(history, now - dt.timedelta(days=day))]
    final_two = scheduled[-2:]
    skipped_last_time = False
    for day in days:
        done = (history.days - day) / span
        when = now - dt.timedelta(days=day, hours=rng.randint(1, 3))
        if day in scheduled:
            if day in final_two or skipped_last_time or rng.random() >= history.skip:
                leg = round(along(history.leg, done))
                upload(
                    patient,
                    when,
                    leg,
                    history,
                    last=day == scheduled[-1],
                    near_end=day in final_two,
                )
                skipped_last_time = False
            else:
                skipped_last_time = True
        if (history.days - day) % 7 == 0:
            walk(patient, when, along(history.walk, done))
        if (history.days - day) % 14 == 0:
            check(patient, when, round(along(history.function, done)), trend(history))
    # The weekly red-flag check, answered by those still coming (so Today does not ask),
    # except the patient whose new numbness asks for it again: they have not answered yet.
    if history.last_session <= 2 and not history.events & {"numbness", "emergency", "same_day"}:
        patient_actions.record_screening(patient, {q.id: False for q in red_flag_questions()})
    finish(patient, history, now)


def on_schedule(history: History, moment: dt.datetime) -> bool:
    return history.weekdays is None or moment.weekday() in history.weekdays


def trend(history: History) -> int:
    better = history.leg[0] - history.leg[1]
    if better >= 3:
        return Impression.MUCH_BETTER
    if better >= 1:
        return Impression.A_LITTLE_BETTER
    return Impression.NO_CHANGE


def upload(
    patient: Patient, when: dt.datetime, leg: int, history: History, *, last: bool, near_end: bool
) -> None:
    """One session as the player uploads it, with its past times. The ending's events go
    on the last one; two reds on the last two (two in a row pause an exercise)."""
    events = history.events
    if last and "pain_8" in events:
        leg = 8
    if last and "above_usual" in events:
        leg = history.usual_leg + 3
    payload = session_payload(patient, when, leg, hurt="two_reds" in events and near_end)
    if last and "numbness" in events:
        payload["new_leg_symptoms"] = True
    record_session(patient, parse_session_upload(payload))
    # A version the engine made just now belongs to this (back-dated) session.
    patient.prescriptions.filter(created_at__gt=when).update(created_at=when)


def session_payload(
    patient: Patient, when: dt.datetime, leg: int, *, hurt: bool = False
) -> dict[str, Any]:
    """Every active exercise done in full, or (hurt) the first one stopped because it made
    the leg pain worse."""
    return demo_session_payload(
        patient, when, leg, minutes=12, stops=lambda index: hurt and index == 0
    )


def walk(patient: Patient, when: dt.datetime, minutes: float) -> None:
    record_walking_test(
        patient,
        minutes=Decimal(str(round(min(30.0, minutes), 1))),
        stopped_by_symptoms=True,
        when=when,
    )


def check(patient: Patient, when: dt.datetime | None, score: int, impression: int) -> None:
    """A two-weekly function check; `when` in the past moves it there (the action takes
    no time), None keeps it now."""
    activities = list(patient.activities.active().order_by("position"))
    scores = {activities[0].pk: max(0, min(10, score))}
    scores.update({activity.pk: 4 for activity in activities[1:]})
    made = record_function_check(patient, scores, impression)
    if when is not None:
        FunctionCheck.objects.filter(pk=made.pk).update(taken_at=when)


def finish(patient: Patient, history: History, now: dt.datetime) -> None:
    """The ending that raises the patient's alert: a walk, a check or a screening now."""
    events = history.events
    if "walk_drop" in events:
        walk(patient, now - dt.timedelta(hours=2), history.walk[1] * 0.55)
    last_score = history.function[1]
    if "function_down" in events:
        check(patient, None, last_score - 3, Impression.A_LITTLE_WORSE)
    if "much_worse" in events:
        check(patient, None, last_score, Impression.MUCH_WORSE)
    if "very_worse" in events:
        check(patient, None, last_score, Impression.VERY_MUCH_WORSE)
    questions = {q.id: False for q in red_flag_questions()}
    if "emergency" in events:
        patient_actions.record_screening(patient, questions | {"bladder": True})
    if "same_day" in events:
        patient_actions.record_screening(patient, questions | {"fever": True})
