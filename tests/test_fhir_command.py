"""`stenosis-coach export --patient EMAIL [--format json|fhir] [--out FILE]`."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from fhir.resources.R4B.bundle import Bundle

from stenosis_coach.patients.models import Patient
from tests.fhir_records import resources


def export(*arguments: str) -> str:
    out = StringIO()
    call_command("export", *arguments, stdout=out)
    return out.getvalue()


def test_fhir_to_a_file(alice: Patient, tmp_path: Path) -> None:
    path = tmp_path / "alice.json"
    said = export("--patient", "alice", "--format", "fhir", "--out", str(path))
    assert said.strip() == f"Wrote {path}"
    bundle = json.loads(path.read_bytes())
    Bundle.model_validate(bundle)
    (patient,) = resources(bundle, "Patient")
    assert patient["identifier"][0]["value"] == str(alice.pk)


def test_json_is_the_default_and_is_my_datas_file(alice: Patient) -> None:
    document = json.loads(export("--patient", "ALICE"))
    assert "resourceType" not in document
    assert document["profile"][0]["email"] == "alice"
    assert document["prescriptions"]


def test_fhir_to_standard_output(alice: Patient) -> None:
    bundle = json.loads(export("--patient", "alice", "--format", "fhir"))
    assert bundle["resourceType"] == "Bundle"


def test_an_unknown_patient_is_a_clear_error(alice: Patient) -> None:
    with pytest.raises(CommandError, match=r"no patient with the e-mail nobody@example\.org"):
        export("--patient", "nobody@example.org", "--format", "fhir")


def test_an_unknown_format_is_refused(alice: Patient) -> None:
    with pytest.raises(CommandError, match="invalid choice: 'xml'"):
        export("--patient", "alice", "--format", "xml")


def test_a_file_that_cannot_be_written_is_a_clear_error(alice: Patient, tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "alice.json"
    with pytest.raises(CommandError, match="Could not write"):
        export("--patient", "alice", "--format", "fhir", "--out", str(out))
