"""History: every session the patient has done, newest first, and one session in detail."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from stenosis_coach.access import get_owned, patient_view
from stenosis_coach.clinic.models import Message
from stenosis_coach.clinic.patient_actions import add_session_note
from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.patients.models import Patient
from stenosis_coach.programme import Light, StopReason, dose_label, load_catalogue
from stenosis_coach.programme.records import Cause

from .history import done_counts, newest_sessions
from .models import ExerciseResult, SessionRecord

SESSIONS_PER_PAGE = 20

LIGHT_WORDS = {
    Light.GREEN: gettext_lazy("Green"),
    Light.AMBER: gettext_lazy("Amber"),
    Light.RED: gettext_lazy("Red"),
}

# Why an exercise got its light, told to the patient (records.rate_result has the rules).
CAUSE_WORDS = {
    Cause.HURT: gettext_lazy("It hurt, or it made your leg pain worse."),
    Cause.NOT_FINISHED: gettext_lazy("You did not finish it."),
    Cause.PAIN_ROSE: gettext_lazy("Your leg pain went up by 2 or more points in this session."),
    Cause.PAIN_NEXT_DAY: gettext_lazy(
        "Your leg pain was higher at the start of your next session."
    ),
    Cause.WENT_WELL: gettext_lazy("You finished it with no extra pain."),
}

STOP_WORDS = {
    StopReason.LEG_PAIN: gettext_lazy("Stopped: your leg pain got worse"),
    StopReason.BACK_PAIN: gettext_lazy("Stopped: your back hurt"),
    StopReason.OTHER_PAIN: gettext_lazy("Stopped: it hurt in another way"),
    StopReason.SKIPPED: gettext_lazy("Skipped"),
}


@dataclass(frozen=True)
class ResultView:
    """One exercise of a session, in words."""

    name: str
    dose: str
    done: str  # how much of the dose was done, such as "3 of 8 reps"
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
    # The database gives one page of sessions (and their results and pain): the same few
    # queries and rows however long the history. A bad page number gives the last page.
    page = Paginator(newest_sessions(patient), SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "sessions": [session_view(session, patient.language) for session in page],
    }
    return render(request, "practice/history.html", context)


NOTE_MAX = Message._meta.get_field("body").max_length or 500


class SessionNoteForm(forms.Form):
    """The patient's note on a session, for their therapist."""

    body = forms.CharField(
        label=gettext_lazy("Your note"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Please write your note first."),
            "max_length": gettext_lazy(
                "Your note is too long. Please keep it to %(limit_value)d letters or fewer."
            ),
        },
    )


@patient_view()
def session_detail(request: HttpRequest, patient: Patient, uuid: UUID) -> HttpResponse:
    return show_session(request, patient, uuid, SessionNoteForm())


def show_session(
    request: HttpRequest, patient: Patient, uuid: UUID, form: SessionNoteForm, status: int = 200
) -> HttpResponse:
    # Results come in the order they are done (ExerciseResult's default ordering).
    sessions = SessionRecord.objects.prefetch_related("results", "pain_checkins")
    session = get_owned(sessions, patient, uuid=uuid)
    context = {
        "view": session_view(session, patient.language),
        # A note is for the therapist: only someone who has one is asked for it.
        "note_form": form if patient.clinic_id else None,
        "notes": list(session.notes.filter(to_patient=False)),
    }
    return render(request, "practice/history_detail.html", context, status=status)


@require_POST
@patient_view()
def session_note(request: HttpRequest, patient: Patient, uuid: UUID) -> HttpResponse:
    """A note on one of the patient's own sessions, for their therapist (404 for anyone
    else's session)."""
    session = get_owned(SessionRecord, patient, uuid=uuid)
    form = SessionNoteForm(request.POST)
    if patient.clinic_id is None or not form.is_valid():
        return show_session(request, patient, uuid, form, status=400)
    add_session_note(patient, session, form.cleaned_data["body"].strip())
    messages.success(request, _("Thank you. Your therapist will see your note."))
    return redirect("session-detail", uuid=session.uuid)


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
            _("Leg pain: %(before)s before.") % {"before": before.leg_pain},
            _("Back pain: %(before)s before.") % {"before": before.back_pain},
        ]
    return [
        _("Leg pain: %(before)s before, %(after)s after.")
        % {"before": before.leg_pain, "after": after.leg_pain},
        _("Back pain: %(before)s before, %(after)s after.")
        % {"before": before.back_pain, "after": after.back_pain},
    ]


def result_view(result: ExerciseResult, locale: str) -> ResultView:
    catalogue = load_catalogue()
    light = Light(result.light) if result.light else None
    return ResultView(
        name=catalogue.get(result.exercise_id).text(locale).name,
        dose=dose_label(result.dose, catalogue, locale),
        done=done_words(result),
        outcome=outcome_words(result),
        light=light.value if light else "",
        light_word=str(LIGHT_WORDS[light]) if light else _("Not rated yet"),
        cause=str(CAUSE_WORDS[Cause(result.light_cause)]) if result.light_cause else "",
    )


def done_words(result: ExerciseResult) -> str:
    """How much was done: "3 of 8 reps", with the sets when there are more than one, or the
    sets alone for timed work (the march)."""
    dose = result.dose
    reps, sets = done_counts(result)
    parts = []
    if not dose.is_timed:
        parts.append(
            ngettext("%(done)s of %(count)s rep", "%(done)s of %(count)s reps", dose.total_reps)
            % {"done": reps, "count": dose.total_reps}
        )
    if dose.is_timed or dose.sets > 1:
        parts.append(
            ngettext("%(done)s of %(count)s set", "%(done)s of %(count)s sets", dose.sets)
            % {"done": sets, "count": dose.sets}
        )
    return ", ".join(parts)


def outcome_words(result: ExerciseResult) -> str:
    if result.completed:
        return _("Done, but it hurt or made your leg worse") if result.worse else _("Done")
    if result.stop_reason:
        return str(STOP_WORDS[StopReason(result.stop_reason)])
    return _("Not finished")
