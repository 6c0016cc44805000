"""Helpers for the FHIR export's tests: patients with history, and reading a Bundle or an
NDJSON file back."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from stenosis_coach.patients.management.commands.demo import fill_history
from stenosis_coach.patients.models import Patient

HISTORY_DAYS = 15  # sessions, two timed walks and a function check


def with_history(patient: Patient, days: int = HISTORY_DAYS, seed: int = 1) -> Patient:
    """Onboarded (diagnosis confirmed), with `days` of sessions, walks and checks."""
    fill_history(patient, days, random.Random(seed))
    patient.refresh_from_db()
    return patient


def sharing(patient: Patient) -> Patient:
    """The patient shares their data with their clinic (as after accepting an invitation)."""
    patient.sharing_since = timezone.now()
    patient.save(update_fields=["sharing_since"])
    return patient


def resources(bundle: dict[str, Any], resource_type: str | None = None) -> list[dict[str, Any]]:
    found = [entry["resource"] for entry in bundle["entry"]]
    return [r for r in found if resource_type is None or r["resourceType"] == resource_type]


def references(value: Any) -> Iterator[str]:
    """Every Reference.reference anywhere in `value`."""
    if isinstance(value, dict):
        if isinstance(value.get("reference"), str):
            yield value["reference"]
        for item in value.values():
            yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def codings(concept: dict[str, Any] | None) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in (concept or {}).get("coding", [])}


def ndjson(content: bytes | str) -> list[dict[str, Any]]:
    text = content.decode() if isinstance(content, bytes) else content
    return [json.loads(line) for line in text.splitlines() if line]
