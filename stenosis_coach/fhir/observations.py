"""What the patient measured: pain at each check-in (leg and back as two Observations),
each session's active time, and each timed walk."""

from __future__ import annotations

from typing import Any

from stenosis_coach.outcomes.models import PainCheckIn, WalkingTest
from stenosis_coach.practice.models import SessionRecord

from . import codes
from .entries import Entry, entry, instant, new_resource
from .people import Subject

PAIN_SIDES = (("leg", "Leg"), ("back", "Lower back"))
MOMENT_WORDS = {
    PainCheckIn.Moment.BEFORE: "before a session",
    PainCheckIn.Moment.AFTER: "after a session",
    PainCheckIn.Moment.DAILY: "on its own",
}


def observations(subject: Subject) -> list[Entry]:
    patient = subject.patient
    found: list[Entry] = []
    for checkin in patient.pain_checkins.select_related("session"):
        found.extend(pain_entries(subject, checkin))
    found.extend(session_entry(subject, session) for session in patient.sessions.all())
    found.extend(walk_entry(subject, walk) for walk in patient.walking_tests.all())
    return found


def observation(
    subject: Subject, key: tuple[object, ...], *categories: codes.Code, **content: Any
) -> dict[str, Any]:
    return new_resource(
        "Observation",
        key,
        status="final",
        category=[codes.concept(category) for category in categories],
        subject=subject.patient_ref,
        performer=[subject.patient_ref],
        **content,
    )


def pain_entries(subject: Subject, checkin: PainCheckIn) -> list[Entry]:
    """Leg pain and back pain apart: each is its own 0-10 score, with its body site."""
    moment = MOMENT_WORDS.get(PainCheckIn.Moment(checkin.moment), checkin.moment)
    # A session's check-ins arrive with it; when the upload came is when they changed.
    changed = checkin.session.received_at if checkin.session else checkin.recorded_at
    found = []
    for side, site in PAIN_SIDES:
        resource = observation(
            subject,
            ("pain", checkin.pk, side),
            codes.SURVEY,
            code=codes.concept(codes.PAIN_SCORE, text=f"{site} pain (0-10), {moment}"),
            effectiveDateTime=instant(checkin.recorded_at),
            valueQuantity=codes.quantity(getattr(checkin, f"{side}_pain"), codes.SCORE),
            bodySite={"text": site},
        )
        found.append(entry(resource, changed))
    return found


def active_minutes(session: SessionRecord) -> float:
    """The session's length without its pauses, in minutes to a tenth."""
    seconds = (session.finished_at - session.started_at).total_seconds() - session.paused_seconds
    return round(max(seconds, 0) / 60, 1)


def session_entry(subject: Subject, session: SessionRecord) -> Entry:
    resource = observation(
        subject,
        ("session", session.uuid),
        codes.ACTIVITY,
        codes.PHYSICAL_ACTIVITY,
        code=codes.concept(codes.EXERCISE_DURATION, text="Home exercise session, active time"),
        effectivePeriod={"start": instant(session.started_at), "end": instant(session.finished_at)},
        valueQuantity=codes.quantity(active_minutes(session), codes.MINUTES),
    )
    if session.gentle:
        resource["note"] = [{"text": "Gentle session: stretches only, because pain was high."}]
    return entry(resource, session.received_at)


def walk_entry(subject: Subject, walk: WalkingTest) -> Entry:
    resource = observation(
        subject,
        ("walk", walk.pk),
        codes.ACTIVITY,
        codes.PHYSICAL_ACTIVITY,
        code=codes.concept(codes.WALKING_TIME, text="Timed walk at own pace"),
        effectiveDateTime=instant(walk.taken_at),
        valueQuantity=codes.quantity(float(walk.minutes), codes.MINUTES),
        component=[
            {
                "code": codes.concept(codes.STOPPED_BY_SYMPTOMS),
                "valueBoolean": walk.stopped_by_symptoms,
            }
        ],
    )
    return entry(resource, walk.taken_at)
