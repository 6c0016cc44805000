"""The clinic's FHIR Bulk Data export (stenosis_coach/fhir/bulk.py and views.py):
kick-off, polling, the manifest, the NDJSON files, `_type` and `_since`, cancelling, the
job run twice, the audit entry, and who may do it (a clinic admin of that clinic only)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class

from stenosis_coach.clinic.models import AuditEntry, StaffMember
from stenosis_coach.fhir import bulk
from stenosis_coach.fhir.models import BulkExport, BulkExportFile
from stenosis_coach.fhir.tasks import make_bulk_export
from stenosis_coach.jobs.testing import run_queued_jobs
from stenosis_coach.patients.actions import create_patient
from stenosis_coach.patients.models import Clinic, Patient
from tests.clinic_pages import client_for
from tests.fhir_records import ndjson, references, sharing, with_history

ASYNC = {"HTTP_ACCEPT": "application/fhir+json", "HTTP_PREFER": "respond-async"}


@pytest.fixture
def records(
    alice: Patient, riverside: Clinic, bob: User, charlie: User, dave: Patient
) -> dict[str, Patient]:
    """alice shares with Riverside (with history); frank is Riverside's but does not share
    yet; dave has no clinic; hilda shares with Hilltop, charlie's clinic."""
    sharing(with_history(alice, days=8))
    frank = create_patient(User.objects.create_user("frank", "frank@example.org"), clinic=riverside)
    hilltop = StaffMember.objects.get(user=charlie).clinic
    hilda = sharing(create_patient(User.objects.create_user("hilda"), clinic=hilltop))
    return {"alice": alice, "frank": frank, "dave": dave, "hilda": hilda}


def kick_off_url(clinic: Clinic) -> str:
    return f"/clinic/fhir/Group/{clinic.pk}/$export"


def kick_off(
    client: Client, clinic: Clinic, commits: Any, headers: dict[str, str] = ASYNC, **params: str
) -> Any:
    with commits(execute=True):
        return client.get(kick_off_url(clinic), params, **headers)


def finished_manifest(client: Client, response: Any) -> dict[str, Any]:
    assert response.status_code == 202, response.content
    status_url = response["Content-Location"]
    assert status_url.startswith("http://testserver/clinic/fhir/bulk/")
    run_queued_jobs()
    done = client.get(status_url)
    assert done.status_code == 200
    assert done["Content-Type"] == "application/json"
    return json.loads(done.content)


def downloaded(client: Client, manifest: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    files = {}
    for output in manifest["output"]:
        response = client.get(output["url"])
        assert response.status_code == 200
        assert response["Content-Type"] == "application/fhir+ndjson"
        assert "no-store" in response["Cache-Control"]
        files[output["type"]] = ndjson(response.content)
        assert len(files[output["type"]]) == output["count"]
    return files


def test_kick_off_poll_and_download(
    records: dict[str, Patient],
    erin: User,
    riverside: Clinic,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(erin)
    response = kick_off(client, riverside, django_capture_on_commit_callbacks)
    assert response.status_code == 202
    waiting = client.get(response["Content-Location"])
    assert waiting.status_code == 202
    assert int(waiting["Retry-After"]) > 0
    assert waiting["X-Progress"] == "queued"

    manifest = finished_manifest(client, response)

    assert manifest["requiresAccessToken"] is True
    assert manifest["error"] == []
    assert manifest["request"].endswith(kick_off_url(riverside))
    assert dt.datetime.fromisoformat(manifest["transactionTime"].replace("Z", "+00:00"))
    types = [output["type"] for output in manifest["output"]]
    assert len(types) == len(set(types))
    assert {"Patient", "Observation", "ServiceRequest", "DiagnosticReport"} <= set(types)
    files = downloaded(client, manifest)
    assert [p["identifier"][0]["value"] for p in files["Patient"]] == [str(records["alice"].pk)]
    assert [o["name"] for o in files["Organization"]] == ["Riverside Physio"]


def test_every_line_validates_and_every_reference_resolves(
    records: dict[str, Patient],
    erin: User,
    riverside: Clinic,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(erin)
    files = downloaded(
        client,
        finished_manifest(client, kick_off(client, riverside, django_capture_on_commit_callbacks)),
    )
    exported = {f"{kind}/{r['id']}" for kind, lines in files.items() for r in lines}
    for kind, lines in files.items():
        for resource in lines:
            assert resource["resourceType"] == kind
            get_fhir_model_class(kind).model_validate(resource)
            for target in references(resource):
                assert target in exported  # relative, and in the export


def test_only_patients_who_share_with_this_clinic_are_in_it(
    records: dict[str, Patient],
    erin: User,
    riverside: Clinic,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(erin)
    files = downloaded(
        client,
        finished_manifest(client, kick_off(client, riverside, django_capture_on_commit_callbacks)),
    )
    text = json.dumps(files)
    assert "frank@example.org" not in text
    others = [records["frank"], records["dave"], records["hilda"]]
    patient_ids = [p["identifier"][0]["value"] for p in files["Patient"]]
    assert not any(str(other.pk) in patient_ids for other in others)
    subjects = {o["subject"]["reference"] for o in files["Observation"]}
    assert subjects == {f"Patient/{files['Patient'][0]['id']}"}


def test_type_limits_the_files(
    records: dict[str, Patient],
    erin: User,
    riverside: Clinic,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(erin)
    response = kick_off(
        client, riverside, django_capture_on_commit_callbacks, _type="Patient,Observation"
    )
    manifest = finished_manifest(client, response)
    assert [output["type"] for output in manifest["output"]] == ["Patient", "Observation"]


def test_since_gives_what_changed_after_it(
    records: dict[str, Patient],
    erin: User,
    riverside: Clinic,
    django_capture_on_commit_callbacks: Any,
) -> None:
    alice = records["alice"]
    alice.sharing_since = timezone.now() - dt.timedelta(days=30)
    alice.save(update_fields=["sharing_since"])
    since = timezone.now() - dt.timedelta(days=3)
    client = client_for(erin)

    everything = downloaded(
        client,
        finished_manifest(client, kick_off(client, riverside, django_capture_on_commit_callbacks)),
    )
    response = kick_off(
        client,
        riverside,
        django_capture_on_commit_callbacks,
        _since=since.isoformat(timespec="seconds"),
    )
    recent = downloaded(client, finished_manifest(client, response))

    assert 0 < len(recent["Observation"]) < len(everything["Observation"])
    for observation in recent["Observation"]:
        changed = observation["meta"]["lastUpdated"].replace("Z", "+00:00")
        assert dt.datetime.fromisoformat(changed) > since
    assert len(recent["Patient"]) == 1  # no change time kept: always in it


def test_a_patient_who_began_sharing_after_since_comes_whole(
    records: dict[str, Patient],
    erin: User,
    riverside: Clinic,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(erin)
    since = (timezone.now() - dt.timedelta(hours=1)).isoformat(timespec="seconds")
    response = kick_off(client, riverside, django_capture_on_commit_callbacks, _since=since)
    recent = downloaded(client, finished_manifest(client, response))
    sessions = records["alice"].sessions.count()
    assert len(recent["Observation"]) > sessions  # every session, pain and walk


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({"_type": "Patient,Banana"}, ASYNC),
        ({"_type": ""}, ASYNC),
        ({"_since": "yesterday"}, ASYNC),
        ({"_since": "2026-03-01"}, ASYNC),  # a date, not an instant
        ({"_since": "2026-03-01T10:00:00"}, ASYNC),  # no time zone
        ({"_since": "2026-02-30T10:00:00Z"}, ASYNC),  # no such day
        ({"_outputFormat": "text/csv"}, ASYNC),
        ({}, {"HTTP_ACCEPT": "application/fhir+json"}),  # no Prefer: respond-async
        ({}, {"HTTP_ACCEPT": "text/html", "HTTP_PREFER": "respond-async"}),
    ],
)
def test_bad_requests_get_400_with_an_operation_outcome(
    records: dict[str, Patient],
    erin: User,
    riverside: Clinic,
    django_capture_on_commit_callbacks: Any,
    params: dict[str, str],
    headers: dict[str, str],
) -> None:
    response = kick_off(
        client_for(erin), riverside, django_capture_on_commit_callbacks, headers, **params
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/fhir+json"
    outcome = json.loads(response.content)
    get_fhir_model_class("OperationOutcome").model_validate(outcome)
    assert outcome["issue"][0]["severity"] == "error"
    assert outcome["issue"][0]["diagnostics"]
    assert not BulkExport.objects.exists()
    assert not AuditEntry.objects.exists()


def test_each_export_leaves_one_audit_entry(
    records: dict[str, Patient],
    erin: User,
    riverside: Clinic,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(erin)
    finished_manifest(client, kick_off(client, riverside, django_capture_on_commit_callbacks))
    (entry,) = AuditEntry.objects.all()
    assert (entry.who, entry.patient, entry.action) == (erin, None, AuditEntry.READ)
    assert entry.what.startswith("FHIR bulk export of the clinic")


def test_delete_cancels_and_deletes(
    records: dict[str, Patient],
    erin: User,
    riverside: Clinic,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(erin)
    status_url = kick_off(client, riverside, django_capture_on_commit_callbacks)["Content-Location"]
    assert client.delete(status_url).status_code == 202
    run_queued_jobs()  # the job finds its export gone and writes nothing
    assert client.get(status_url).status_code == 404
    assert not BulkExport.objects.exists()
    assert not BulkExportFile.objects.exists()


def test_a_finished_export_can_be_deleted(
    records: dict[str, Patient],
    erin: User,
    riverside: Clinic,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(erin)
    response = kick_off(client, riverside, django_capture_on_commit_callbacks)
    url = finished_manifest(client, response)["output"][0]["url"]
    assert client.delete(response["Content-Location"]).status_code == 202
    assert client.get(url).status_code == 404
    assert not BulkExportFile.objects.exists()


def test_the_job_run_twice_makes_the_same_files(
    records: dict[str, Patient], erin: User, riverside: Clinic
) -> None:
    export = BulkExport.objects.create(clinic=riverside, requested_by=erin, request_url="x")
    assert bulk.run_export(str(export.pk)) is True
    first = {f.resource_type: f.content for f in export.files.all()}
    assert bulk.run_export(str(export.pk)) is False  # done: left as it is
    # One that stopped half-way (a worker killed) is made again from the start.
    BulkExport.objects.filter(pk=export.pk).update(status=BulkExport.Status.RUNNING)
    export.files.filter(resource_type="Patient").delete()
    assert make_bulk_export.call(str(export.pk)) is True
    again = {f.resource_type: f.content for f in export.files.all()}
    assert again.keys() == first.keys()
    for kind in first:
        if kind != "DiagnosticReport":  # the handout's PDF says when it was made
            assert again[kind] == first[kind]


def test_a_failed_export_says_so(
    records: dict[str, Patient], erin: User, riverside: Clinic
) -> None:
    export = BulkExport.objects.create(clinic=riverside, requested_by=erin, request_url="x")
    bulk.mark_failed(str(export.pk))
    response = client_for(erin).get(f"/clinic/fhir/bulk/{export.pk}/")
    assert response.status_code == 500
    assert json.loads(response.content)["issue"][0]["code"] == "exception"


# ---------------------------------------------------------------------------------------
# Who may


def test_a_therapist_who_is_not_an_admin_cannot_export(
    records: dict[str, Patient],
    bob: User,
    erin: User,
    riverside: Clinic,
    django_capture_on_commit_callbacks: Any,
) -> None:
    response = kick_off(client_for(bob), riverside, django_capture_on_commit_callbacks)
    assert response.status_code == 404
    assert not BulkExport.objects.exists()
    # Nor read one an admin made.
    erins = kick_off(client_for(erin), riverside, django_capture_on_commit_callbacks)
    manifest = finished_manifest(client_for(erin), erins)
    assert client_for(bob).get(erins["Content-Location"]).status_code == 404
    assert client_for(bob).get(manifest["output"][0]["url"]).status_code == 404
    assert client_for(bob).delete(erins["Content-Location"]).status_code == 404
    assert BulkExport.objects.count() == 1


def test_another_clinics_admin_gets_404(
    records: dict[str, Patient],
    charlie: User,
    erin: User,
    riverside: Clinic,
    django_capture_on_commit_callbacks: Any,
) -> None:
    StaffMember.objects.filter(user=charlie).update(role=StaffMember.ADMIN)
    client = client_for(charlie)
    assert kick_off(client, riverside, django_capture_on_commit_callbacks).status_code == 404
    response = kick_off(client_for(erin), riverside, django_capture_on_commit_callbacks)
    manifest = finished_manifest(client_for(erin), response)
    assert client.get(response["Content-Location"]).status_code == 404
    assert client.get(manifest["output"][0]["url"]).status_code == 404
    assert client.delete(response["Content-Location"]).status_code == 404
    # Their own clinic's export has none of Riverside's patients.
    hilltop = StaffMember.objects.get(user=charlie).clinic
    own = finished_manifest(client, kick_off(client, hilltop, django_capture_on_commit_callbacks))
    patients = downloaded(client, own)["Patient"]
    assert [p["identifier"][0]["value"] for p in patients] == [str(records["hilda"].pk)]


def test_patients_and_signed_out_get_404(
    records: dict[str, Patient], riverside: Clinic, django_capture_on_commit_callbacks: Any
) -> None:
    for client in (client_for(records["alice"]), Client()):
        response = kick_off(client, riverside, django_capture_on_commit_callbacks)
        assert response.status_code == 404
        assert json.loads(response.content)["resourceType"] == "OperationOutcome"
    assert not BulkExport.objects.exists()


def test_a_status_url_that_is_not_an_export_gets_404(erin: User) -> None:
    client = client_for(erin)
    assert client.get("/clinic/fhir/bulk/6b0f3d4e-2a8c-5e71-9d3b-4c5a7e8f1a20/").status_code == 404


def test_a_bulk_export_is_deleted_after_a_day(
    records: dict[str, Patient],
    erin: User,
    riverside: Clinic,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """It holds many patients' records: kept a day to download, then gone (so a patient who
    deletes their account is not left in old files)."""
    from django.utils import timezone

    from stenosis_coach.fhir.models import BulkExport, BulkExportFile
    from stenosis_coach.fhir.tasks import prune_exports

    client = client_for(erin)
    finished_manifest(client, kick_off(client, riverside, django_capture_on_commit_callbacks))
    assert prune_exports() == 0
    BulkExport.objects.update(created_at=timezone.now() - dt.timedelta(days=2))
    assert prune_exports() >= 1
    assert not BulkExportFile.objects.exists()
