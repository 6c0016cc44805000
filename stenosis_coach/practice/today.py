"""What the Today page shows: the session at a glance, what changed, what is due."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from stenosis_coach.clinic.models import Message
from stenosis_coach.clinic.patient_actions import mark_message_read
from stenosis_coach.clinic.patient_page import person_name
from stenosis_coach.patients.models import Patient
from stenosis_coach.programme import Action, SessionPlan, build_plan, load_catalogue

from .actions import current_prescription
from .models import PrescriptionItem, PrescriptionVersion

WALKING_TEST_INTERVAL = dt.timedelta(days=7)
# The therapist's reason for their change of the plan is shown for the first few days after
# it (or until the next version of the plan), and their latest message for two weeks.
THERAPIST_CHANGE_SHOWN = dt.timedelta(days=5)
MESSAGE_SHOWN = dt.timedelta(days=14)
FUNCTION_CHECK_INTERVAL = dt.timedelta(days=14)

# programme-facts.md: the exercises alone may not take the leg pain away, but they make it
# easier to hold a comfortable position when standing and walking. (The handout says it on
# its own, apart from the posture tips.)
EXERCISES_ALONE = _(
    "The exercises alone may not take your leg pain away. But they make it easier to stand "
    "and walk in a comfortable way."
)
# A short tip for each day, in turn. Our own words, from programme-facts.md ("Beyond the
# exercises": leaning forward and sitting ease the leg pain; what the exercises can do).
# Translated when shown.
POSTURE_TIPS = [
    _("Lean on a shopping cart or a walker as you walk. It can ease the pain in your leg."),
    _("When your leg starts to hurt on a walk, sit down for a while. The pain often eases."),
    _("A walking stick lets you lean forward a little. That can give the nerves more room."),
    _(
        "Do you have to stand for a long time? Put one foot up on a low step. It bends your low "
        "back a little."
    ),
    _("Plan your walks with places to sit on the way, like a bench or a wall."),
    _(
        "Standing very straight or leaning back can bring on leg pain. Lean forward a little "
        "instead."
    ),
    _("Short walks, more often, can be easier than one long walk."),
    EXERCISES_ALONE,
]
CHANGE_ACTIONS = {Action.UP.value, Action.DOWN.value, Action.PAUSE.value, Action.UNLOCK.value}


@dataclass(frozen=True)
class FromTherapist:
    """The therapist's own words (a message, or the reason for a change), shown as written."""

    text: str
    name: str
    at: dt.datetime


@dataclass(frozen=True)
class TodayView:
    version: PrescriptionVersion
    plan: SessionPlan
    minutes: int
    changes: list[tuple[str, str]]  # (exercise name, reason)
    on_hold: list[tuple[str, str]]
    sessions_today: int
    sessions_per_day: int
    is_session_day: bool
    walking_test_due: bool
    function_check_due: bool
    tip: str
    therapist_change: FromTherapist | None = None
    message: FromTherapist | None = None


def today_for(patient: Patient, now: dt.datetime | None = None) -> TodayView:
    now = now or timezone.now()
    version = current_prescription(patient)
    prescription = version.to_engine()
    plan = build_plan(prescription, patient.language)
    items = list(version.items.all())
    local_today = timezone.localdate(now)
    sessions_today = patient.sessions.filter(started_at__date=local_today).count()
    last_walk = patient.walking_tests.order_by("-taken_at").first()
    last_check = patient.function_checks.order_by("-taken_at").first()
    return TodayView(
        version=version,
        plan=plan,
        minutes=max(1, math.ceil(plan.total_ms / 60000)),
        # A paused exercise is told once, under "On hold", not again as a change.
        changes=[named(i, patient) for i in items if i.action in CHANGE_ACTIONS and not i.paused]
        if version.number > 1
        else [],
        on_hold=[named(i, patient) for i in items if i.paused],
        sessions_today=sessions_today,
        sessions_per_day=prescription.schedule.sessions_per_day,
        is_session_day=prescription.schedule.is_session_day(local_today),
        walking_test_due=last_walk is None or now - last_walk.taken_at >= WALKING_TEST_INTERVAL,
        function_check_due=last_check is None
        or now - last_check.taken_at >= FUNCTION_CHECK_INTERVAL,
        tip=gettext(POSTURE_TIPS[local_today.toordinal() % len(POSTURE_TIPS)]),
        therapist_change=therapist_change(version, now),
        message=therapist_message(patient, now),
    )


def therapist_change(version: PrescriptionVersion, now: dt.datetime) -> FromTherapist | None:
    """The therapist's reason, while their change is the latest version and a few days old
    at most."""
    if version.source != PrescriptionVersion.Source.THERAPIST or not version.note:
        return None
    if now - version.created_at > THERAPIST_CHANGE_SHOWN:
        return None
    return FromTherapist(version.note, person_name(version.created_by), version.created_at)


def therapist_message(patient: Patient, now: dt.datetime) -> FromTherapist | None:
    """The therapist's latest message, for two weeks; marked read the first time it is
    shown."""
    message = (
        Message.objects.filter(patient=patient, to_patient=True, sent_at__gte=now - MESSAGE_SHOWN)
        .select_related("author")
        .first()
    )
    if message is None:
        return None
    mark_message_read(message)
    return FromTherapist(message.body, person_name(message.author), message.sent_at)


def named(item: PrescriptionItem, patient: Patient) -> tuple[str, str]:
    name = load_catalogue().get(item.exercise_id).text(patient.language).name
    return name, item.reason_in(patient.language)
