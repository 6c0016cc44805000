import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stenosis_coach.programme import dose_label, exercise_to_dict, load_catalogue


class Command(BaseCommand):
    help = "Print the exercise programme: a table, or JSON with --json."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
        parser.add_argument("--lang", default="en", help="language of the texts (default: en)")

    def handle(self, *args: Any, **options: Any) -> None:
        catalogue = load_catalogue()
        locale = options["lang"]
        if options["json"]:
            exercises = [exercise_to_dict(exercise, locale) for exercise in catalogue.exercises]
            self.stdout.write(json.dumps({"exercises": exercises}, indent=2, ensure_ascii=False))
            return
        rows = [("Exercise", "Kind", "Start", "Target", "Rungs", "Needs first")]
        for exercise in catalogue.exercises:
            needs = ", ".join(
                f"{p.exercise_id} at target, {p.clean_sessions} good sessions"
                for p in exercise.requires
            )
            rows.append(
                (
                    exercise.text(locale).name,
                    exercise.kind.value,
                    dose_label(exercise.start, catalogue, locale),
                    dose_label(exercise.target, catalogue, locale),
                    str(len(exercise.ladder)),
                    needs or "-",
                )
            )
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        for number, row in enumerate(rows):
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
