"""The API's OpenAPI schema, made by django-ninja from pydantic models.

Each operation here documents one Django view; it is never routed (the view answers at its
own URL, with its own checks, CSRF included), so the functions below only carry the
parameters, the request body and the answers into the schema. The request bodies of the
uploads are practice.uploads' SessionUpload and PainUpload, the models that validate them;
the answers are the models in `schemas`. Each operation's description is its view's own
docstring. tests/test_api_schema.py checks that every path here resolves to the view it
names, and sends requests made from the schema to the app.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache
from typing import Any
from uuid import UUID

from django.conf import settings
from ninja import Header, NinjaAPI, Path, Query

from stenosis_coach.fhir import codes
from stenosis_coach.fhir import views as fhir_views
from stenosis_coach.patients import preferences
from stenosis_coach.practice import api as player
from stenosis_coach.practice.uploads import PainUpload, SessionUpload
from stenosis_coach.reminders import views_push

from . import schemas as s

TITLE = "Stenosis Coach JSON API"
VERSION = "1"

api = NinjaAPI(
    title=TITLE,
    version=VERSION,
    description=(
        "The JSON endpoints of Stenosis Coach: the player's plan and uploads, push "
        "reminders, the browser's time zone, and the FHIR downloads and Bulk Data export. "
        "Sign in with the app's session cookie; every POST also needs the CSRF token in "
        "the X-CSRFToken header (see docs/api.md)."
    ),
    openapi_url=None,  # served by stenosis_coach.api.views, never routed through ninja
    docs_url=None,
    urls_namespace="stenosis-coach-api",
)

# The view each operation documents, by operation id (checked by the tests).
DOCUMENTS: dict[str, Callable[..., Any]] = {}

# Answers the patient endpoints share: signed out, not a patient, and (POST) a missing or
# wrong CSRF token, which Django refuses with its HTML page before the view runs.
SIGNED_OUT = {401: s.ErrorOut}
NOT_A_PATIENT = {404: s.ErrorOut}
HTML = {"text/html": {"schema": {"type": "string"}}}
CSRF_REFUSED = {
    "description": "Forbidden: as JSON from the view, or Django's HTML page when the CSRF "
    "token (X-CSRFToken header and csrftoken cookie) is missing or wrong.",
    "content": HTML,
}
RATE_LIMITED = {
    "description": "Too many requests: wait Retry-After seconds.",
    "headers": {"Retry-After": {"schema": {"type": "integer"}, "required": True}},
}
REDIRECT = {
    "description": "Found: to log in, to the two-step code, or to the page that waits for "
    "the file to be made (the worker makes it).",
    "headers": {"Location": {"schema": {"type": "string"}, "required": True}},
}
HTML_NOT_FOUND = {"description": "Not found (an HTML page).", "content": HTML}
HTML_FORBIDDEN = {"description": "Forbidden (an HTML page).", "content": HTML}
SESSION: list[dict[str, list[str]]] = [{"session": []}]
SESSION_AND_CSRF: list[dict[str, list[str]]] = [{"session": [], "csrf": []}]


def documents(view: Callable[..., Any], operation_id: str) -> dict[str, Any]:
    """The operation's id, summary and description, from the view it documents."""
    DOCUMENTS[operation_id] = view
    doc = " ".join((inspect.getdoc(view) or "").split())
    summary = doc.split(". ", 1)[0].rstrip(".") + "."
    return {"operation_id": operation_id, "summary": summary, "description": doc}


def extra(security: list[dict[str, list[str]]], **responses: Any) -> dict[str, Any]:
    """openapi_extra: the security, and answers that are not JSON (ninja merges them into
    the ones it makes from the models); keys are status codes as "s404"."""
    return {
        "security": security,
        "responses": {int(code[1:]): answer for code, answer in responses.items()},
    }


# --- The player -----------------------------------------------------------------------


@api.get(
    "/api/plan/",
    response={200: s.PlanOut, 403: s.RefusalOut, **SIGNED_OUT, **NOT_A_PATIENT},
    openapi_extra=extra(SESSION),
    **documents(player.plan, "plan"),
)
def plan(request: Any) -> None:
    raise NotImplementedError  # documentation only


@api.get(
    "/api/offline-stamp/",
    response={200: s.OfflineStampOut, **SIGNED_OUT, **NOT_A_PATIENT},
    openapi_extra=extra(SESSION),
    **documents(player.offline_stamp, "offline_stamp"),
)
def offline_stamp(request: Any) -> None:
    raise NotImplementedError  # documentation only


UPLOAD_ANSWERS: dict[int, Any] = {
    400: s.FieldErrorsOut,
    **SIGNED_OUT,
    403: s.OwnerRefusalOut,
    **NOT_A_PATIENT,
    409: s.ErrorOut,
    413: s.ErrorOut,
    415: s.ErrorOut,
    429: s.ErrorOut,
}
OWNER = Header(
    None,
    alias=player.OWNER_HEADER,
    description="The account the player queued this for (offline): another account's is "
    "refused with 403.",
)


@api.post(
    "/api/sessions/",
    response={200: s.SessionStoredOut, 201: s.SessionStoredOut, **UPLOAD_ANSWERS},
    openapi_extra=extra(SESSION_AND_CSRF, s403=CSRF_REFUSED, s429=RATE_LIMITED),
    **documents(player.upload_session, "upload_session"),
)
def upload_session(request: Any, session: SessionUpload, x_outbox_owner: str = OWNER) -> None:
    raise NotImplementedError


@api.post(
    "/api/pain/",
    response={200: s.PainStoredOut, 201: s.PainStoredOut, **UPLOAD_ANSWERS},
    openapi_extra=extra(SESSION_AND_CSRF, s403=CSRF_REFUSED, s429=RATE_LIMITED),
    **documents(player.upload_pain, "upload_pain"),
)
def upload_pain(request: Any, answers: PainUpload, x_outbox_owner: str = OWNER) -> None:
    raise NotImplementedError


# --- Push reminders and the time zone -------------------------------------------------

POSTED = {400: s.ErrorOut, **SIGNED_OUT, **NOT_A_PATIENT, 413: s.ErrorOut}


@api.get(
    "/reminders/push/key",
    response={200: s.PushKeyOut, **SIGNED_OUT, **NOT_A_PATIENT},
    openapi_extra=extra(SESSION),
    **documents(views_push.public_key, "push_key"),
)
def push_key(request: Any) -> None:
    raise NotImplementedError


@api.post(
    "/reminders/push/subscribe",
    response={200: s.PushOnOut, 201: s.PushOnOut, 403: None, **POSTED},
    openapi_extra=extra(SESSION_AND_CSRF, s403=CSRF_REFUSED),
    **documents(views_push.subscribe, "push_subscribe"),
)
def push_subscribe(request: Any, subscription: s.SubscriptionIn) -> None:
    raise NotImplementedError


@api.post(
    "/reminders/push/unsubscribe",
    response={200: s.PushOnOut, 403: None, **POSTED},
    openapi_extra=extra(SESSION_AND_CSRF, s403=CSRF_REFUSED),
    **documents(views_push.unsubscribe, "push_unsubscribe"),
)
def push_unsubscribe(request: Any, device: s.UnsubscribeIn) -> None:
    raise NotImplementedError


@api.post(
    "/reminders/push/test",
    response={
        200: s.PushSentOut,
        403: None,
        409: s.ErrorOut,
        429: s.ErrorOut,
        502: s.ErrorOut,
        **SIGNED_OUT,
        **NOT_A_PATIENT,
    },
    openapi_extra=extra(SESSION_AND_CSRF, s403=CSRF_REFUSED, s429=RATE_LIMITED),
    **documents(views_push.test_push, "push_test"),
)
def push_test(request: Any) -> None:
    raise NotImplementedError


@api.post(
    "/settings/time-zone/",
    response={204: None, 403: None, **POSTED},
    openapi_extra=extra(SESSION_AND_CSRF, s403=CSRF_REFUSED),
    **documents(preferences.browser_zone, "time_zone"),
)
def time_zone(request: Any, zone: s.TimeZoneIn) -> None:
    raise NotImplementedError


# --- FHIR -----------------------------------------------------------------------------

# Django's <int:...> takes digits only (no sign); anything else is not a URL of the app.
ID = Path(..., ge=0)
RESOURCE_TYPE = Path(..., pattern=r"^[A-Za-z]+$")

# Answers served as application/fhir+json (ninja writes application/json; see `schema`).
FHIR_ANSWERS = {
    ("/my-data/fhir.json", "get"): (200,),
    ("/clinic/patients/{patient_id}/fhir.json", "get"): (200,),
    ("/clinic/fhir/Group/{clinic_id}/$export", "get"): (202, 400, 404),
    ("/clinic/fhir/bulk/{export_id}/", "get"): (404, 500),
    ("/clinic/fhir/bulk/{export_id}/", "delete"): (404,),
    ("/clinic/fhir/bulk/{export_id}/{resource_type}.ndjson", "get"): (404,),
}


@api.get(
    "/my-data/fhir.json",
    response={200: s.BundleOut, 302: None, 404: None},
    openapi_extra=extra(SESSION, s302=REDIRECT, s404=HTML_NOT_FOUND),
    operation_id="my_fhir_record",
    summary="The signed-in patient's own record, as a FHIR R4 Bundle.",
    description="Served at once when made already (nothing changed since); else a redirect "
    "to the page that waits while the worker makes it.",
)
def my_fhir_record(request: Any) -> None:
    raise NotImplementedError


DOCUMENTS["my_fhir_record"] = fhir_views.my_record


@api.get(
    "/clinic/patients/{patient_id}/fhir.json",
    response={200: s.BundleOut, 302: None, 404: None},
    openapi_extra=extra(SESSION, s302=REDIRECT, s404=HTML_NOT_FOUND),
    operation_id="patient_fhir_record",
    summary="A patient's record for their therapist, as a FHIR R4 Bundle (audited).",
    description="Staff of the patient's own clinic only, after two-step sign-in; anyone "
    "else gets 404, the same for a patient of another clinic and for no patient at all.",
)
def patient_fhir_record(request: Any, patient_id: int = ID) -> None:
    raise NotImplementedError


DOCUMENTS["patient_fhir_record"] = fhir_views.patient_record


@api.get(
    "/clinic/fhir/Group/{clinic_id}/$export",
    response={
        202: s.OperationOutcomeOut,
        400: s.OperationOutcomeOut,
        403: None,
        404: s.OperationOutcomeOut,
    },
    openapi_extra=extra(
        SESSION,
        s202={
            "description": "Accepted: poll the status URL in Content-Location.",
            "headers": {"Content-Location": {"schema": {"type": "string"}, "required": True}},
        },
        s403=HTML_FORBIDDEN,
    ),
    **documents(fhir_views.kick_off, "bulk_kick_off"),
)
def bulk_kick_off(
    request: Any,
    clinic_id: int = ID,
    prefer: str = Header(None, alias="Prefer", description="respond-async"),
    output_format: str = Query(None, alias="_outputFormat"),
    types: str = Query(None, alias="_type"),
    since: str = Query(None, alias="_since"),
) -> None:
    raise NotImplementedError


@api.get(
    "/clinic/fhir/bulk/{export_id}/",
    response={
        200: s.ManifestOut,
        202: None,
        403: None,
        404: s.OperationOutcomeOut,
        500: s.OperationOutcomeOut,
    },
    openapi_extra=extra(
        SESSION,
        s202={
            "description": "Accepted: still running.",
            "headers": {
                "Retry-After": {"schema": {"type": "integer"}, "required": True},
                "X-Progress": {"schema": {"type": "string"}, "required": True},
            },
        },
        s403=HTML_FORBIDDEN,
    ),
    **documents(fhir_views.export_status, "bulk_status"),
)
def bulk_status(request: Any, export_id: UUID) -> None:
    raise NotImplementedError


@api.delete(
    "/clinic/fhir/bulk/{export_id}/",
    response={202: None, 403: None, 404: s.OperationOutcomeOut},
    openapi_extra=extra(SESSION, s403=HTML_FORBIDDEN),
    operation_id="bulk_delete",
    summary="Cancel an export, or delete a finished one and its files.",
)
def bulk_delete(request: Any, export_id: UUID) -> None:
    raise NotImplementedError


DOCUMENTS["bulk_delete"] = fhir_views.export_status


@api.get(
    "/clinic/fhir/bulk/{export_id}/{resource_type}.ndjson",
    response={200: None, 403: None, 404: s.OperationOutcomeOut},
    openapi_extra=extra(
        SESSION,
        s200={
            "description": "One resource type's file, one resource a line.",
            "content": {codes.FHIR_NDJSON: {"schema": {"type": "string"}}},
        },
        s403=HTML_FORBIDDEN,
    ),
    **documents(fhir_views.export_download, "bulk_file"),
)
def bulk_file(request: Any, export_id: UUID, resource_type: str = RESOURCE_TYPE) -> None:
    raise NotImplementedError


@cache
def schema() -> dict[str, Any]:
    """The OpenAPI document, as served (made once per process)."""
    document: dict[str, Any] = dict(api.get_openapi_schema(path_prefix=""))
    components = document.setdefault("components", {})
    components["securitySchemes"] = {
        "session": {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME},
        "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
    }
    for (path, method), statuses in FHIR_ANSWERS.items():
        answers = document["paths"][path][method]["responses"]
        for status in statuses:
            content = answers[status]["content"]
            content[codes.FHIR_JSON] = content.pop("application/json")
    return document
