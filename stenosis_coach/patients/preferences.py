"""The settings page: the language, spoken steps and beeps, and the time zone; the exercise
times and reminders have their own page (reminders/views.py), summed up here. The player
reads voice_on and beeps_on from the plan (/api/plan/). The browser's time zone comes in
at sign-up, or for a patient who has none yet, once from the next page they open (zone.js
posts it to `browser_zone`)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stenosis_coach.access import patient_view
from stenosis_coach.clinic.two_step import ConfirmForm
from stenosis_coach.clinic.two_step_devices import app_device
from stenosis_coach.practice.api import patient_api
from stenosis_coach.reminders.words import summary as reminders_summary

from . import actions
from .forms import SettingsForm, is_known_zone, zone_label
from .language import SESSION_KEY, supported
from .models import Patient


@transaction.atomic
def save_settings(
    patient: Patient,
    *,
    language: str,
    voice_on: bool,
    beeps_on: bool,
    time_zone: str = "",
) -> None:
    """The patient's settings, all at once. The language is saved as the language switch
    saves it (actions.set_language); no time zone ("") keeps the one there is."""
    if language != patient.language:
        actions.set_language(patient, language)
    if time_zone:
        actions.set_time_zone(patient, time_zone)
    patient.voice_on, patient.beeps_on = voice_on, beeps_on
    patient.save(update_fields=["voice_on", "beeps_on"])


def current_settings(patient: Patient) -> dict[str, Any]:
    """The form's answers as saved now."""
    return {
        "language": supported(patient.language) or patient.language,
        "voice_on": "on" if patient.voice_on else "off",
        "beeps_on": "on" if patient.beeps_on else "off",
        "time_zone": patient.time_zone,
    }


def settings_now(patient: Patient) -> list[str]:
    """What is set now, in plain words."""
    return [
        _("Each step is said out loud.")
        if patient.voice_on
        else _("The steps are not said out loud."),
        _("You hear beeps in the last seconds of a hold.")
        if patient.beeps_on
        else _("There are no beeps."),
        _("Your time zone is %(zone)s.") % {"zone": zone_label(patient.time_zone)}
        if patient.time_zone
        else _("We do not know your time zone yet."),
    ]


@require_http_methods(["GET", "POST"])
@patient_view(screened=False)
def settings_page(request: HttpRequest, patient: Patient) -> HttpResponse:
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        initial=current_settings(patient),
        current_zone=patient.time_zone,
    )
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        save_settings(
            patient,
            language=language,
            voice_on=form.cleaned_data["voice_on"],
            beeps_on=form.cleaned_data["beeps_on"],
            time_zone=form.cleaned_data["time_zone"],
        )
        # As the language switch does: the session keeps the patient's language, and the
        # middleware sets the cookie to match, so the next page is in the new language.
        request.session[SESSION_KEY] = language
        with translation.override(language):
            messages.success(request, _("Your settings are saved."))
        return redirect("settings")
    context = {
        "form": form,
        "now": settings_now(patient),
        "reminders": reminders_summary(patient),
        "two_step_on": app_device(patient.user) is not None,
        "two_step_codes_form": ConfirmForm(prefix="codes"),
        "two_step_off_form": ConfirmForm(prefix="off"),
    }
    status = 400 if form.errors else 200
    return render(request, "patients/settings.html", context, status=status)


# A zone name is short: anything bigger is not what zone.js sends.
MAX_ZONE_BODY_BYTES = 1024


@require_POST
@patient_api
def browser_zone(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The browser's time zone, for a patient who has none yet: {"time_zone": "Europe/Madrid"}
    as JSON, or time_zone=... as a form. 204 when taken (or when the patient already has a
    zone, which is kept); 400 for a name that is not a time zone."""
    if len(request.body) > MAX_ZONE_BODY_BYTES:
        return JsonResponse({"error": _("This is too big to be a time zone.")}, status=413)
    zone = sent_zone(request)
    if not is_known_zone(zone):
        return JsonResponse({"error": _("This is not a time zone we know.")}, status=400)
    actions.record_browser_zone(patient, str(zone))
    return HttpResponse(status=204)


def sent_zone(request: HttpRequest) -> object:
    """The time_zone sent, as JSON or as a form field (None if there is none)."""
    if request.content_type != "application/json":
        return request.POST.get("time_zone")
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):
        return None
    return data.get("time_zone") if isinstance(data, dict) else None
