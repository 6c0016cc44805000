"""The one way views reach patient data.

Every object is fetched through `get_owned`, which answers 404 to anyone but its owner, so a
guessed id never reveals whether something exists. Views that need a patient use
`@patient_view`, which also sends a patient who has not finished onboarding, or whose
red-flag screening paused the programme, to the right page.

Clinic staff reach a patient only through `patient_for_staff`: a patient of their own clinic,
with an audit entry for the read, or 404 (the same 404 for an id that does not exist).
Staff views use `@staff_view`, which answers 404 to anyone who is not active clinic staff,
and sends staff who logged in with a password only to the two-step code page first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode

from stenosis_coach.clinic.audit import record_access
from stenosis_coach.clinic.models import AuditEntry, StaffMember
from stenosis_coach.exports.models import PreparedFile
from stenosis_coach.patients.models import Patient

M = TypeVar("M", bound=Model)
PatientView = Callable[..., HttpResponse]
StaffView = Callable[..., HttpResponse]


def patient_for(request: HttpRequest) -> Patient:
    """The signed-in person's patient record; 404 for accounts that are not patients."""
    try:
        return Patient.objects.get(user=request.user)  # type: ignore[misc]
    except Patient.DoesNotExist:
        raise Http404("No patient record for this account") from None


def get_owned(source: type[M] | QuerySet[M], patient: Patient, **lookup: Any) -> M:
    """One object of `patient`'s own, or 404."""
    queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
    return get_object_or_404(queryset.filter(patient=patient), **lookup)


def patient_view(
    *, onboarded: bool = True, screened: bool = True
) -> Callable[[PatientView], PatientView]:
    """Log-in required; the view gets the patient as its second argument.

    onboarded: send someone who has not finished onboarding there first.
    screened: send someone whose latest red-flag screening had a "yes" to the advice page.
    """

    def decorate(view: PatientView) -> PatientView:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            patient = patient_for(request)
            if chose_two_step(request) and not passed_two_step(request):
                # A patient who turned two-step sign-in on gives a code first, too.
                return redirect(reverse("two-step") + "?" + urlencode({"next": request.path}))
            if screened and patient.stopped_by_red_flag:
                return redirect("screening-result")
            if onboarded and patient.onboarded_at is None:
                return redirect("onboarding")
            return view(request, patient, *args, **kwargs)

        return wrapper

    return decorate


def staff_for(request: HttpRequest) -> StaffMember:
    """The signed-in person's active staff membership; 404 for anyone else (patients,
    deactivated staff, anonymous)."""
    if not request.user.is_authenticated:
        raise Http404("Not clinic staff")
    try:
        staff = StaffMember.objects.select_related("clinic", "user").get(
            user=request.user, active=True
        )
    except StaffMember.DoesNotExist:
        raise Http404("Not clinic staff") from None
    if not passed_two_step(request):
        raise PermissionDenied("Two-step sign-in first")
    return staff


def is_active_staff(request: HttpRequest) -> bool:
    return StaffMember.objects.filter(user_id=request.user.pk, active=True).exists()


def chose_two_step(request: HttpRequest) -> bool:
    """The account has an authenticator app set up (optional for patients)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user_id=request.user.pk, confirmed=True).exists()


def passed_two_step(request: HttpRequest) -> bool:
    """The session gave a code after the password (django-otp's OTPMiddleware)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def patient_for_staff(request: HttpRequest, patient_id: object, *, what: str = "") -> Patient:
    """A patient of the signed-in staff member's own clinic, with an audit entry for the read
    (`what`: the page or object; the request's path when not given). 404 for anyone else, and
    the same 404 whether the id is another clinic's patient or no patient at all."""
    staff = staff_for(request)
    try:
        pk = int(str(patient_id))
    except ValueError:
        raise Http404("No such patient") from None
    patient = get_object_or_404(Patient.objects.select_related("user"), pk=pk, clinic=staff.clinic)
    record_access(request, patient, AuditEntry.READ, what or request.path)
    return patient


def staff_view(view: StaffView) -> StaffView:
    """Log-in required; 404 for anyone who is not active clinic staff. The view gets the
    staff member as its second argument."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not passed_two_step(request) and is_active_staff(request):
            # Password only: staff give a code from their app first (clinic/two_step.py).
            return redirect(reverse("two-step") + "?" + urlencode({"next": request.path}))
        return view(request, staff_for(request), *args, **kwargs)

    return wrapper


def requested_file(request: HttpRequest, file_id: object) -> PreparedFile:
    """A file the signed-in person asked for (exports/prepared.py), while they may still see
    its patient: their own, or as active staff of the patient's clinic. 404 for anyone else,
    and for a patient who has left that clinic since."""
    if not request.user.is_authenticated:
        raise Http404("No such file")
    files = PreparedFile.objects.select_related("patient__user")
    file = get_object_or_404(files, pk=file_id, requested_by=request.user)
    if (
        file.patient.user_id != request.user.pk
        and file.patient.clinic_id != staff_for(request).clinic_id
    ):
        raise Http404("No such file")
    return file
