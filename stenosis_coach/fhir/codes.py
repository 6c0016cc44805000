"""Every code system and code the export uses, in one place.

Displays are the code systems' own English displays (FHIR text for systems, not for people).
Where LOINC or SNOMED CT has no code (the timed walk, the exercises, the handout), the code
comes from our own code system, OUR_CODES: a fixed URN, the same on every installation.
"""

from __future__ import annotations

from typing import Any

FHIR_JSON = "application/fhir+json"
FHIR_NDJSON = "application/fhir+ndjson"

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD_10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
UCUM = "http://unitsofmeasure.org"
BCP_47 = "urn:ietf:bcp:47"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
US_CORE_CAREPLAN_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"
# The HL7 Physical Activity IG's category for CarePlan, Goal, ServiceRequest, Observation.
PA_TEMPORARY_CODES = "http://hl7.org/fhir/us/physical-activity/CodeSystem/pa-temporary-codes"
PERTAINS_TO_GOAL = "http://hl7.org/fhir/StructureDefinition/resource-pertainsToGoal"
# Our own code system (a URN: no address to keep alive), and the function check's form.
OUR_CODES = "urn:uuid:6b0f3d4e-2a8c-5e71-9d3b-4c5a7e8f1a20"
FUNCTION_CHECK_QUESTIONNAIRE = "urn:uuid:0c9e2b7a-5d41-5f3e-8a6b-1e2d3c4b5a69"

# (system, code, display)
Code = tuple[str, str, str]

SPINAL_STENOSIS_ICD = (
    ICD_10_CM,
    "M48.062",
    "Spinal stenosis, lumbar region with neurogenic claudication",
)
SPINAL_STENOSIS_SNOMED = (SNOMED, "18347007", "Spinal stenosis of lumbar region")
EXERCISE_THERAPY = (SNOMED, "229065009", "Exercise therapy")
PAIN_SCORE = (LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
EXERCISE_DURATION = (LOINC, "55411-3", "Exercise duration")
WALKING_TIME = (OUR_CODES, "walking-test-minutes", "Self-paced walking test, minutes walked")
STOPPED_BY_SYMPTOMS = (OUR_CODES, "walk-stopped-by-leg-symptoms", "Leg symptoms stopped the walk")
HANDOUT = (OUR_CODES, "exercise-handout", "Home exercise handout")
PHYSICAL_ACTIVITY = (PA_TEMPORARY_CODES, "PhysicalActivity", "Physical Activity")
ASSESS_PLAN = (US_CORE_CAREPLAN_CATEGORY, "assess-plan", "Assessment and Plan of Treatment")
PROBLEM_LIST_ITEM = (CONDITION_CATEGORY, "problem-list-item", "Problem List Item")
ACTIVE = (CONDITION_CLINICAL, "active", "Active")
CONFIRMED = (CONDITION_VERIFICATION, "confirmed", "Confirmed")
SURVEY = (OBSERVATION_CATEGORY, "survey", "Survey")
ACTIVITY = (OBSERVATION_CATEGORY, "activity", "Activity")

# UCUM units: (code, the unit as shown)
MINUTES = ("min", "min")
SCORE = ("{score}", "score")

# Python's weekday numbers (Monday 0) as FHIR's Timing.repeat.dayOfWeek codes.
DAYS_OF_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def exercise_code(exercise_id: str) -> Code:
    return (OUR_CODES, f"exercise-{exercise_id}", exercise_id.replace("-", " ").capitalize())


def impression_code(value: int, display: str) -> Code:
    """The global impression of change, 1 (very much better) to 7 (very much worse)."""
    return (OUR_CODES, f"global-impression-{value}", display)


def coding(code: Code) -> dict[str, Any]:
    system, value, display = code
    return {"system": system, "code": value, "display": display}


def concept(*codes: Code, text: str = "") -> dict[str, Any]:
    """A CodeableConcept of these codes, with `text` when given."""
    found: dict[str, Any] = {"coding": [coding(code) for code in codes]} if codes else {}
    return {**found, "text": text} if text else found


def quantity(value: float, unit: tuple[str, str]) -> dict[str, Any]:
    code, shown = unit
    return {"value": value, "unit": shown, "system": UCUM, "code": code}
