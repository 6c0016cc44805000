"""`stenosis-coach handout [--patient EMAIL] [--lang es] [--paper a4|letter] [--summary]
--out FILE`: write a patient's printed handout (or their one-page progress summary) as PDF;
without --patient, the programme's starting doses, a sheet a clinic can print for anyone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stenosis_coach.clinic.management.commands.audit import find_patient
from stenosis_coach.exports import handout


class Command(BaseCommand):
    help = (
        "Write the printed handout of a patient's exercises as PDF (or, with --summary, their "
        "one-page progress summary). Without --patient: the programme's starting doses."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patient", metavar="EMAIL", help="whose handout (default: none)")
        parser.add_argument(
            "--lang",
            choices=[code for code, _name in settings.LANGUAGES],
            help="the language (default: the patient's, or English)",
        )
        parser.add_argument(
            "--paper", choices=sorted(handout.PAPERS), default=handout.DEFAULT_PAPER
        )
        parser.add_argument(
            "--summary", action="store_true", help="the progress summary (needs --patient)"
        )
        parser.add_argument("--out", metavar="FILE", required=True, help="where to write the PDF")

    def handle(self, *args: Any, **options: Any) -> None:
        patient = find_patient(options["patient"]) if options["patient"] else None
        if options["summary"] and patient is None:
            raise CommandError("--summary needs --patient: a summary is of one patient.")
        if options["summary"]:
            pdf = handout.summary_pdf(patient, options["paper"], options["lang"])
        else:
            pdf = handout.handout_pdf(patient, options["paper"], options["lang"])
        out = Path(options["out"])
        try:
            out.write_bytes(pdf)
        except OSError as error:
            raise CommandError(f"Could not write {out}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {out}")
