"""The FHIR downloads: a patient's own record (My data), a patient's record for their
therapist (the clinic patient page, audited like the PDFs), and the clinic admin's Bulk Data
export: kick-off, status (poll or DELETE) and the NDJSON files.

The bulk endpoints are for programs: every answer is JSON, and anyone but a clinic admin of
that clinic gets the same 404 (signed out too: a FHIR client cannot follow a log-in page).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from stenosis_coach.access import patient_for_staff, patient_view, staff_for, staff_view
from stenosis_coach.clinic.models import StaffMember
from stenosis_coach.exports.views import prepared
from stenosis_coach.patients.models import Patient

from . import actions, bulk, codes
from .bundle import as_json
from .models import BulkExport
from .queries import export_file, export_for, is_clinic_admin

RETRY_AFTER_SECONDS = 5


@require_GET
@never_cache
@patient_view(onboarded=False, screened=False)  # their own data, like the other downloads
def my_record(request: HttpRequest, patient: Patient) -> HttpResponse:
    return prepared(request, patient, "fhir")  # made by the worker: it holds a printed sheet


@require_GET
@never_cache
@staff_view
def patient_record(request: HttpRequest, staff: StaffMember, patient_id: int) -> HttpResponse:
    patient = patient_for_staff(request, patient_id, what="downloaded FHIR record")
    return prepared(request, patient, "fhir")


# ---------------------------------------------------------------------------------------
# Bulk Data export


def fhir_json(document: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(as_json(document), status=status, content_type=codes.FHIR_JSON)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def outcome(message: str, status: int, code: str = "invalid") -> HttpResponse:
    return fhir_json(bulk.operation_outcome(message, code), status)


def not_found() -> HttpResponse:
    return outcome(_("There is nothing here for you."), 404, "not-found")


BulkView = Callable[..., HttpResponse]


def staff_api(view: BulkView) -> BulkView:
    """The view gets the signed-in staff member (each view then asks for a clinic admin of
    the clinic, through is_clinic_admin or export_for); every 404 is an OperationOutcome."""

    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, staff_for(request), *args, **kwargs)
        except Http404:
            return not_found()

    return wrapper


def status_url(request: HttpRequest, export: BulkExport) -> str:
    return request.build_absolute_uri(reverse("fhir-bulk-status", args=[export.pk]))


def accepts_fhir_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "").strip()
    return not accept or any(
        kind.split(";")[0].strip() in (codes.FHIR_JSON, "application/json", "*/*")
        for kind in accept.split(",")
    )


@require_GET
@staff_api
def kick_off(request: HttpRequest, staff: StaffMember, clinic_id: int) -> HttpResponse:
    """GET [base]/Group/<clinic>/$export: 202 with the status URL in Content-Location."""
    if not is_clinic_admin(staff, clinic_id):
        return not_found()
    if not accepts_fhir_json(request):
        return outcome(_("Ask for FHIR JSON in the Accept header."), 400)
    if "respond-async" not in request.headers.get("Prefer", ""):
        return outcome(
            _("Send the header Prefer: respond-async. Then the export runs on its own."), 400
        )
    try:
        bulk.parse_output_format(request.GET.get("_outputFormat"))
        types = bulk.parse_types(request.GET.get("_type"))
        since = bulk.parse_since(request.GET.get("_since"))
    except bulk.BulkRequestError as error:
        return outcome(str(error), 400)
    export = actions.start_bulk_export(request, staff, types=types, since=since)
    started = bulk.operation_outcome(_("The export has started."), "informational", "information")
    return fhir_json(started, 202, Content_Location=status_url(request, export))


@csrf_exempt  # DELETE from a FHIR client; a browser never sends one cross-site unasked
@require_http_methods(["GET", "DELETE"])
@staff_api
def export_status(request: HttpRequest, staff: StaffMember, export_id: str) -> HttpResponse:
    """Poll: 202 while it runs, then 200 with the manifest. DELETE: cancel or delete it."""
    export = export_for(staff, export_id)  # Http404: the wrapper's 404
    if request.method == "DELETE":
        actions.delete_bulk_export(export)
        return HttpResponse(status=202)
    if export.status == BulkExport.Status.FAILED:
        return outcome(_("The export did not work. Please start a new one."), 500, "exception")
    if export.status != BulkExport.Status.DONE:
        response = HttpResponse(status=202)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["X-Progress"] = bulk.progress(export)
        return response

    def file_url(done: BulkExport, resource_type: str) -> str:
        path = reverse("fhir-bulk-file", args=[done.pk, resource_type])
        return request.build_absolute_uri(path)

    document = bulk.manifest(export, file_url)
    return HttpResponse(json.dumps(document), content_type="application/json")


@require_GET
@staff_api
def export_download(
    request: HttpRequest, staff: StaffMember, export_id: str, resource_type: str
) -> HttpResponse:
    export = export_for(staff, export_id)
    if export.status != BulkExport.Status.DONE:
        return not_found()
    file = export_file(export, resource_type)
    return HttpResponse(file.content, content_type=codes.FHIR_NDJSON)
