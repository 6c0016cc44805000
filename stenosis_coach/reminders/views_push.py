"""The push endpoints push.js calls from the reminder settings page: the app's public key,
subscribe and unsubscribe this device, and a test push. JSON in and out, for patients only
(401 when logged out, 404 for other accounts, as the player's API answers); CSRF by the
X-CSRFToken header. Bad input gets a 4xx and a sentence for the patient, never a 500."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from stenosis_coach.limits.decorators import limit
from stenosis_coach.limits.keys import by_patient
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.api import patient_api
from stenosis_coach.practice.uploads import UploadError, decode_upload

from .models import PushSubscription
from .push import MAX_ENDPOINT_LENGTH, BadSubscription, send_test_push, vapid_keys
from .push_actions import do_subscribe, do_unsubscribe

MAX_BODY_BYTES = 4096  # a subscription is about 400 bytes


@require_GET
@patient_api
def public_key(request: HttpRequest, patient: Patient) -> JsonResponse:
    """The key the browser subscribes with (applicationServerKey)."""
    return JsonResponse({"public_key": vapid_keys().public_key})


@never_cache
@require_POST
@patient_api
def subscribe(request: HttpRequest, patient: Patient) -> JsonResponse:
    """Save this device's PushSubscription (its toJSON()); push reminders are then on.
    201 when new to this patient, 200 when it was saved before."""
    data = read_json(request)
    if isinstance(data, JsonResponse):
        return data
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    known = isinstance(endpoint, str) and (
        PushSubscription.objects.filter(patient=patient, endpoint=endpoint).exists()
    )
    try:
        do_subscribe(patient, data, device_name(request.headers.get("User-Agent", "")))
    except BadSubscription as error:
        return refused(error.message)
    return JsonResponse({"push_on": True}, status=200 if known else 201)


@never_cache
@require_POST
@patient_api
def unsubscribe(request: HttpRequest, patient: Patient) -> JsonResponse:
    """Forget this device (its endpoint); with none left, push reminders are off."""
    data = read_json(request)
    if isinstance(data, JsonResponse):
        return data
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if not isinstance(endpoint, str) or not 0 < len(endpoint) <= MAX_ENDPOINT_LENGTH:
        return refused(_("This phone did not send what we need for reminders."))
    do_unsubscribe(patient, endpoint)
    on = PushSubscription.objects.filter(patient=patient).exists()
    return JsonResponse({"push_on": on})


@never_cache
@require_POST
@patient_api
def test_push(request: HttpRequest, patient: Patient) -> JsonResponse:
    """Send "This is how your reminders will look." to the patient's own devices. 409 with
    no device, 429 (with Retry-After) within 30 s of the last test (RATE_LIMITS), 502 when no push
    service took it."""
    if not PushSubscription.objects.filter(patient=patient).exists():
        return JsonResponse({"error": _("No phone is set up for reminders yet.")}, status=409)
    return send_test(request, patient)


@limit("test-push", by_patient)  # only once there is a device: a 409 takes no turn
def send_test(request: HttpRequest, patient: Patient) -> JsonResponse:
    sent = send_test_push(patient)
    if not sent:
        return JsonResponse(
            {"error": _("We could not reach your phone. Please try again later.")}, status=502
        )
    return JsonResponse({"sent": sent})


def read_json(request: HttpRequest) -> Any:
    """The body's JSON, or a 400 (413 when too big) saying it could not be read."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_BODY_BYTES or len(request.body) > MAX_BODY_BYTES:
        return JsonResponse({"error": _("This is too big to send.")}, status=413)
    try:
        return decode_upload(request.body)
    except UploadError:
        return refused(_("We could not read this. Please try again."))


def refused(message: str | Promise) -> JsonResponse:
    return JsonResponse({"error": str(message)}, status=400)


BROWSERS = (
    ("Edg", "Edge"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome", "Chrome"),
    ("Safari", "Safari"),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_name(user_agent: str) -> str:
    """A short name to tell the devices apart in Settings: "Chrome, Android". Names only,
    so nothing to translate; empty when the browser is not one we know."""
    browser = next((name for mark, name in BROWSERS if re.search(mark, user_agent)), "")
    system = next((name for mark, name in SYSTEMS if mark in user_agent), "")
    return ", ".join(part for part in (browser, system) if part)
