"""The patient's outcome pages: Progress, the two-weekly function check and the timed walk.
Views validate and call actions; the Progress page's figures come from progress.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stenosis_coach.access import patient_view
from stenosis_coach.patients.models import Patient
from stenosis_coach.patients.views import posted

from .actions import choose_activities, record_function_check, record_walking_test
from .charts import walk_time
from .forms import FirstActivitiesForm, FunctionCheckForm, WalkingTestForm
from .models import WALKING_TEST_CAP_MINUTES, WALKING_TEST_CAP_SECONDS
from .progress import chart_for, progress_for

CUE_EVERY_MINUTES = 5


def walk_words() -> dict[str, str]:
    """What walking.js says aloud and shows on screen. Kept here so every word is on the
    server, with the rest of our words. {minutes} is filled in by the script."""
    return {
        "start": _("Start walking now, at your usual pace."),
        "cue": _("{minutes} minutes. Keep walking if you can."),
        "stopped": _("Stopped. Saving your walk."),
        "cap": _("%(minutes)s minutes. You can stop now. Well done.")
        % {"minutes": WALKING_TEST_CAP_MINUTES},
        "leave": _("Your walk is not saved yet. Leave this page?"),
    }


@patient_view()
def progress(request: HttpRequest, patient: Patient) -> HttpResponse:
    return render(request, "outcomes/progress.html", {"view": progress_for(patient)})


@patient_view()
def progress_numbers(request: HttpRequest, patient: Patient, slug: str) -> HttpResponse:
    """One chart's numbers: the tables alone for Progress's "See the numbers" to put in
    place (?part=tables, as outcomes/numbers.js asks), else a page of their own."""
    chart = chart_for(patient, slug)
    if chart is None:
        raise Http404("No such chart.")
    if request.GET.get("part") == "tables":
        return render(request, "outcomes/chart_tables.html", {"chart": chart})
    return render(request, "outcomes/numbers.html", {"chart": chart})


@require_http_methods(["GET", "POST"])
@patient_view()
def function_check(request: HttpRequest, patient: Patient) -> HttpResponse:
    """Rate each activity 0-10, and say how things are since the start. Someone who left
    the activities blank at onboarding picks them here first."""
    activities = list(patient.activities.active())
    if not activities:
        return first_activities(request, patient)
    form = FunctionCheckForm(
        posted(request),
        activities=activities,
        ask_impression=patient.function_checks.exists(),
    )
    if request.method == "POST" and form.is_valid():
        record_function_check(patient, form.scores(), form.impression())
        messages.success(request, _("Thank you. Your answers are saved."))
        return redirect("progress")
    status = 400 if form.errors else 200
    return render(request, "outcomes/function_check.html", {"form": form}, status=status)


def first_activities(request: HttpRequest, patient: Patient) -> HttpResponse:
    form = FirstActivitiesForm(posted(request))
    if request.method == "POST" and form.is_valid():
        choose_activities(patient, form.activities())
        messages.success(request, _("Thank you. We will ask about these every 2 weeks."))
        return redirect("progress")
    status = 400 if form.errors else 200
    return render(request, "outcomes/first_activities.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@patient_view()
def change_activities(request: HttpRequest, patient: Patient) -> HttpResponse:
    """A new list of hard activities, each rated now. The old ones and their scores are
    kept (retired), so Progress still shows them; one kept by name goes on as before."""
    names = {
        f"activity_{activity.position}": activity.name for activity in patient.activities.active()
    }
    form = FirstActivitiesForm(posted(request), initial=names)
    if request.method == "POST" and form.is_valid():
        choose_activities(patient, form.activities())
        messages.success(request, _("Your new list is saved. Your old answers are kept."))
        return redirect("progress")
    status = 400 if form.errors else 200
    return render(request, "outcomes/change_activities.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@patient_view()
def walking_test(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The timer page. walking.js fills in the form's hidden inputs when the walk ends."""
    form = WalkingTestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        record_walking_test(patient, **form.cleaned_data)
        return redirect("walking-test-done")
    context = {
        "form": form,
        "cap_minutes": WALKING_TEST_CAP_MINUTES,
        "cue_minutes": CUE_EVERY_MINUTES,
        "voice_on": patient.voice_on,
        "words": walk_words(),
    }
    status = 400 if form.errors else 200
    return render(request, "outcomes/walking_test.html", context, status=status)


@patient_view()
def walking_test_done(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The walk just saved, next to the one before it, each as the clock showed it."""
    walks = list(patient.walking_tests.order_by("-taken_at", "-pk")[:2])
    if not walks:
        return redirect("walking-test")
    latest, previous = walks[0], walks[1] if len(walks) > 1 else None
    context = {
        "walked": walk_time(latest.seconds),
        "full_walk": latest.seconds >= WALKING_TEST_CAP_SECONDS,
        "last_time": walk_time(previous.seconds) if previous else None,
    }
    return render(request, "outcomes/walking_test_done.html", context)
