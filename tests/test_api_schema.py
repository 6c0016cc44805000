"""The OpenAPI schema at /api/openapi.json, and schemathesis sending requests made from it
to the app (in-process, through WSGI), signed in as a patient and as a clinic admin.

Every answer must be no server error, and must match the schema: its status code, its
content type and its body. No answer to alice or to Riverside's staff may hold anything of
frank's, a patient of another clinic (Hilltop). API_FUZZ_EXAMPLES sets how many requests
each operation gets per account (25 when not set).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import uuid
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import resolve
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from stenosis_coach.api.openapi import DOCUMENTS
from stenosis_coach.clinic.models import StaffMember
from stenosis_coach.fhir.models import BulkExport
from stenosis_coach.jobs.testing import run_queued_jobs
from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.patients.actions import create_patient
from stenosis_coach.patients.models import Clinic, Patient
from stenosis_coach.practice.actions import current_prescription, record_pain_answers
from stenosis_coach.practice.api import OWNER_HEADER, outbox_owner
from stenosis_coach.practice.uploads import parse_pain_upload
from tests.fhir_records import sharing
from tests.patient_pages import do_session, fetch_prepared, logged_in, ready

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SCHEMA_URL = "/api/openapi.json"


# ---------------------------------------------------------------------------------------
# The schema


def test_the_schema_is_served_and_is_openapi_3(client: Client) -> None:
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = response.json()
    assert document["openapi"].startswith("3.")
    schemathesis.openapi.from_dict(document).validate()  # against the OpenAPI 3 meta-schema
    assert {
        "/api/plan/",
        "/api/offline-stamp/",
        "/api/sessions/",
        "/api/pain/",
        "/reminders/push/key",
        "/reminders/push/subscribe",
        "/reminders/push/unsubscribe",
        "/reminders/push/test",
        "/settings/time-zone/",
        "/my-data/fhir.json",
        "/clinic/patients/{patient_id}/fhir.json",
        "/clinic/fhir/Group/{clinic_id}/$export",
        "/clinic/fhir/bulk/{export_id}/",
        "/clinic/fhir/bulk/{export_id}/{resource_type}.ndjson",
    } <= set(document["paths"])


def test_the_upload_bodies_are_the_models_that_validate_them(client: Client) -> None:
    from stenosis_coach.practice.uploads import PainUpload, SessionUpload

    document = client.get(SCHEMA_URL).json()
    components = document["components"]["schemas"]
    for path, model in (("/api/sessions/", SessionUpload), ("/api/pain/", PainUpload)):
        body = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        assert body["schema"] == {"$ref": f"#/components/schemas/{model.__name__}"}
        assert components[model.__name__]["required"] == model.model_json_schema()["required"]


def test_every_path_is_served_by_the_view_it_documents(client: Client) -> None:
    document = client.get(SCHEMA_URL).json()
    examples = {"patient_id": "1", "clinic_id": "1", "export_id": str(uuid.uuid4())}
    examples["resource_type"] = "Patient"
    for path, operations in document["paths"].items():
        url = path.format(**examples)
        for method, operation in operations.items():
            view = DOCUMENTS[operation["operationId"]]
            served = resolve(url).func
            assert getattr(served, "__wrapped__", served).__name__ == view.__name__, (
                method,
                path,
            )
            assert served.__module__ == view.__module__


def test_the_schema_needs_no_sign_in_and_only_get() -> None:
    assert Client().get(SCHEMA_URL).status_code == 200
    assert Client().post(SCHEMA_URL).status_code == 405


# ---------------------------------------------------------------------------------------
# Fuzzing


class App:
    """The app as a server runs it (WSGI), but, as Django's test client does, without closing
    the database connection at each request's start and end: the test's transaction stays
    open (and its data seen) across requests. The answer is read whole before it returns."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            answer = self.handler(environ, start_response)
            try:
                return [b"".join(answer)]
            finally:
                answer.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@pytest.fixture
def app(db: None) -> App:
    return App()


@pytest.fixture
def no_real_push(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test push would go to the push service on the internet."""
    monkeypatch.setattr("stenosis_coach.reminders.views_push.send_test_push", lambda patient: 1)


@pytest.fixture
def frank(charlie: User) -> Patient:
    """A patient of Hilltop (charlie's clinic), with sessions and pain answers."""
    user = User.objects.create_user(
        "frank-zebedee",
        "frank.zebedee@hilltop.example",
        "unused-Frank-pw-1",
        first_name="Frankfurter",
        last_name="Zebedeeson",
    )
    hilltop = StaffMember.objects.get(user=charlie).clinic
    patient = ready(create_patient(user, clinic=hilltop, therapist=charlie))
    do_session(patient, days_ago=2)
    do_session(patient, days_ago=1)
    answers = {"uuid": str(uuid.uuid4()), "leg": 9, "back": 3}
    record_pain_answers(patient, parse_pain_upload({**answers, "taken_at": now_text()}))
    BulkExport.objects.create(clinic=hilltop, requested_by=charlie, request_url="x", types=[])
    return patient


def now_text() -> str:
    from django.utils import timezone

    return timezone.now().isoformat()


def franks_marks(frank: Patient) -> set[str]:
    """What would give frank away in an answer: his ids, names, address and records."""
    marks = {
        frank.user.username,
        frank.user.email,
        frank.user.first_name,
        frank.user.last_name,
    }
    marks |= {str(record.uuid) for record in frank.sessions.all()}
    answers = PainCheckIn.objects.filter(patient=frank, uuid__isnull=False)
    marks |= {str(checkin.uuid) for checkin in answers}
    marks |= {str(export.pk) for export in BulkExport.objects.filter(clinic=frank.clinic)}
    return {mark for mark in marks if mark}


def signed_in(user: User) -> dict[str, dict[str, str]]:
    """The cookies and headers of a browser signed in as `user` (staff past two-step), with
    a CSRF token, as the app's pages give one."""
    client = logged_in(user)
    token = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
    return {
        "cookies": {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
            settings.CSRF_COOKIE_NAME: token,
        },
        # Schemathesis's WSGI client asks for gzip but does not unpack it; the compression
        # itself is tested in test_security_headers.
        "headers": {"X-CSRFToken": token, "Accept-Encoding": "identity"},
    }


def fitted_to(patient: Patient) -> Any:
    """A session upload made to fit `patient`'s prescription (its version, its exercises)
    and sent from their own device, so that it gets past the checks a random one fails
    and into storing it; the rest stays as generated."""
    version = current_prescription(patient)
    ids = [item.exercise_id for item in version.items.all() if item.to_engine().active]

    def fit(case: Any) -> Any:
        case.headers = {**(case.headers or {}), OWNER_HEADER: outbox_owner(patient.user)}
        if isinstance(case.body, dict):
            case.body["prescription_version"] = version.number
            for index, result in enumerate(case.body.get("results") or []):
                if isinstance(result, dict):
                    result["exercise_id"] = ids[index % len(ids)]
        return case

    return fit


def with_path(case: Any, values: dict[str, Any]) -> Any:
    case.path_parameters = {**(case.path_parameters or {}), **values}
    return case


def known_ids(alice: Patient, frank: Patient, erin: User) -> dict[str, list[Any]]:
    """Ids that exist, for the path parameters (random ones are nearly always a 404): alice's
    and Riverside's, and frank's and Hilltop's, which no one here may reach."""
    riverside = Clinic.objects.get(pk=alice.clinic_id)
    ours = BulkExport.objects.create(clinic=riverside, requested_by=erin, request_url="x", types=[])
    theirs = BulkExport.objects.get(clinic=frank.clinic)
    return {
        "patient_id": [alice.pk, frank.pk],
        "clinic_id": [riverside.pk, frank.clinic_id],
        "export_id": [str(ours.pk), str(theirs.pk)],
    }


def franks_ids(frank: Patient) -> set[str]:
    export = BulkExport.objects.get(clinic=frank.clinic)
    return {str(frank.pk), str(frank.clinic_id), str(export.pk)}


def fuzz(
    app: App,
    account: dict[str, dict[str, str]],
    marks: set[str],
    *,
    player: Patient | None = None,
    ids: dict[str, list[Any]] | None = None,
    out_of_reach: set[str] = frozenset(),  # type: ignore[assignment]
) -> int:
    """Every operation, EXAMPLES requests each; for `player`, also uploads that fit their
    prescription, and with `ids`, requests aimed at those ids, where any of `out_of_reach`
    must get 404. Returns how many requests were sent."""
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, app)
    schema.config.generation.update(with_security_parameters=False, allow_x00=False)
    sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        strategies = [operation.as_strategy()]
        if player is not None and operation.path in ("/api/sessions/", "/api/pain/"):
            strategies.append(operation.as_strategy().map(fitted_to(player)))
        aimed = {name: values for name, values in (ids or {}).items() if name in operation.path}
        if aimed:
            choice = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in aimed.items()})
            strategies.append(
                st.tuples(operation.as_strategy(), choice).map(lambda x: with_path(*x))
            )

        for strategy in strategies:

            @hypothesis_settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def check(case: Any) -> None:
                nonlocal sent
                response = case.call(**account)
                sent += 1
                case.validate_response(response, checks=CHECKS)
                assert_nothing_of(marks, response, case)
                aimed_at = {str(value) for value in (case.path_parameters or {}).values()}
                if aimed_at & out_of_reach:
                    assert response.status_code == 404, (case.method, case.formatted_path)

            check()

        @hypothesis_settings(
            max_examples=max(1, EXAMPLES // 2),
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(GenerationMode.NEGATIVE))
        def check_broken(case: Any) -> None:
            """Requests that break the schema: refused, never a server error (their status
            and content type are not checked: a path that does not match is Django's
            HTML 404)."""
            nonlocal sent
            response = case.call(**account)
            sent += 1
            case.validate_response(response, checks=[not_a_server_error])
            assert_nothing_of(marks, response, case)

        with contextlib.suppress(Unsatisfiable):  # nothing to break: no parameters, no body
            check_broken()
    return sent


def assert_nothing_of(marks: set[str], response: Any, case: Any) -> None:
    headers = " ".join(value for values in response.headers.values() for value in values)
    answer = response.content.decode("utf-8", "replace") + " " + headers
    found = [mark for mark in marks if mark.lower() in answer.lower()]
    assert not found, f"{case.method} {case.formatted_path}: another patient's {found}"


@pytest.fixture
def no_upload_limit(settings: Any) -> None:
    """Fuzzing sends more uploads in a minute than a patient may: the 429 would hide the
    rest (it is checked on its own, in test_each_documented_answer_matches_the_schema)."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (100_000, 60)}


@pytest.mark.usefixtures("no_real_push", "no_upload_limit")
def test_fuzzing_as_a_patient(app: App, alice: Patient, erin: User, frank: Patient) -> None:
    do_session(ready(alice))
    fetch_prepared(logged_in(alice), "/my-data/fhir.json")  # a Bundle ready to serve
    ids, marks = known_ids(alice, frank, erin), franks_marks(frank)
    everyone_elses = {str(value) for values in ids.values() for value in values}
    sent = fuzz(
        app, signed_in(alice.user), marks, player=alice, ids=ids, out_of_reach=everyone_elses
    )
    assert sent >= 13 * EXAMPLES


@pytest.mark.usefixtures("no_real_push", "no_upload_limit")
def test_fuzzing_as_a_clinic_admin(app: App, alice: Patient, erin: User, frank: Patient) -> None:
    do_session(ready(sharing(alice)))
    ids, marks = known_ids(alice, frank, erin), franks_marks(frank)
    sent = fuzz(app, signed_in(erin), marks, ids=ids, out_of_reach=franks_ids(frank))
    assert sent >= 13 * EXAMPLES


def test_another_clinics_patient_and_export_are_not_found(
    app: App, alice: Patient, erin: User, frank: Patient
) -> None:
    """The reads most likely to leak, aimed at frank on purpose (fuzzing rarely guesses his
    ids): Riverside's admin gets 404, and each answer matches the schema."""
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, app)
    account = signed_in(erin)
    export = BulkExport.objects.get(clinic=frank.clinic)
    attempts = [
        ("GET", "/clinic/patients/{patient_id}/fhir.json", {"patient_id": frank.pk}),
        ("GET", "/clinic/fhir/bulk/{export_id}/", {"export_id": str(export.pk)}),
        ("DELETE", "/clinic/fhir/bulk/{export_id}/", {"export_id": str(export.pk)}),
        (
            "GET",
            "/clinic/fhir/bulk/{export_id}/{resource_type}.ndjson",
            {"export_id": str(export.pk), "resource_type": "Patient"},
        ),
        ("GET", "/clinic/fhir/Group/{clinic_id}/$export", {"clinic_id": frank.clinic_id}),
    ]
    for method, path, parameters in attempts:
        case = schema[path][method].Case(path_parameters=parameters)
        response = case.call(**account)
        case.validate_response(response, checks=CHECKS)
        assert response.status_code == 404, (method, path)
        assert_nothing_of(franks_marks(frank), response, case)
    assert BulkExport.objects.filter(clinic=frank.clinic).exists()  # not deleted


def test_another_patients_uuids_are_refused_and_not_shown(
    app: App, alice: Patient, frank: Patient, payload_for: Any
) -> None:
    """alice's player sends a session and pain answers under frank's UUIDs: 409, with
    nothing of his in the answer, and his records unchanged."""
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, app)
    account = signed_in(ready(alice).user)
    his_session = frank.sessions.first()
    his_answers = PainCheckIn.objects.filter(patient=frank, uuid__isnull=False).get()
    assert his_session is not None
    pain = {"uuid": str(his_answers.uuid), "taken_at": now_text(), "leg": 1, "back": 1}
    uploads = [
        ("/api/sessions/", payload_for(alice, uuid=str(his_session.uuid))),
        ("/api/pain/", pain),
    ]
    for path, body in uploads:
        case = schema[path]["POST"].Case(body=body, media_type="application/json")
        response = case.call(**account)
        case.validate_response(response, checks=CHECKS)
        assert response.status_code == 409, (path, response.content)
        assert_nothing_of(franks_marks(frank), response, case)
    assert frank.sessions.count() == 2
    his_answers.refresh_from_db()
    assert (his_answers.patient_id, his_answers.leg_pain) == (frank.pk, 9)


def test_each_documented_answer_matches_the_schema(
    app: App,
    alice: Patient,
    dave: Patient,
    erin: User,
    payload_for: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The answers fuzzing seldom reaches (a stored session, a plan refused, a file made,
    a finished export, CSRF refused, too many uploads), each checked against the schema."""
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, app)
    patient, admin = signed_in(ready(sharing(alice)).user), signed_in(erin)
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (3, 60)}

    def call(account: Any, method: str, path: str, status: int, **parts: Any) -> Any:
        case = schema[path][method].Case(**parts)
        with django_capture_on_commit_callbacks(execute=True):
            response = case.call(**account)
        case.validate_response(response, checks=CHECKS)
        assert response.status_code == status, (method, path, response.content[:300])
        return response

    session = payload_for(alice)
    upload = {"body": session, "media_type": "application/json"}
    call(patient, "POST", "/api/sessions/", 201, **upload)
    call(patient, "POST", "/api/sessions/", 200, **upload)
    pain = {"uuid": str(uuid.uuid4()), "taken_at": now_text(), "leg": 9, "back": 2}
    call(patient, "POST", "/api/pain/", 201, body=pain, media_type="application/json")
    call(patient, "POST", "/api/pain/", 429, body=pain, media_type="application/json")
    call(patient, "GET", "/api/plan/", 200)
    call(signed_in(dave.user), "GET", "/api/plan/", 403)  # not onboarded yet
    call({}, "GET", "/api/plan/", 401)
    without_token = {"cookies": patient["cookies"]}
    call(without_token, "POST", "/api/sessions/", 403, **upload)
    call(without_token, "POST", "/reminders/push/test", 403)

    call(patient, "GET", "/my-data/fhir.json", 302)
    run_queued_jobs()
    bundle = call(patient, "GET", "/my-data/fhir.json", 200)
    assert bundle.headers["content-type"] == ["application/fhir+json"]
    record = "/clinic/patients/{patient_id}/fhir.json"
    call(admin, "GET", record, 302, path_parameters={"patient_id": alice.pk})
    run_queued_jobs()
    call(admin, "GET", record, 200, path_parameters={"patient_id": alice.pk})

    clinic = {"clinic_id": alice.clinic_id}
    asked = {"Prefer": "respond-async"}
    kick_off = "/clinic/fhir/Group/{clinic_id}/$export"
    call(admin, "GET", kick_off, 400, path_parameters=clinic)
    started = call(admin, "GET", kick_off, 202, path_parameters=clinic, headers=asked)
    export = {"export_id": started.headers["content-location"][0].rstrip("/").split("/")[-1]}
    status = "/clinic/fhir/bulk/{export_id}/"
    call(admin, "GET", status, 202, path_parameters=export)
    run_queued_jobs()
    manifest = call(admin, "GET", status, 200, path_parameters=export).json()
    assert manifest["output"], manifest
    files = "/clinic/fhir/bulk/{export_id}/{resource_type}.ndjson"
    kind = {**export, "resource_type": manifest["output"][0]["type"]}
    call(admin, "GET", files, 200, path_parameters=kind)
    call(admin, "DELETE", status, 202, path_parameters=export)
    call(admin, "GET", status, 404, path_parameters=export)
