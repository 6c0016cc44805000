"""A patient's FHIR R4 Bundle (stenosis_coach/fhir/bundle.py): it validates with
fhir.resources' R4B models, and keeps the rules that library does not check: the Physical
Activity IG's categories, pa-sr-1, LOINC and UCUM codes, references that resolve inside the
Bundle, and nothing of another patient. Then the two downloads, the patient's and the
therapist's."""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from stenosis_coach.clinic.models import AuditEntry
from stenosis_coach.fhir import codes
from stenosis_coach.fhir.bundle import patient_bundle
from stenosis_coach.patients.actions import set_diagnosis
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription, save_prescription
from stenosis_coach.practice.models import PrescriptionVersion
from stenosis_coach.programme import Schedule, dose_label, load_catalogue
from tests.clinic_pages import audit_count, client_for
from tests.fhir_records import codings, references, resources, with_history
from tests.patient_pages import fetch_prepared

PA_CATEGORY = (codes.PA_TEMPORARY_CODES, "PhysicalActivity")
PAIN = ("http://loinc.org", "72514-3")
DURATION = ("http://loinc.org", "55411-3")
UCUM = "http://unitsofmeasure.org"


@pytest.fixture
def alice_record(alice: Patient) -> Patient:
    return with_history(alice)


@pytest.fixture
def bundle(alice_record: Patient) -> dict[str, Any]:
    return patient_bundle(alice_record)


def observations_coded(bundle: dict[str, Any], code: tuple[str, str]) -> list[dict[str, Any]]:
    return [r for r in resources(bundle, "Observation") if code in codings(r["code"])]


# ---------------------------------------------------------------------------------------
# What fhir.resources checks


def test_the_bundle_validates_with_the_r4b_models(bundle: dict[str, Any]) -> None:
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "collection"
    Bundle.model_validate(bundle)
    for resource in resources(bundle):
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def test_the_bundle_holds_every_kind_of_record(bundle: dict[str, Any]) -> None:
    kinds = {resource["resourceType"] for resource in resources(bundle)}
    assert kinds == {
        "Patient",
        "Practitioner",
        "Organization",
        "Condition",
        "CarePlan",
        "Goal",
        "ServiceRequest",
        "Observation",
        "Questionnaire",
        "QuestionnaireResponse",
        "DiagnosticReport",
    }


def test_a_broken_resource_does_not_validate(bundle: dict[str, Any]) -> None:
    """The check above can fail: a ServiceRequest with no status is refused."""
    broken = json.loads(json.dumps(bundle))
    del resources(broken, "ServiceRequest")[0]["status"]
    with pytest.raises(ValueError, match="status"):
        Bundle.model_validate(broken)


# ---------------------------------------------------------------------------------------
# What it does not


def test_every_reference_is_the_full_url_of_an_entry(bundle: dict[str, Any]) -> None:
    full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(set(full_urls)) == len(full_urls)
    assert full_urls == [f"urn:uuid:{entry['resource']['id']}" for entry in bundle["entry"]]
    found = list(references(bundle))
    assert len(found) > 100
    assert set(found) <= set(full_urls)


def test_the_programme_is_in_the_physical_activity_category(bundle: dict[str, Any]) -> None:
    for kind in ("CarePlan", "Goal", "ServiceRequest"):
        found = resources(bundle, kind)
        assert found, kind
        for resource in found:
            categories = set().union(*(codings(c) for c in resource["category"]))
            assert PA_CATEGORY in categories, kind


def test_every_service_request_has_a_reason(alice_record: Patient, bundle: dict[str, Any]) -> None:
    """pa-sr-1: a reasonCode or a reasonReference; here the diagnosis, as a Condition."""
    (condition,) = resources(bundle, "Condition")
    requests = resources(bundle, "ServiceRequest")
    assert requests
    for request in requests:
        assert request["reasonReference"] == [{"reference": f"urn:uuid:{condition['id']}"}]


def test_without_a_diagnosis_there_is_no_condition_and_the_reason_is_the_symptoms(
    alice_record: Patient,
) -> None:
    set_diagnosis(alice_record, False)
    bundle = patient_bundle(alice_record)
    assert resources(bundle, "Condition") == []
    for request in resources(bundle, "ServiceRequest"):
        assert "reasonReference" not in request
        assert request["reasonCode"][0]["text"]


def test_the_condition_is_lumbar_spinal_stenosis(bundle: dict[str, Any]) -> None:
    (condition,) = resources(bundle, "Condition")
    assert codings(condition["code"]) == {
        ("http://hl7.org/fhir/sid/icd-10-cm", "M48.062"),
        ("http://snomed.info/sct", "18347007"),
    }


def test_one_service_request_per_exercise_with_its_dose_and_schedule(
    alice_record: Patient, bob: User
) -> None:
    current = current_prescription(alice_record)
    schedule = Schedule(2, frozenset({0, 2, 4}))
    changed = dataclasses.replace(current.to_engine(), schedule=schedule)
    save_prescription(alice_record, changed, PrescriptionVersion.Source.THERAPIST, by=bob)
    version = current_prescription(alice_record)
    prescribed = [item for item in version.items.all() if item.enabled and not item.locked]

    requests = resources(patient_bundle(alice_record), "ServiceRequest")

    catalogue = load_catalogue()
    assert [r["patientInstruction"] for r in requests] == [
        dose_label(item.dose, catalogue, "en") for item in prescribed
    ]
    for request in requests:
        assert ("http://snomed.info/sct", "229065009") in codings(request["code"])
        assert request["occurrenceTiming"]["repeat"] == {
            "frequency": 2,
            "period": 1,
            "periodUnit": "d",
            "dayOfWeek": ["mon", "wed", "fri"],
        }
        assert request["requester"]["reference"].startswith("urn:uuid:")


def test_pain_is_loinc_in_ucum_scores_with_leg_and_back_apart(
    alice_record: Patient, bundle: dict[str, Any]
) -> None:
    pain = observations_coded(bundle, PAIN)
    checkins = list(alice_record.pain_checkins.all())
    assert checkins
    assert len(pain) == 2 * len(checkins)
    for observation in pain:
        value = observation["valueQuantity"]
        assert (value["system"], value["code"]) == (UCUM, "{score}")
    leg = [o["valueQuantity"]["value"] for o in pain if o["bodySite"]["text"] == "Leg"]
    back = [o["valueQuantity"]["value"] for o in pain if o["bodySite"]["text"] == "Lower back"]
    assert leg == [checkin.leg_pain for checkin in checkins]
    assert back == [checkin.back_pain for checkin in checkins]
    assert leg != back  # the demo's back pain is 2 below the leg's


def test_sessions_and_walks_are_in_minutes(alice_record: Patient, bundle: dict[str, Any]) -> None:
    sessions = observations_coded(bundle, DURATION)
    assert len(sessions) == alice_record.sessions.count()
    walks = observations_coded(bundle, (codes.OUR_CODES, "walking-test-minutes"))
    assert [w["valueQuantity"]["value"] for w in walks] == [
        float(walk.minutes) for walk in alice_record.walking_tests.all()
    ]
    for observation in sessions + walks:
        value = observation["valueQuantity"]
        assert (value["system"], value["code"]) == (UCUM, "min")
        assert value["value"] > 0


def test_function_checks_answer_the_questionnaire(
    alice_record: Patient, bundle: dict[str, Any]
) -> None:
    (questionnaire,) = resources(bundle, "Questionnaire")
    answers = resources(bundle, "QuestionnaireResponse")
    checks = list(alice_record.function_checks.all())
    assert len(answers) == len(checks) >= 2
    assert all(a["questionnaire"].startswith(questionnaire["url"]) for a in answers)
    latest = answers[-1]["item"]
    scores = [item["item"][1]["answer"][0]["valueInteger"] for item in latest[:-1]]
    assert scores == [score.score for score in checks[-1].scores.all()]
    impression = latest[-1]["answer"][0]["valueCoding"]
    assert impression["code"] == f"global-impression-{checks[-1].impression}"


def test_the_handout_is_the_pdf_in_a_diagnostic_report(bundle: dict[str, Any]) -> None:
    (report,) = resources(bundle, "DiagnosticReport")
    (form,) = report["presentedForm"]
    assert form["contentType"] == "application/pdf"
    assert base64.b64decode(form["data"]).startswith(b"%PDF-")


def test_nothing_of_another_patient_is_in_it(alice_record: Patient, dave: Patient) -> None:
    dave.user.email = "dave@example.org"
    dave.user.save()
    with_history(dave, seed=2)
    alice_text = json.dumps(patient_bundle(alice_record))
    dave_bundle = patient_bundle(dave)

    assert "dave@example.org" not in alice_text
    for session in dave.sessions.all():
        assert str(session.uuid) not in alice_text
    shared = {"Questionnaire"}  # the same form for everyone
    dave_ids = {r["id"] for r in resources(dave_bundle) if r["resourceType"] not in shared}
    assert dave_ids
    assert not any(resource_id in alice_text for resource_id in dave_ids)


def test_the_ids_stay_the_same_from_one_export_to_the_next(
    alice_record: Patient, bundle: dict[str, Any]
) -> None:
    again = patient_bundle(alice_record)
    assert [e["fullUrl"] for e in again["entry"]] == [e["fullUrl"] for e in bundle["entry"]]


# ---------------------------------------------------------------------------------------
# The downloads


def assert_fhir_download(response: Any) -> dict[str, Any]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"]
    document = json.loads(response.content)
    Bundle.model_validate(document)
    return document


def test_the_patient_downloads_their_own_record(alice_record: Patient, dave: Patient) -> None:
    document = assert_fhir_download(fetch_prepared(client_for(alice_record), "/my-data/fhir.json"))
    (patient,) = resources(document, "Patient")
    assert patient["identifier"][0]["value"] == str(alice_record.pk)


def test_a_new_patient_can_download_too(dave: Patient) -> None:
    """My data is open before onboarding: no diagnosis yet, no handout."""
    document = assert_fhir_download(fetch_prepared(client_for(dave), "/my-data/fhir.json"))
    assert resources(document, "DiagnosticReport") == []
    assert resources(document, "Condition") == []


def test_signed_out_is_sent_to_log_in() -> None:
    response = Client().get("/my-data/fhir.json")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_therapist_downloads_it_with_an_audit_entry(alice_record: Patient, bob: User) -> None:
    url = f"/clinic/patients/{alice_record.pk}/fhir.json"
    before = audit_count(patient=alice_record, who=bob, action=AuditEntry.READ)
    document = assert_fhir_download(fetch_prepared(client_for(bob), url))
    assert resources(document, "Patient")[0]["id"]
    entries = AuditEntry.objects.filter(patient=alice_record, who=bob).order_by("-pk")
    assert entries.count() == before + 1
    assert entries[0].what == "downloaded FHIR record"


def test_no_one_else_gets_the_patients_record(
    alice_record: Patient, charlie: User, dave: Patient
) -> None:
    url = f"/clinic/patients/{alice_record.pk}/fhir.json"
    assert client_for(charlie).get(url).status_code == 404
    assert client_for(dave).get(url).status_code == 404
    assert client_for(alice_record).get(url).status_code == 404
    assert audit_count(patient=alice_record) == 0
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
