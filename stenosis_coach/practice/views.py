"""The patient's daily pages: Today and the guided session player."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from stenosis_coach.access import patient_view
from stenosis_coach.patients.models import Patient
from stenosis_coach.patients.views import screening_due

from .today import today_for


@patient_view()
def today(request: HttpRequest, patient: Patient) -> HttpResponse:
    context = {"view": today_for(patient), "screening_due": screening_due(patient)}
    return render(request, "practice/today.html", context)


@patient_view()
def session(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The guided session player. The weekly safety check comes first when it is due."""
    if screening_due(patient):
        return redirect("weekly-check")
    return render(request, "practice/session.html", {})
