from django.apps import AppConfig


class FhirConfig(AppConfig):
    """FHIR R4 export: a patient's record as a Bundle (for the patient, their therapist and
    the `export` command), and a clinic's records as a Bulk Data export made by the worker."""

    name = "stenosis_coach.fhir"
    label = "fhir"
