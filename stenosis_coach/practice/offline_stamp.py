"""The stamp of what a patient's offline copies hold: the session page, the plan and the
exercise pictures, which the service worker keeps so that a session can run with no network.

On each visit to Today the service worker asks for this stamp (a few bytes) and fetches
those copies again only when it has changed, instead of every time (about 70 KB and four
requests). Whatever they are made from is in it: this release of the app, the patient's
record and settings, the latest prescription, session and red-flag check, the day, and the
log-in (the pages carry its CSRF token)."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language

from stenosis_coach.patients.models import Patient

PACKAGE = Path(__file__).resolve().parent.parent
RELEASE_FILES = ("*.py", "*.html", "*.mo", "*.js", "*.css", "*.json", "*.toml")


@cache
def release() -> str:
    """A digest of the app's own files, read once per process: a new release makes new
    pages, whatever changed in it."""
    digest = hashlib.sha256()
    for pattern in RELEASE_FILES:
        for path in sorted(PACKAGE.rglob(pattern)):
            digest.update(str(path.relative_to(PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def offline_stamp(request: HttpRequest, patient: Patient) -> str:
    screening = patient.latest_screening()
    latest_session = patient.sessions.order_by("-started_at").values_list("uuid", flat=True)
    parts = {
        "release": release(),
        "language": get_language(),
        "patient": [str(getattr(patient, f.attname)) for f in Patient._meta.concrete_fields],
        "prescription": patient.prescriptions.order_by("-number")
        .values_list("number", flat=True)
        .first(),
        "session": str(latest_session.first()),
        "screening": [screening.pk, str(screening.cleared_at)] if screening else None,
        "hold": str(patient.red_flag_hold()),
        "day": str(timezone.localdate(timezone=patient.zone)),
        "login": [request.session.session_key, request.META.get("CSRF_COOKIE")],
    }
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]
