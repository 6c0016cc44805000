"""JSON endpoints for the player: today's plan, and uploading a finished session."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from stenosis_coach.illustrations import drawing_ids
from stenosis_coach.limits.decorators import limit
from stenosis_coach.limits.keys import by_patient
from stenosis_coach.patients.models import Patient
from stenosis_coach.patients.views import screening_due
from stenosis_coach.programme import Prescription, build_plan, dose_label, load_catalogue
from stenosis_coach.programme.safety import GENTLE_SESSION_RISE, load_safety

from .actions import (
    RecordedSession,
    SessionConflict,
    current_prescription,
    record_pain_answers,
    record_session,
)
from .offline_stamp import offline_stamp as stamp_of
from .queries import first_session, last_leg_pain_before, usual_leg_pain
from .uploads import (
    NOT_RIGHT,
    UnreadableUpload,
    UploadError,
    decode_upload,
    parse_pain_upload,
    parse_session_upload,
)

MAX_UPLOAD_BYTES = 64 * 1024
# Leg pain before a session at or above this: advise not to exercise today, show the rest
# positions and offer only the gentle stretches (programme-facts.md, "Safety gates").
REST_DAY_LEG_PAIN = 8
# The player sends this header with a queued session so that a session saved offline by one
# person is never stored as another's when they share a tablet (see outbox_owner).
OWNER_HEADER = "X-Outbox-Owner"


def outbox_owner(user: AbstractBaseUser | AnonymousUser) -> str:
    """An opaque, stable tag for the signed-in account, kept with each queued session."""
    return salted_hmac("stenosis_coach.practice.outbox-owner", str(user.pk)).hexdigest()[:24]


def patient_api(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like @patient_view, but answers in JSON: 401 when logged out, 404 for non-patients."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse({"error": _("Please log in again.")}, status=401)
        patient = Patient.objects.filter(user=request.user).first()
        if patient is None:
            return JsonResponse({"error": _("This account has no exercise plan.")}, status=404)
        return view(request, patient, *args, **kwargs)

    return wrapper


@require_GET
@patient_api
def offline_stamp(request: HttpRequest, patient: Patient) -> JsonResponse:
    """A short stamp of what the service worker's offline copies (the session page, the plan
    and the pictures) are made from: it fetches them again only when the stamp changes."""
    return JsonResponse({"stamp": stamp_of(request, patient)})


@require_GET
@patient_api
def plan(request: HttpRequest, patient: Patient) -> JsonResponse:
    """Today's timeline, normal and gentle (stretches only), so the player can switch
    without the network when pain is high.

    A step-up not played yet (an item's `step_up_from`) is not played when leg pain now is
    higher than `last_leg_pain_before` (leg pain before the latest stored session; null
    before any). So that the player can decide offline, the answer then also has
    `plans.held_back` and `plans.held_back_gentle`: the same sessions with each such
    exercise at its dose before the step-up, a screen first that says why, and the plan's
    own `held_back` list of those it plays at the earlier dose. `held_back` at the top lists
    each such exercise: `exercise_id`, `name`, `dose` and `dose_text` (the earlier dose),
    `new_dose` and `new_dose_text` (the step-up); empty, with no held-back plans, when none.

    A patient whose programme is paused (red-flag answer) or who has not finished getting
    started gets 403 and where to go instead, so a player page kept offline cannot start."""
    if patient.stopped_by_red_flag:
        return JsonResponse(
            {
                "error": _("Your exercises are on hold until a doctor has checked you."),
                "redirect": reverse("screening-result"),
            },
            status=403,
        )
    if patient.onboarded_at is None:
        return JsonResponse(
            {
                "error": _("Please finish getting started first."),
                "redirect": reverse("onboarding"),
            },
            status=403,
        )
    if screening_due(patient):  # weekly, or after new leg symptoms
        return JsonResponse(
            {
                "error": _("Please answer the safety questions first."),
                "redirect": reverse("weekly-check"),
            },
            status=403,
        )
    version = current_prescription(patient)
    prescription = version.to_engine()
    locale = patient.language
    first = first_session(patient)
    held_back = held_back_exercises(prescription, locale)
    variants = [("normal", False, False), ("gentle", True, False)]
    if held_back:
        variants += [("held_back", False, True), ("held_back_gentle", True, True)]
    return JsonResponse(
        {
            "prescription_version": version.number,
            "locale": locale,
            "first_session": first,
            "usual_leg_pain": usual_leg_pain(patient),
            "last_leg_pain_before": last_leg_pain_before(patient),
            "gentle_rise": GENTLE_SESSION_RISE,
            "gentle_advice": load_safety().message("advice_gentle_session", locale),
            "rest_from": REST_DAY_LEG_PAIN,
            "rest_advice": _(
                "Your leg pain is very high today. It is best not to exercise today. Rest in "
                "a way that eases the pain, like one of these. If you like, you can do the "
                "gentle stretches only. If the pain stays this high, call your therapist."
            ),
            "pain_url": reverse("api-pain"),
            "urgent_url": reverse("urgent"),
            "emergency_phone": settings.EMERGENCY_PHONE,
            "voice_on": patient.voice_on,
            "beeps_on": patient.beeps_on,
            # Where the player gets each exercise's moving picture, and the how-to pictures
            # (getting down and up, the rest positions).
            "illustrations": {
                picture_id: reverse("api-illustration", args=[picture_id])
                for picture_id in drawing_ids()
            },
            "held_back": held_back,
            "plans": {
                name: build_plan(
                    prescription, locale, gentle=gentle, first_session=first, held_back=easier
                ).to_dict()
                for name, gentle, easier in variants
            },
        }
    )


def held_back_exercises(prescription: Prescription, locale: str) -> list[dict[str, Any]]:
    """Today's exercises whose step-up has not been played yet, with both doses."""
    catalogue = load_catalogue()
    return [
        {
            "exercise_id": item.exercise_id,
            "name": catalogue.get(item.exercise_id).text(locale).name,
            "dose": item.step_up_from.to_dict(),
            "dose_text": dose_label(item.step_up_from, catalogue, locale),
            "new_dose": item.dose.to_dict(),
            "new_dose_text": dose_label(item.dose, catalogue, locale),
        }
        for item in prescription.active()
        if item.step_up_from is not None
    ]


@require_POST
@patient_api
@limit("upload", by_patient)
def upload_session(request: HttpRequest, patient: Patient) -> JsonResponse:
    """Store a finished session. 201 when new, 200 when this UUID was stored before (the
    offline queue may send it twice), 400 with a sentence for the patient and field errors,
    409 for another's UUID, 403 when the player queued it for another account on this
    device, 413 when too big, 415 when not JSON. A session is never refused for its clock."""
    data = read_upload(request)
    if isinstance(data, JsonResponse):
        return data
    try:
        recorded = record_session(patient, parse_session_upload(data))
    except UploadError as error:
        return refused_as(error, NOT_RIGHT)
    except SessionConflict:
        return JsonResponse({"error": _("This session number is already in use.")}, status=409)
    body = {
        "uuid": str(recorded.record.uuid),
        "created": recorded.created,
        "next": next_time(patient, recorded),
    }
    return JsonResponse(body, status=201 if recorded.created else 200)


@require_POST
@patient_api
@limit("upload", by_patient)
def upload_pain(request: HttpRequest, patient: Patient) -> JsonResponse:
    """Keep pain answers that no session followed: 201 when new, 200 when this UUID was
    stored before, 400 with field errors, 409 for another's UUID, 403 for another account's
    queued answers."""
    data = read_upload(request)
    if isinstance(data, JsonResponse):
        return data
    try:
        checkin, created = record_pain_answers(patient, parse_pain_upload(data))
    except UploadError as error:
        return refused_as(error, _("Some of these answers are not right."))
    except SessionConflict:
        return JsonResponse({"error": _("This number is already in use.")}, status=409)
    return JsonResponse(
        {"uuid": str(checkin.uuid), "created": created}, status=201 if created else 200
    )


def refused_as(error: UploadError, message: str | Promise) -> JsonResponse:
    """400: the sentence for the patient (this problem's own, or `message`) and, for
    developers, what is wrong with each field."""
    body = {"error": str(error.message or message), "errors": error.errors}
    return JsonResponse(body, status=400)


def refuse_upload(request: HttpRequest) -> JsonResponse | None:
    """403 for a queue item saved by another account on this device, 415 when it is not
    JSON, 413 when too big. The body is read only once it is known to be JSON: a form's
    body has been read by then (the CSRF check reads forms), and reading it again fails."""
    claimed_owner = request.headers.get(OWNER_HEADER)
    if claimed_owner is not None and not constant_time_compare(
        claimed_owner, outbox_owner(request.user)
    ):
        return JsonResponse(
            {"error": _("Someone else saved this session on this device.")}, status=403
        )
    if request.content_type.lower() != "application/json":
        return JsonResponse(
            {"error": _("This session was sent in a way we cannot read.")}, status=415
        )
    if declared_length(request) > MAX_UPLOAD_BYTES or len(request.body) > MAX_UPLOAD_BYTES:
        return JsonResponse({"error": _("This session is too big to send.")}, status=413)
    return None


def declared_length(request: HttpRequest) -> int:
    """The Content-Length the client sent (0 when none or not a number), checked before
    the body is read at all."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def read_upload(request: HttpRequest) -> Any:
    """The decoded body of something the outbox sends, or the response refusing it: 403 for
    another account's, 415 when not JSON, 413 when too big, 400 when it cannot be read
    (not UTF-8, not JSON, nested too deep, a number too long)."""
    refused = refuse_upload(request)
    if refused is not None:
        return refused
    try:
        return decode_upload(request.body)
    except UnreadableUpload as error:
        return refused_as(error, _("We could not read this session."))


# The engine's reason for a session done under an older version than the one now prescribed.
PLAN_CHANGED = "reason_plan_changed"


def next_time(patient: Patient, recorded: RecordedSession) -> list[dict[str, Any]]:
    """What each exercise will be next time, and why: the engine's decisions on this very
    session, or the reasons kept with the current version for a session stored before, one
    stored while a red flag holds the programme, or one done under an older version (a late
    offline upload, which changes nothing)."""
    progression = recorded.progression
    stale = progression is None or any(d.reason_code == PLAN_CHANGED for d in progression.decisions)
    if progression is not None and not stale:
        prescription = progression.prescription
        rows = [
            (
                d.exercise_id,
                d.action.value,
                d.reason,
                d.new_dose,
                prescription.get(d.exercise_id).active,
            )
            for d in progression.decisions
        ]
    else:
        rows = [
            (
                i.exercise_id,
                i.action or "hold",
                i.reason_in(patient.language),
                i.dose,
                i.to_engine().active,
            )
            for i in current_prescription(patient).items.all()
        ]
    catalogue, locale = load_catalogue(), patient.language
    return [
        {
            "exercise_id": exercise_id,
            "name": catalogue.get(exercise_id).text(locale).name,
            "action": action,
            "reason": reason,
            # One that is locked or on hold has no dose next time: its reason says why.
            "dose_text": dose_label(dose, catalogue, locale) if active else "",
            "active": active,
        }
        for exercise_id, action, reason, dose, active in rows
        if reason or active
    ]
