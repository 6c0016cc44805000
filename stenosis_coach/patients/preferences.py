"""The settings page: the time of day for the exercises, the language, spoken steps and
beeps. The player reads voice_on and beeps_on from the plan (/api/plan/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from stenosis_coach.access import patient_view

from . import actions
from .forms import NO_SET_TIME, SettingsForm, as_choice
from .language import SESSION_KEY, supported
from .models import Patient

# The time of day, in plain words, by its SESSION_TIMES value.
TIME_SENTENCES = {
    "09:00": gettext_lazy("You plan to exercise in the morning."),
    "12:00": gettext_lazy("You plan to exercise at noon."),
    "15:00": gettext_lazy("You plan to exercise in the afternoon."),
    "18:00": gettext_lazy("You plan to exercise in the evening."),
    NO_SET_TIME: gettext_lazy("You have no set time to exercise."),
}


@transaction.atomic
def save_settings(
    patient: Patient,
    *,
    session_time: dt.time | None,
    language: str,
    voice_on: bool,
    beeps_on: bool,
) -> None:
    """The patient's settings, all at once. The language is saved as the language switch
    saves it (actions.set_language)."""
    if language != patient.language:
        actions.set_language(patient, language)
    patient.preferred_session_time = session_time
    patient.voice_on, patient.beeps_on = voice_on, beeps_on
    patient.save(update_fields=["preferred_session_time", "voice_on", "beeps_on"])


def current_settings(patient: Patient) -> dict[str, Any]:
    """The form's answers as saved now."""
    return {
        "time": as_choice(patient.preferred_session_time),
        "language": supported(patient.language) or patient.language,
        "voice_on": "on" if patient.voice_on else "off",
        "beeps_on": "on" if patient.beeps_on else "off",
    }


def settings_now(patient: Patient) -> list[str]:
    """What is set now, in plain words."""
    time = as_choice(patient.preferred_session_time)
    if time in TIME_SENTENCES:
        when = str(TIME_SENTENCES[time])
    else:  # a time from elsewhere than our choices
        clock = patient.preferred_session_time.strftime("%H:%M")  # type: ignore[union-attr]
        when = _("You plan to exercise at %(time)s.") % {"time": clock}
    return [
        when,
        _("Each step is said out loud.")
        if patient.voice_on
        else _("The steps are not said out loud."),
        _("You hear beeps in the last seconds of a hold.")
        if patient.beeps_on
        else _("There are no beeps."),
    ]


@require_http_methods(["GET", "POST"])
@patient_view(screened=False)
def settings_page(request: HttpRequest, patient: Patient) -> HttpResponse:
    form = SettingsForm(
        request.POST if request.method == "POST" else None, initial=current_settings(patient)
    )
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        save_settings(
            patient,
            session_time=form.chosen_time(),
            language=language,
            voice_on=form.cleaned_data["voice_on"],
            beeps_on=form.cleaned_data["beeps_on"],
        )
        # As the language switch does: the session keeps the patient's language, and the
        # middleware sets the cookie to match, so the next page is in the new language.
        request.session[SESSION_KEY] = language
        with translation.override(language):
            messages.success(request, _("Your settings are saved."))
        return redirect("settings")
    context = {"form": form, "now": settings_now(patient)}
    status = 400 if form.errors else 200
    return render(request, "patients/settings.html", context, status=status)
