"""`stenosis-coach export --patient EMAIL [--format json|fhir] [--out FILE]`: write
everything stored about one patient: our own JSON (as My data's "Download as one file"), or
a FHIR R4 Bundle. To standard output when --out is not given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stenosis_coach.clinic.management.commands.audit import find_patient
from stenosis_coach.exports.data import as_json
from stenosis_coach.fhir.bundle import bundle_json

FORMATS = {"json": as_json, "fhir": bundle_json}


class Command(BaseCommand):
    help = (
        "Write one patient's data: as our own JSON (--format json, the default) or as a "
        "FHIR R4 Bundle (--format fhir)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patient", metavar="EMAIL", required=True, help="whose data")
        parser.add_argument("--format", choices=sorted(FORMATS), default="json")
        parser.add_argument("--out", metavar="FILE", help="where to write it (default: print)")

    def handle(self, *args: Any, **options: Any) -> None:
        patient = find_patient(options["patient"])
        content = FORMATS[options["format"]](patient)
        if not options["out"]:
            self.stdout.write(content.decode())
            return
        out = Path(options["out"])
        try:
            out.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Could not write {out}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {out}")
