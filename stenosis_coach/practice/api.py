"""JSON endpoints for the player: today's plan, and uploading a finished session."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from stenosis_coach.patients.models import Patient
from stenosis_coach.programme import build_plan, dose_label, load_catalogue
from stenosis_coach.programme.safety import GENTLE_SESSION_RISE

from .actions import SessionConflict, current_prescription, record_session
from .models import PrescriptionVersion
from .uploads import UploadError, parse_session_upload

MAX_UPLOAD_BYTES = 64 * 1024


def patient_api(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like @patient_view, but answers in JSON: 401 when logged out, 404 for non-patients."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse({"error": "Please log in again."}, status=401)
        patient = Patient.objects.filter(user=request.user).first()
        if patient is None:
            return JsonResponse({"error": "This account has no exercise programme."}, status=404)
        return view(request, patient, *args, **kwargs)

    return wrapper


@require_GET
@patient_api
def plan(request: HttpRequest, patient: Patient) -> JsonResponse:
    """Today's timeline, normal and gentle (stretches only), so the player can switch
    without the network when pain is high."""
    version = current_prescription(patient)
    prescription = version.to_engine()
    locale = patient.language
    return JsonResponse(
        {
            "prescription_version": version.number,
            "locale": locale,
            "usual_leg_pain": patient.usual_leg_pain,
            "gentle_rise": GENTLE_SESSION_RISE,
            "voice_on": patient.voice_on,
            "plans": {
                "normal": build_plan(prescription, locale).to_dict(),
                "gentle": build_plan(prescription, locale, gentle=True).to_dict(),
            },
        }
    )


@require_POST
@patient_api
def upload_session(request: HttpRequest, patient: Patient) -> JsonResponse:
    """Store a finished session. 201 when new, 200 when this UUID was stored before (the
    offline queue may send it twice), 400 with field errors, 409 for another's UUID."""
    if len(request.body) > MAX_UPLOAD_BYTES:
        return JsonResponse({"error": "This upload is too large."}, status=413)
    try:
        data = json.loads(request.body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return JsonResponse({"error": "This is not valid JSON."}, status=400)
    try:
        recorded = record_session(patient, parse_session_upload(data))
    except UploadError as error:
        return JsonResponse(
            {"error": "Some fields are not right.", "errors": error.errors}, status=400
        )
    except SessionConflict:
        return JsonResponse({"error": "This session id is already in use."}, status=409)
    body = {
        "uuid": str(recorded.record.uuid),
        "created": recorded.created,
        "next": next_time(current_prescription(patient), patient.language),
    }
    return JsonResponse(body, status=201 if recorded.created else 200)


def next_time(version: PrescriptionVersion, locale: str) -> list[dict[str, Any]]:
    """What each exercise will be next time, and why (the engine's reasons)."""
    catalogue = load_catalogue()
    return [
        {
            "exercise_id": item.exercise_id,
            "name": catalogue.get(item.exercise_id).text(locale).name,
            "action": item.action or "hold",
            "reason": item.reason,
            "dose_text": dose_label(item.dose, catalogue, locale),
            "active": item.to_engine().active,
        }
        for item in version.items.all()
        if item.reason or item.to_engine().active
    ]
