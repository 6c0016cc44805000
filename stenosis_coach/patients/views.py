"""Accounts, onboarding and the red-flag checks. Views validate and call actions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from stenosis_coach.access import patient_view
from stenosis_coach.limits.decorators import form_page, limit, with_typed_email
from stenosis_coach.limits.keys import by_address, by_posted_email
from stenosis_coach.outcomes.actions import start_function_tracking
from stenosis_coach.programme import Outcome, evaluate_screening
from stenosis_coach.programme.safety import load_safety, tel_href, urgent_texts

from . import actions, signup_mail
from .forms import (
    ActivitiesForm,
    DiagnosisForm,
    DoctorCheckForm,
    EmailPasswordResetForm,
    PainForm,
    RedFlagForm,
    SessionTimeForm,
    SignupForm,
    WalkingForm,
)
from .language import supported
from .models import Patient
from .onboarding_answers import given_answers

SCREENING_INTERVAL = dt.timedelta(days=7)


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data, even when empty (an empty form is still a submitted form)."""
    return request.POST if request.method == "POST" else None


ONBOARDING_STEPS = ["safety", "diagnosis", "pain", "walking", "activities", "time"]


@require_http_methods(["GET", "POST"])
@limit("signup", by_address, answer=form_page("patients/signup.html", with_typed_email(SignupForm)))
def signup(request: HttpRequest) -> HttpResponse:
    if not settings.OPEN_SIGNUP:
        raise Http404("Sign-up is closed on this server")
    if request.user.is_authenticated:
        return redirect("today")
    form = SignupForm(posted(request))
    if request.method == "POST" and form.is_valid():
        email, password = form.cleaned_data["email"], form.cleaned_data["password"]
        # The same answer whether or not the e-mail has an account: the e-mail tells which.
        taken = User.objects.filter(username__iexact=email).first()
        if taken is not None:
            signup_mail.send_already_taken(taken, password)
            return redirect("signup-sent")
        # The account keeps the language the person is reading now.
        language = supported(get_language()) or settings.LANGUAGE_CODE
        patient = actions.sign_up(
            email, password, language=language, time_zone=form.cleaned_data["time_zone"]
        )
        signup_mail.send_welcome(patient.user)
        return redirect("signup-sent")
    return render(
        request, "patients/signup.html", {"form": form}, status=400 if form.errors else 200
    )


@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "patients/signup_sent.html")


# Asking for reset e-mails is limited per address and per e-mail asked for, so nobody can
# fill one person's inbox, nor try many addresses from one place.
RESET_TOO_MANY = form_page(
    "registration/password_reset_form.html", with_typed_email(EmailPasswordResetForm)
)
password_reset = limit("password-reset-address", by_address, answer=RESET_TOO_MANY)(
    limit("password-reset-email", by_posted_email, answer=RESET_TOO_MANY)(
        auth_views.PasswordResetView.as_view(
            form_class=EmailPasswordResetForm,
            subject_template_name="registration/reset_subject.txt",
            email_template_name="registration/reset_email.txt",
        )
    )
)


def next_onboarding_step(patient: Patient) -> str | None:
    """The first step not done yet, or None when onboarding is complete."""
    if not patient.screenings.exists():
        return "safety"
    if not patient.diagnosis_confirmed:
        return "diagnosis"
    if patient.usual_leg_pain is None:
        return "pain"
    if patient.usual_walking_minutes is None:
        return "walking"
    if not patient.function_checks.exists():
        return "activities"
    if patient.onboarded_at is None:
        return "time"
    return None


@patient_view(onboarded=False)
def onboarding(request: HttpRequest, patient: Patient) -> HttpResponse:
    step = None if patient.onboarded_at else next_onboarding_step(patient)
    return redirect("onboarding-step", step=step) if step else redirect("today")


@require_http_methods(["GET", "POST"])
@patient_view(onboarded=False)
def onboarding_step(request: HttpRequest, patient: Patient, step: str) -> HttpResponse:
    if step not in ONBOARDING_STEPS:
        raise Http404("No such step")
    if patient.onboarded_at is not None:
        # Closed once done: answering again would reset the start or the baseline.
        return redirect("today")
    if step == "safety":
        return red_flag_check(request, patient, onboarding=True)
    handler = STEP_HANDLERS[step]
    form, done = handler(request, patient)
    if done:
        return redirect("onboarding")
    context = {
        "form": form,
        "step": step,
        "step_number": ONBOARDING_STEPS.index(step) + 1,
        "step_count": len(ONBOARDING_STEPS),
        "back_step": ONBOARDING_STEPS[ONBOARDING_STEPS.index(step) - 1],
        "advice_no_diagnosis": load_safety().message("advice_no_diagnosis", patient.language)
        if step == "diagnosis" and patient.diagnosis_confirmed is False
        else "",
    }
    status = 400 if form.errors else 200
    return render(request, f"patients/onboarding_{step}.html", context, status=status)


def diagnosis_step(request: HttpRequest, patient: Patient) -> tuple[DiagnosisForm, bool]:
    form = DiagnosisForm(posted(request), initial=given_answers(patient, "diagnosis"))
    if request.method == "POST" and form.is_valid():
        confirmed = form.cleaned_data["diagnosis"] == "yes"
        actions.set_diagnosis(patient, confirmed)
        return form, confirmed
    return form, False


def pain_step(request: HttpRequest, patient: Patient) -> tuple[PainForm, bool]:
    form = PainForm(posted(request), initial=given_answers(patient, "pain"))
    if request.method == "POST" and form.is_valid():
        actions.set_usual_pain(patient, **form.cleaned_data)
        return form, True
    return form, False


def walking_step(request: HttpRequest, patient: Patient) -> tuple[WalkingForm, bool]:
    form = WalkingForm(posted(request), initial=given_answers(patient, "walking"))
    if request.method == "POST" and form.is_valid():
        actions.set_usual_walking(patient, form.cleaned_data["minutes"])
        return form, True
    return form, False


def activities_step(request: HttpRequest, patient: Patient) -> tuple[ActivitiesForm, bool]:
    form = ActivitiesForm(posted(request), initial=given_answers(patient, "activities"))
    if request.method == "POST" and form.is_valid():
        start_function_tracking(patient, form.activities())
        return form, True
    return form, False


def time_step(request: HttpRequest, patient: Patient) -> tuple[SessionTimeForm, bool]:
    form = SessionTimeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        actions.finish_onboarding(patient, form.chosen_time())
        return form, True
    return form, False


STEP_HANDLERS = {
    "diagnosis": diagnosis_step,
    "pain": pain_step,
    "walking": walking_step,
    "activities": activities_step,
    "time": time_step,
}


def screening_due(patient: Patient) -> bool:
    """The red-flag questions are asked again: every week, after new numbness, tingling or
    weakness in the legs (actions.request_screening), and after a red-flag hold is cleared
    (a new check must be clear before any exercise)."""
    latest = patient.latest_screening()
    if latest is None or Outcome(latest.outcome).pauses_programme:
        return True
    requested = patient.screening_requested_at
    if requested is not None and requested > latest.taken_at:
        return True
    return timezone.now() - latest.taken_at >= SCREENING_INTERVAL


def check_reason(patient: Patient) -> str:
    """Why the questions are asked now, when it is not the weekly check: "symptoms" (new
    leg symptoms at the end of a session), "cleared" (a doctor said they can go on), or ""."""
    if patient.screening_requested:
        return "symptoms"
    latest = patient.latest_screening()
    if latest is not None and Outcome(latest.outcome).pauses_programme and latest.cleared_at:
        return "cleared"
    return ""


@require_http_methods(["GET", "POST"])
@patient_view(onboarded=False, screened=False)
def weekly_check(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The red-flag questions. While a red-flag answer holds the exercises, answering "No"
    cannot lift it: the patient goes back to the advice."""
    if patient.red_flag_hold() is not None:
        return redirect("screening-result")
    return red_flag_check(request, patient, onboarding=False)


def red_flag_check(request: HttpRequest, patient: Patient, *, onboarding: bool) -> HttpResponse:
    form = RedFlagForm(posted(request), locale=patient.language)
    if request.method == "POST" and form.is_valid():
        screening = actions.record_screening(patient, form.answers())
        if Outcome(screening.outcome).pauses_programme:
            return redirect("screening-result")
        if onboarding or patient.onboarded_at is None:
            return redirect("onboarding")
        messages.success(request, load_safety().message("advice_clear", patient.language))
        return redirect("today")
    context = {
        "form": form,
        "onboarding": onboarding,
        "reason": "" if onboarding else check_reason(patient),
        "step_number": 1,
        "step_count": len(ONBOARDING_STEPS),
        "note": load_safety().message("screening_note", patient.language),
    }
    status = 400 if form.errors else 200
    return render(request, "patients/red_flags.html", context, status=status)


def emergency_call(locale: str) -> dict[str, str]:
    """The tap-to-call button for the deployment's emergency number (settings.EMERGENCY_PHONE):
    its label ("Call 911") and its link ("tel:911")."""
    phone = settings.EMERGENCY_PHONE
    return {"label": urgent_texts(locale, phone).call, "href": tel_href(phone)}


@require_http_methods(["GET", "POST"])
@patient_view(onboarded=False, screened=False)
def screening_result(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The advice after a red-flag "yes". The exercises stay on hold until the patient says
    a doctor has checked them and said they can go on (POST here, with the box ticked);
    then the questions are asked again, and a new check must be clear."""
    hold = patient.red_flag_hold()
    if hold is None:  # cleared (the questions come next), or nothing to hold
        if patient.stopped_by_red_flag:
            return redirect("weekly-check")
        return redirect("onboarding" if patient.onboarded_at is None else "today")
    form = DoctorCheckForm(posted(request))
    if request.method == "POST" and form.is_valid():
        actions.clear_red_flag_hold(patient, by="patient")
        return redirect("weekly-check")
    result = evaluate_screening(hold.answers, patient.language)
    questions = {q.id: q.text(patient.language) for q in load_safety().questions}
    emergency = result.outcome is Outcome.EMERGENCY
    context = {
        "form": form,
        "screening": hold,
        "emergency": emergency,
        "advice": result.advice,
        "call": emergency_call(patient.language) if emergency else None,
        "flagged": [questions[flag] for flag in hold.flagged if flag in questions],
        # A patient who shares with a clinic: their therapist gets an e-mail now (the
        # critical alert); the advice still comes first, as nobody may be reading it yet.
        "therapist_told": patient.clinic_id is not None,
    }
    status = 400 if form.errors else 200
    return render(request, "patients/screening_result.html", context, status=status)


@require_GET
def urgent(request: HttpRequest) -> HttpResponse:
    """What to do if an urgent sign starts, with a button that calls the emergency number.
    For anyone: logged in or not, on hold or not, onboarded or not."""
    locale = get_language() or settings.LANGUAGE_CODE
    context = {
        "urgent": urgent_texts(locale, settings.EMERGENCY_PHONE),
        "call": emergency_call(locale),
    }
    return render(request, "patients/urgent.html", context)
