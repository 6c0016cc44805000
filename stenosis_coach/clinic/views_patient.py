"""Clinic pages: one patient, seen by the therapist (/clinic/patients/<id>/), and the forms
on it: the exercises and doses, the schedule, a template, automatic progression, usual pain
and phone, clearing a red-flag hold, acknowledging an alert, a message to the patient.

Thin views: each reaches the patient through patient_for_staff (own clinic or 404, with the
READ audit entry), reads the form with prescribing.py and writes through patient_actions.py.
A form with a mistake shows the page again with the message at that form (400).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from stenosis_coach.access import patient_for_staff, staff_view
from stenosis_coach.exports.views import printed_pdf
from stenosis_coach.patients.models import Patient

from . import patient_actions as actions
from .models import Alert, PrescriptionTemplate, StaffMember
from .patient_page import patient_page
from .prescribing import (
    BUILT_IN,
    MESSAGE_MAX,
    PAIN_MAX,
    PAIN_MIN,
    REASON_MAX,
    SESSIONS_PER_DAY_MAX,
    SESSIONS_PER_DAY_MIN,
    PrescribingError,
    from_template_items,
    parse_message,
    parse_pain,
    parse_phone,
    parse_reason,
    parse_schedule,
    parse_template_name,
)

PAGE = "clinic/patient.html"


def locale() -> str:
    return get_language() or "en"


def page_url(patient: Patient, anchor: str = "") -> str:
    url = reverse("clinic-patient", args=[patient.pk])
    return f"{url}#{anchor}" if anchor else url


def show_page(
    request: HttpRequest,
    staff: StaffMember,
    patient: Patient,
    *,
    form: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    posted = request.POST if request.method == "POST" else None
    context = {
        "staff": staff,
        "view": patient_page(
            patient, locale(), sessions_page=request.GET.get("page"), posted=posted
        ),
        "form": form,  # the form the error belongs to
        "error": error,
        "posted": posted or {},
        "reason_max": REASON_MAX,
        "message_max": MESSAGE_MAX,
        "pain_min": PAIN_MIN,
        "pain_max": PAIN_MAX,
        "per_day_min": SESSIONS_PER_DAY_MIN,
        "per_day_max": SESSIONS_PER_DAY_MAX,
    }
    return render(request, PAGE, context, status=status)


@require_GET
@staff_view
def patient_detail(request: HttpRequest, staff: StaffMember, patient_id: int) -> HttpResponse:
    patient = patient_for_staff(request, patient_id, what=f"patient page {request.get_full_path()}")
    return show_page(request, staff, patient)


@require_GET
@never_cache
@staff_view
def patient_handout(request: HttpRequest, staff: StaffMember, patient_id: int) -> HttpResponse:
    """The patient's printed exercise sheet, in the patient's language."""
    return printed(request, patient_id, "exercises")


@require_GET
@never_cache
@staff_view
def patient_summary(request: HttpRequest, staff: StaffMember, patient_id: int) -> HttpResponse:
    """The patient's one-page progress summary, in the patient's language."""
    return printed(request, patient_id, "progress")


def printed(request: HttpRequest, patient_id: int, kind: str) -> HttpResponse:
    """The paper size first (a wrong one reads nothing), then the patient through
    patient_for_staff, whose audit entry says what was printed."""

    def patient_for(paper: str) -> Patient:
        return patient_for_staff(request, patient_id, what=f"printed {kind} PDF ({paper})")

    return printed_pdf(request, kind, patient_for)


Write = Callable[[HttpRequest, Patient], str]  # does the change; returns what to say


def posted_form(form: str, anchor: str) -> Callable[[Write], Callable[..., HttpResponse]]:
    """A POST to one of the page's forms: the patient through patient_for_staff, then
    `write`; a PrescribingError shows the page again with the message at `form` (400)."""

    def decorate(write: Write) -> Callable[..., HttpResponse]:
        @require_POST
        @staff_view
        def view(request: HttpRequest, staff: StaffMember, patient_id: int) -> HttpResponse:
            patient = patient_for_staff(request, patient_id, what=f"patient {form} form")
            try:
                said = write(request, patient)
            except PrescribingError as error:
                return show_page(request, staff, patient, form=form, error=str(error), status=400)
            messages.success(request, said)
            return redirect(page_url(patient, anchor))

        view.__name__ = write.__name__
        return view

    return decorate


def version_said(version: object) -> str:
    if version is None:
        return _("Nothing changed: the prescription is already like this, so no new version.")
    return _("Saved as version %(number)s. The patient sees it and your reason on Today.") % {
        "number": getattr(version, "number", "")
    }


@posted_form("exercises", "prescription")
def change_exercises(request: HttpRequest, patient: Patient) -> str:
    reason = parse_reason(request.POST.get("reason"))
    return version_said(actions.do_edit_exercises(request, patient, request.POST, reason, locale()))


@posted_form("schedule", "prescription")
def change_schedule(request: HttpRequest, patient: Patient) -> str:
    schedule = parse_schedule(
        request.POST.get("sessions_per_day"), request.POST.getlist("weekdays")
    )
    reason = parse_reason(request.POST.get("reason"))
    return version_said(actions.do_set_schedule(request, patient, schedule, reason))


@posted_form("template", "prescription")
def apply_template(request: HttpRequest, patient: Patient) -> str:
    choice = request.POST.get("template", "")
    reason = parse_reason(request.POST.get("reason"))
    kind, _sep, key = choice.partition(":")
    if kind == "built-in" and key in BUILT_IN:
        built_in = BUILT_IN[key]
        template, name, keep_schedule = built_in.build(), str(built_in.name), True
    elif kind == "saved" and key.isdigit():
        saved = get_object_or_404(PrescriptionTemplate, pk=int(key), clinic_id=patient.clinic_id)
        template = from_template_items(saved.items, saved.sessions_per_day, saved.weekdays)
        name, keep_schedule = saved.name, False
    else:
        raise PrescribingError(_("Template: choose one of the templates."))
    version = actions.do_apply_template(
        request, patient, template, reason, name=name, keep_schedule=keep_schedule, locale=locale()
    )
    return version_said(version)


@posted_form("save-template", "prescription")
def save_template(request: HttpRequest, patient: Patient) -> str:
    name = parse_template_name(request.POST.get("name"))
    actions.do_save_template(request, patient, name)
    return _("Saved as the clinic's template “%(name)s”.") % {"name": name}


@posted_form("settings", "settings")
def change_settings(request: HttpRequest, patient: Patient) -> str:
    """Automatic progression, usual leg and back pain, the contact phone: the fields posted
    are set; one left out stays as it is."""
    post = request.POST
    values: dict[str, object] = {}
    if "auto_progression" in post:
        if post["auto_progression"] not in ("on", "off"):
            raise PrescribingError(_("Automatic progression: choose on or off."))
        values["auto_progression"] = post["auto_progression"] == "on"
    if "usual_leg_pain" in post:
        values["usual_leg_pain"] = parse_pain(post["usual_leg_pain"], _("Usual leg pain"))
    if "usual_back_pain" in post:
        values["usual_back_pain"] = parse_pain(post["usual_back_pain"], _("Usual back pain"))
    if "contact_phone" in post:
        values["contact_phone"] = parse_phone(post["contact_phone"])
    reason = parse_reason(post.get("reason"))
    if not actions.do_update_patient(request, patient, values, reason):
        return _("Nothing changed.")
    return _("Saved.")


@posted_form("red-flag", "screenings")
def clear_red_flag(request: HttpRequest, patient: Patient) -> str:
    reason = parse_reason(request.POST.get("reason"))
    if actions.do_clear_red_flag(request, patient, reason) is None:
        return _("There is no red-flag hold to clear.")
    return _(
        "The red-flag hold is cleared. The patient answers the safety questions again before "
        "the next session."
    )


@posted_form("message", "messages")
def send_message(request: HttpRequest, patient: Patient) -> str:
    actions.do_send_message(request, patient, parse_message(request.POST.get("body")))
    return _("Sent. The patient sees it on Today.")


@require_POST
@staff_view
def acknowledge(
    request: HttpRequest, staff: StaffMember, patient_id: int, alert_id: int
) -> HttpResponse:
    """Only an alert of this patient (404 otherwise); acknowledging one twice changes
    nothing."""
    patient = patient_for_staff(request, patient_id, what=f"alert {alert_id}")
    alert = get_object_or_404(Alert.objects.select_related("patient"), pk=alert_id, patient=patient)
    note = " ".join(request.POST.get("note", "").split())
    if len(note) > REASON_MAX:
        error = _("Note: at most %(max)s characters (this one has %(count)s).") % {
            "max": REASON_MAX,
            "count": len(note),
        }
        return show_page(request, staff, patient, form=f"alert-{alert.pk}", error=error, status=400)
    if actions.acknowledge_alert(request, alert, note):
        messages.success(request, _("Alert acknowledged."))
    else:
        messages.info(request, _("This alert was acknowledged already."))
    return redirect(page_url(patient, "alerts"))


urlpatterns: list[URLPattern] = [
    path("patients/<int:patient_id>/", patient_detail, name="clinic-patient"),
    path("patients/<int:patient_id>/exercises.pdf", patient_handout, name="clinic-patient-handout"),
    path("patients/<int:patient_id>/progress.pdf", patient_summary, name="clinic-patient-summary"),
    path("patients/<int:patient_id>/exercises/", change_exercises, name="clinic-patient-exercises"),
    path("patients/<int:patient_id>/schedule/", change_schedule, name="clinic-patient-schedule"),
    path("patients/<int:patient_id>/template/", apply_template, name="clinic-patient-template"),
    path(
        "patients/<int:patient_id>/template/save/",
        save_template,
        name="clinic-patient-save-template",
    ),
    path("patients/<int:patient_id>/settings/", change_settings, name="clinic-patient-settings"),
    path(
        "patients/<int:patient_id>/red-flag/clear/",
        clear_red_flag,
        name="clinic-patient-clear-red-flag",
    ),
    path("patients/<int:patient_id>/message/", send_message, name="clinic-patient-message"),
    path(
        "patients/<int:patient_id>/alerts/<int:alert_id>/acknowledge/",
        acknowledge,
        name="clinic-alert-acknowledge",
    ),
]
