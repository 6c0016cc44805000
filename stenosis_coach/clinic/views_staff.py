"""Clinic pages: the staff list (a clinic admin invites, deactivates and reactivates staff,
sends set-password links, and resets a member's two-step sign-in) and the clinic's audit
log (admins only).

Views validate and call the writes in staff_actions; the reads are the small functions
below (the audit log filters stenosis_coach.clinic.queries.audit_entries).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stenosis_coach.access import staff_view
from stenosis_coach.patients.models import Clinic, Patient

from . import staff_actions
from .actions import SET_PASSWORD_HOURS, ClinicError
from .audit import record_access
from .models import AuditEntry, StaffMember
from .queries import audit_entries

AUDIT_PAGE_SIZE = 50


# Reads -------------------------------------------------------------------------------


def clinic_staff(clinic: Clinic) -> QuerySet[StaffMember]:
    """The clinic's staff, active first, with how many of the clinic's patients each has."""
    own_patients = Q(user__therapy_patients__clinic=clinic)
    return (
        StaffMember.objects.filter(clinic=clinic)
        .select_related("user")
        .annotate(patient_count=Count("user__therapy_patients", filter=own_patients))
        .order_by("-active", "user__email", "pk")
    )


def patients_of_inactive_staff(clinic: Clinic) -> list[Patient]:
    """The clinic's patients whose therapist is no longer active here (to reassign)."""
    patients = Patient.objects.filter(clinic=clinic, therapist__isnull=False).exclude(
        therapist__staff__clinic=clinic, therapist__staff__active=True
    )
    return list(patients.select_related("user", "therapist").order_by("therapist__email", "pk"))


def patient_name(patient: Patient) -> str:
    user = patient.user
    return user.get_full_name() or user.email or user.get_username()


def clinic_audit_entries(
    clinic: Clinic,
    *,
    who: User | None = None,
    patient: Patient | None = None,
    since: dt.datetime | None = None,
) -> QuerySet[AuditEntry]:
    """The clinic's log, newest first: entries about its patients, and entries by its
    staff (a deactivated member's too, and about a patient who has since left)."""
    entries = audit_entries(patient=patient, since=since)
    own = Q(patient__clinic=clinic) | Q(who__staff__clinic=clinic)
    entries = entries.filter(own)
    if who is not None:
        entries = entries.filter(who=who)
    return entries.select_related("patient__user").order_by("-at", "-pk")


# Forms -------------------------------------------------------------------------------


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=254)
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=[
            (StaffMember.THERAPIST, gettext_lazy("Therapist")),
            (StaffMember.ADMIN, gettext_lazy("Clinic admin")),
        ],
        initial=StaffMember.THERAPIST,
    )

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
            raise forms.ValidationError(_("There is already an account for this e-mail."))
        return email


class ReassignForm(forms.Form):
    """Another active member of the clinic to take over a member's patients."""

    reassign_to = forms.ModelChoiceField(
        queryset=StaffMember.objects.none(),
        label=gettext_lazy("Reassign their patients to"),
        required=False,
    )

    def __init__(self, *args: Any, clinic: Clinic, member: StaffMember, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reassign_to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            StaffMember.objects.filter(clinic=clinic, active=True)
            .exclude(pk=member.pk)
            .select_related("user")
        )
        field.label_from_instance = lambda other: other.user.email


# Views -------------------------------------------------------------------------------


@require_GET
@staff_view
def staff_list(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    return render_staff_page(request, staff)


def render_staff_page(
    request: HttpRequest,
    staff: StaffMember,
    *,
    invite_form: InviteForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    members = list(clinic_staff(staff.clinic))
    context: dict[str, Any] = {
        "staff": staff,
        "members": members,
        "error": error,
        "invite_form": invite_form or InviteForm(),
        "to_reassign": [],
        "set_password_hours": SET_PASSWORD_HOURS,
    }
    if staff.is_admin:
        active = [member for member in members if member.active]
        context["active_members"] = active
        context["to_reassign"] = inactive_therapists_patients(request, staff, members)
    return render(request, "clinic/staff.html", context, status=status)


def inactive_therapists_patients(
    request: HttpRequest, staff: StaffMember, members: list[StaffMember]
) -> list[dict[str, Any]]:
    """Per inactive therapist, their patients here: shown to the admin to reassign, with
    one audit entry for the list (as the caseload does), not one per patient."""
    patients = patients_of_inactive_staff(staff.clinic)
    if not patients:
        return []
    record_access(request, None, AuditEntry.READ, "Staff page: patients of inactive therapists")
    by_user = {member.user_id: member for member in members}
    groups: dict[int, dict[str, Any]] = {}
    for patient in patients:
        therapist = patient.therapist
        assert therapist is not None
        group = groups.setdefault(
            therapist.pk,
            {"therapist": therapist, "member": by_user.get(therapist.pk), "patients": []},
        )
        group["patients"].append({"id": patient.pk, "name": patient_name(patient)})
    return list(groups.values())


def admin_and_member(
    request: HttpRequest, staff: StaffMember, member_id: int
) -> tuple[StaffMember, StaffMember]:
    """Admin actions answer 404 to a therapist who is not an admin, and for a member of
    another clinic (the same 404 as for no member at all)."""
    if not staff.is_admin:
        raise Http404("Not a clinic admin")
    member = get_object_or_404(
        StaffMember.objects.select_related("user", "clinic"), pk=member_id, clinic=staff.clinic
    )
    return staff, member


@require_POST
@staff_view
def invite(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    if not staff.is_admin:
        raise Http404("Not a clinic admin")
    form = InviteForm(request.POST)
    if not form.is_valid():
        return render_staff_page(request, staff, invite_form=form, status=400)
    try:
        new = staff_actions.do_invite_staff(
            request, staff, form.cleaned_data["email"], form.cleaned_data["role"]
        )
    except ClinicError as error:
        return render_staff_page(request, staff, invite_form=form, error=str(error), status=400)
    messages.success(
        request,
        _("Invitation sent to %(email)s: a link to set their password.")
        % {"email": new.member.user.email},
    )
    return redirect("staff")


@require_POST
@staff_view
def deactivate(request: HttpRequest, staff: StaffMember, member_id: int) -> HttpResponse:
    admin, member = admin_and_member(request, staff, member_id)
    form = ReassignForm(request.POST, clinic=admin.clinic, member=member)
    if not form.is_valid():
        error = _("Pick another active member of your clinic.")
        return render_staff_page(request, admin, error=error, status=400)
    try:
        moved = staff_actions.do_deactivate_staff(
            request, admin, member, reassign_to=form.cleaned_data["reassign_to"]
        )
    except ClinicError as error:
        return render_staff_page(request, admin, error=str(error), status=400)
    message = _("%(email)s is deactivated and can no longer see anything.") % {
        "email": member.user.email
    }
    if moved:
        message += " " + ngettext(
            "%(count)d patient moved to their new therapist.",
            "%(count)d patients moved to their new therapist.",
            len(moved),
        ) % {"count": len(moved)}
    messages.success(request, message)
    return redirect("staff")


@require_POST
@staff_view
def reactivate(request: HttpRequest, staff: StaffMember, member_id: int) -> HttpResponse:
    admin, member = admin_and_member(request, staff, member_id)
    try:
        staff_actions.do_reactivate_staff(request, admin, member)
    except ClinicError as error:
        return render_staff_page(request, admin, error=str(error), status=400)
    messages.success(request, _("%(email)s is active again.") % {"email": member.user.email})
    return redirect("staff")


@require_POST
@staff_view
def reassign(request: HttpRequest, staff: StaffMember, member_id: int) -> HttpResponse:
    admin, member = admin_and_member(request, staff, member_id)
    form = ReassignForm(request.POST, clinic=admin.clinic, member=member)
    if not form.is_valid() or form.cleaned_data["reassign_to"] is None:
        error = _("Pick another active member of your clinic.")
        return render_staff_page(request, admin, error=error, status=400)
    try:
        moved = staff_actions.do_reassign_patients(
            request, admin, member, form.cleaned_data["reassign_to"]
        )
    except ClinicError as error:
        return render_staff_page(request, admin, error=str(error), status=400)
    moved_message = ngettext(
        "%(count)d patient moved.", "%(count)d patients moved.", len(moved)
    ) % {"count": len(moved)}
    messages.success(request, moved_message)
    return redirect("staff")


@require_POST
@staff_view
def send_set_password(request: HttpRequest, staff: StaffMember, member_id: int) -> HttpResponse:
    admin, member = admin_and_member(request, staff, member_id)
    try:
        staff_actions.do_send_set_password(request, admin, member)
    except ClinicError as error:
        return render_staff_page(request, admin, error=str(error), status=400)
    messages.success(
        request,
        _("A new link to set their password was sent to %(email)s.") % {"email": member.user.email},
    )
    return redirect("staff")


@require_http_methods(["GET", "POST"])
@staff_view
def reset_two_step(request: HttpRequest, staff: StaffMember, member_id: int) -> HttpResponse:
    """GET: are you sure? POST: the member's app and recovery codes go, their sessions
    end, and they set up a new app at their next log-in."""
    admin, member = admin_and_member(request, staff, member_id)
    if member.pk == admin.pk:
        error = _("You cannot reset your own two-step sign-in.")
        return render_staff_page(request, admin, error=error, status=400)
    if request.method == "GET":
        context = {"staff": admin, "member": member}
        return render(request, "clinic/staff_reset_two_step.html", context)
    try:
        staff_actions.do_reset_two_step(request, admin, member)
    except ClinicError as error:
        return render_staff_page(request, admin, error=str(error), status=400)
    messages.success(
        request,
        _(
            "Two-step sign-in is reset for %(email)s. They are logged out. "
            "They set up their app again the next time they log in."
        )
        % {"email": member.user.email},
    )
    return redirect("staff")


# The audit log -----------------------------------------------------------------------


class AuditFilterForm(forms.Form):
    who = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=gettext_lazy("Staff member"),
        empty_label=gettext_lazy("Everyone"),
    )
    patient = forms.ModelChoiceField(
        queryset=Patient.objects.none(),
        required=False,
        label=gettext_lazy("Patient"),
        empty_label=gettext_lazy("All patients"),
    )
    since = forms.DateField(
        required=False,
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["who"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(staff__clinic=clinic).order_by("email")
        field.label_from_instance = lambda user: user.email
        field = self.fields["patient"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Patient.objects.filter(clinic=clinic).select_related("user").order_by("pk")
        field.label_from_instance = lambda patient: f"{patient_name(patient)} (#{patient.pk})"


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day`, in the server's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@require_GET
@staff_view
def clinic_audit(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    """The clinic's audit log (admins only). Reading it writes no entry: it is the log."""
    if not staff.is_admin:
        raise Http404("Not a clinic admin")
    form = AuditFilterForm(request.GET, clinic=staff.clinic)
    if not form.is_valid():
        context = {"staff": staff, "form": form, "page": None, "query": ""}
        return render(request, "clinic/audit_log.html", context, status=400)
    since = form.cleaned_data["since"]
    entries = clinic_audit_entries(
        staff.clinic,
        who=form.cleaned_data["who"],
        patient=form.cleaned_data["patient"],
        since=start_of_day(since) if since else None,
    )
    page = audit_page(entries, form.cleaned_data["page"] or 1)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"staff": staff, "form": form, "page": page, "query": query.urlencode()}
    return render(request, "clinic/audit_log.html", context)


def audit_page(entries: QuerySet[AuditEntry], number: int) -> Page[AuditEntry]:
    """One page of 50; a page past the end shows the last one."""
    return Paginator(entries, AUDIT_PAGE_SIZE).get_page(number)


urlpatterns: list[URLPattern] = [
    path("staff/", staff_list, name="staff"),
    path("staff/invite/", invite, name="staff-invite"),
    path("staff/<int:member_id>/deactivate/", deactivate, name="staff-deactivate"),
    path("staff/<int:member_id>/reactivate/", reactivate, name="staff-reactivate"),
    path("staff/<int:member_id>/reassign/", reassign, name="staff-reassign"),
    path("staff/<int:member_id>/set-password/", send_set_password, name="staff-set-password"),
    path("staff/<int:member_id>/reset-two-step/", reset_two_step, name="staff-reset-two-step"),
    path("audit/", clinic_audit, name="clinic-audit"),
]
