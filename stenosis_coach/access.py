"""The one way views reach patient data.

Every object is fetched through `get_owned`, which answers 404 to anyone but its owner, so a
guessed id never reveals whether something exists. Views that need a patient use
`@patient_view`, which also sends a patient who has not finished onboarding, or whose
red-flag screening paused the programme, to the right page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from stenosis_coach.patients.models import Patient

M = TypeVar("M", bound=Model)
PatientView = Callable[..., HttpResponse]


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
            if screened and patient.stopped_by_red_flag:
                return redirect("screening-result")
            if onboarded and patient.onboarded_at is None:
                return redirect("onboarding")
            return view(request, patient, *args, **kwargs)

        return wrapper

    return decorate
