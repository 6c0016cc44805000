"""History: every session the patient has done, newest first, and one session in detail."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stenosis_coach.access import get_owned, patient_view
from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.patients.models import Patient
from stenosis_coach.programme import Light, StopReason, dose_label, load_catalogue
from stenosis_coach.programme.records import Cause

from .history import patient_sessions
from .models import ExerciseResult, SessionRecord

SESSIONS_PER_PAGE = 20

LIGHT_WORDS = {Light.GREEN: "Green", Light.AMBER: "Amber", Light.RED: "Red"}

# Why an exercise got its light, told to the patient (records.rate_result has the rules).
CAUSE_WORDS = {
    Cause.HURT: "It hurt, or it made your leg pain worse.",
    Cause.NOT_FINISHED: "You did not finish it.",
    Cause.PAIN_ROSE: "Your leg pain went up by 2 or more points in this session.",
    Cause.PAIN_NEXT_DAY: "Your leg pain was higher at the start of your next session.",
    Cause.WENT_WELL: "You finished it with no extra pain.",
}

STOP_WORDS = {
    StopReason.LEG_PAIN: "Stopped: your leg pain got worse",
    StopReason.BACK_PAIN: "Stopped: your back hurt",
    StopReason.OTHER_PAIN: "Stopped: it hurt in another way",
    StopReason.SKIPPED: "Skipped",
}


@dataclass(frozen=True)
class ResultView:
    """One exercise of a session, in words."""

    name: str
    dose: str
    outcome: str  # done, skipped or stopped, and why
    light: str  # "green", "amber" or "red"; "" before the session is rated
    light_word: str
    cause: str


@dataclass(frozen=True)
class SessionView:
    session: SessionRecord
    pain: list[str]  # "Leg pain: 5 before, 3 after." and the same for the back
    results: list[ResultView]


@patient_view()
def history(request: HttpRequest, patient: Patient) -> HttpResponse:
    newest_first = patient_sessions(patient)[::-1]
    page = Paginator(newest_first, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "sessions": [session_view(session, patient.language) for session in page],
    }
    return render(request, "practice/history.html", context)


@patient_view()
def session_detail(request: HttpRequest, patient: Patient, uuid: UUID) -> HttpResponse:
    # Results come in the order they are done (ExerciseResult's default ordering).
    sessions = SessionRecord.objects.prefetch_related("results", "pain_checkins")
    session = get_owned(sessions, patient, uuid=uuid)
    context = {"view": session_view(session, patient.language)}
    return render(request, "practice/history_detail.html", context)


def session_view(session: SessionRecord, locale: str) -> SessionView:
    return SessionView(
        session=session,
        pain=pain_words(session),
        results=[result_view(result, locale) for result in session.results.all()],
    )


def pain_words(session: SessionRecord) -> list[str]:
    checkins = {checkin.moment: checkin for checkin in session.pain_checkins.all()}
    before = checkins.get(PainCheckIn.Moment.BEFORE)
    after = checkins.get(PainCheckIn.Moment.AFTER)
    if before is None:
        return []
    if after is None:
        return [
            f"Leg pain: {before.leg_pain} before.",
            f"Back pain: {before.back_pain} before.",
        ]
    return [
        f"Leg pain: {before.leg_pain} before, {after.leg_pain} after.",
        f"Back pain: {before.back_pain} before, {after.back_pain} after.",
    ]


def result_view(result: ExerciseResult, locale: str) -> ResultView:
    catalogue = load_catalogue()
    light = Light(result.light) if result.light else None
    return ResultView(
        name=catalogue.get(result.exercise_id).text(locale).name,
        dose=dose_label(result.dose, catalogue, locale),
        outcome=outcome_words(result),
        light=light.value if light else "",
        light_word=LIGHT_WORDS[light] if light else "Not rated yet",
        cause=CAUSE_WORDS[Cause(result.light_cause)] if result.light_cause else "",
    )


def outcome_words(result: ExerciseResult) -> str:
    if result.completed:
        return "Done, but it hurt or made your leg worse" if result.worse else "Done"
    if result.stop_reason:
        return STOP_WORDS[StopReason(result.stop_reason)]
    return "Not finished"
