"""My data: download everything, see who can see it and who has looked at it, stop sharing
it with a clinic, or delete the account and everything with it.

These pages stay open to a patient who has not finished onboarding or whose red-flag answers
paused the programme: their data is theirs to take or delete at any time.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from stenosis_coach.access import patient_view
from stenosis_coach.clinic.invitations import leave_clinic, looks_at, staff_name
from stenosis_coach.patients.models import Patient
from stenosis_coach.patients.views import posted

from . import actions
from .data import as_csv_zip, as_json
from .forms import DeleteAccountForm

any_patient = patient_view(onboarded=False, screened=False)


@any_patient
def my_data(request: HttpRequest, patient: Patient) -> HttpResponse:
    context = {
        "sharing": sharing(patient),
        # Who has looked at the data: newest first, a page at a time (?page=2 for older).
        "looks": looks_at(patient, request.GET.get("page")),
        "zone": patient.zone,
    }
    return render(request, "exports/my_data.html", context)


def sharing(patient: Patient) -> dict[str, object] | None:
    """Who can see the patient's data: their clinic and therapist, or None."""
    if patient.clinic is None:
        return None
    therapist = patient.therapist
    return {
        "clinic": patient.clinic.name,
        "therapist": staff_name(therapist) if therapist is not None else "",
        "since": patient.sharing_since,
    }


@require_http_methods(["GET", "POST"])
@any_patient
def stop_sharing(request: HttpRequest, patient: Patient) -> HttpResponse:
    """Ask once more, then stop sharing with the clinic: the therapist loses access at once."""
    shared = sharing(patient)
    if shared is None:
        return redirect("my-data")  # nothing to stop (a form sent twice, an old page)
    if request.method == "POST":
        leave_clinic(patient)
        messages.success(
            request,
            _("You stopped sharing. %(clinic)s cannot see your data any more.")
            % {"clinic": shared["clinic"]},
        )
        return redirect("my-data")
    return render(request, "exports/stop_sharing.html", {"sharing": shared})


def download(content: bytes, content_type: str, extension: str) -> HttpResponse:
    """A file to save, named with today's date so downloads on different days differ."""
    name = f"stenosis-coach-data-{timezone.localdate():%Y-%m-%d}.{extension}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@never_cache  # health data: no copies in shared caches
@any_patient
def export_json(request: HttpRequest, patient: Patient) -> HttpResponse:
    return download(as_json(patient), "application/json", "json")


@require_GET
@never_cache
@any_patient
def export_zip(request: HttpRequest, patient: Patient) -> HttpResponse:
    return download(as_csv_zip(patient), "application/zip", "zip")


@require_http_methods(["GET", "POST"])
@any_patient
def delete_account(request: HttpRequest, patient: Patient) -> HttpResponse:
    form = DeleteAccountForm(patient.user, posted(request))
    if request.method == "POST" and form.is_valid():
        actions.delete_account(patient)
        logout(request)
        response = redirect("account-deleted")
        # The browser keeps copies for offline use (pages, the plan, unsent sessions): they
        # go too, so nothing of the account is left on this device.
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
    context = {"form": form, "has_therapist": patient.therapist_id is not None}
    status = 400 if form.errors else 200
    return render(request, "exports/delete_account.html", context, status=status)


@require_GET
def account_deleted(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("my-data")
    return render(request, "exports/account_deleted.html")
