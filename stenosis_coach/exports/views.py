"""My data: download everything, see who can see it and who has looked at it, stop sharing
it with a clinic, or delete the account and everything with it.

These pages stay open to a patient who has not finished onboarding or whose red-flag answers
paused the programme: their data is theirs to take or delete at any time.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from stenosis_coach.access import patient_view, requested_file
from stenosis_coach.clinic.invitations import leave_clinic, looks_at, staff_name
from stenosis_coach.limits.decorators import form_page, limit
from stenosis_coach.limits.keys import by_patient
from stenosis_coach.patients.models import Patient
from stenosis_coach.patients.views import posted

from . import actions, handout
from .data import as_csv_zip, as_json
from .forms import DeleteAccountForm
from .models import PreparedFile
from .prepared import KINDS, file_name, request_file

any_patient = patient_view(onboarded=False, screened=False)


@any_patient
def my_data(request: HttpRequest, patient: Patient) -> HttpResponse:
    context = {
        # The exercise sheet waits for onboarding and a clear safety check, like Today.
        "can_print_exercises": patient.onboarded_at is not None and not patient.stopped_by_red_flag,
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


# Each try with a password counts, so nobody at an unlocked phone can guess it here.
DELETE_TOO_MANY = form_page(
    "exports/delete_account.html",
    lambda request, patient: DeleteAccountForm(patient.user),
    lambda request, patient: {"has_therapist": patient.therapist_id is not None},
)


@require_http_methods(["GET", "POST"])
@any_patient
@limit("delete-account", by_patient, answer=DELETE_TOO_MANY)
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


def prepared(request: HttpRequest, patient: Patient, kind: str, paper: str = "") -> HttpResponse:
    """The file asked for: served at once when it is made already (nothing changed since),
    else the page that waits for the worker to make it."""
    file = request_file(patient, request.user, kind, paper)
    if file.status == PreparedFile.Status.READY:
        return serve(file)
    return redirect("prepared-file", file.pk)


def serve(file: PreparedFile) -> HttpResponse:
    """The file to save (with never_cache: private, no-store, no copy in a shared cache)."""
    response = HttpResponse(bytes(file.content or b""), content_type=KINDS[file.kind].content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name(file)}"'
    add_never_cache_headers(response)
    return response


def paper_asked(request: HttpRequest) -> str:
    """?paper=a4 or letter (A4 when not given); HandoutError for anything else."""
    return handout.paper_or_default(request.GET.get("paper"))


def printed_pdf(
    request: HttpRequest, kind: str, patient_for: Callable[[str], Patient]
) -> HttpResponse:
    """The exercise sheet or the progress summary on the paper asked for; 400 for a paper
    we do not have, before `patient_for(paper)` reads (and, for staff, audits) the patient.
    The patient's own views and the therapist's share it."""
    try:
        paper = paper_asked(request)
    except handout.HandoutError as error:
        return HttpResponseBadRequest(str(error))
    return prepared(request, patient_for(paper), kind, paper)


@require_GET
@never_cache
@patient_view()  # the exercises: only past onboarding, and not while a red flag holds them
def handout_pdf(request: HttpRequest, patient: Patient) -> HttpResponse:
    return printed_pdf(request, "exercises", lambda paper: patient)


@require_GET
@never_cache
@any_patient  # their own data, like the other downloads: also to take to a doctor
def summary_pdf(request: HttpRequest, patient: Patient) -> HttpResponse:
    return printed_pdf(request, "progress", lambda paper: patient)


# While the worker makes a file, its page looks again this often (a meta refresh: no script).
REFRESH_SECONDS = 2


@require_GET
@never_cache
@login_required
def prepared_file(request: HttpRequest, file_id: str) -> HttpResponse:
    """A file being made, made (with its download button) or failed (with a way to ask
    again), for whoever asked for it."""
    file = requested_file(request, file_id)
    context = {
        "file": file,
        "waiting": file.status == PreparedFile.Status.WAITING,
        "failed": file.status == PreparedFile.Status.FAILED,
        "refresh": REFRESH_SECONDS,
        "back": back_to(request, file),
        "own": file.patient.user_id == request.user.pk,
        "again": ask_again(request, file),
    }
    return render(request, "exports/prepared_file.html", context)


# The address that asks for each kind of file: the patient's own, and the therapist's.
ASK_AGAIN = {
    "exercises": ("handout-pdf", "clinic-patient-handout"),
    "progress": ("summary-pdf", "clinic-patient-summary"),
    "fhir": ("fhir-my-record", "fhir-patient"),
}


def back_to(request: HttpRequest, file: PreparedFile) -> str:
    """Where the person came from: their My data, or the patient's page on the clinic side."""
    if file.patient.user_id == request.user.pk:
        return reverse("my-data")
    return reverse("clinic-patient", args=[file.patient_id])


def ask_again(request: HttpRequest, file: PreparedFile) -> str:
    own, staff = ASK_AGAIN[file.kind]
    if file.patient.user_id == request.user.pk:
        url = reverse(own)
    else:
        url = reverse(staff, args=[file.patient_id])
    return f"{url}?paper={file.paper}" if file.paper else url


@require_GET
@never_cache
@login_required
def prepared_download(request: HttpRequest, file_id: str) -> HttpResponse:
    file = requested_file(request, file_id)
    if file.status != PreparedFile.Status.READY:
        return redirect("prepared-file", file.pk)
    return serve(file)
