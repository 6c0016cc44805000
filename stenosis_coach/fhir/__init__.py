"""FHIR R4 export: one patient's record as a Bundle, and a clinic's as a Bulk Data export."""
