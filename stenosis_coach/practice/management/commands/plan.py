import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stenosis_coach.programme import build_plan, starting_prescription


class Command(BaseCommand):
    help = "Print the timeline of a new patient's first session (JSON with --json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON instead of text")
        parser.add_argument("--lang", default="en", help="language of the texts (default: en)")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = build_plan(starting_prescription(), options["lang"], first_session=True)
        if options["json"]:
            self.stdout.write(json.dumps(plan.to_dict(), indent=2, ensure_ascii=False))
            return
        for screen in plan.intro:
            self.stdout.write(f"         wait  {screen.id.value:<17} {screen.cue}")
        for step in plan.steps:
            minutes, seconds = divmod(step.offset_ms // 1000, 60)
            length = f"{step.duration_ms // 1000:>3} s" if step.duration_ms else "  wait"
            self.stdout.write(
                f"{minutes:>3}:{seconds:02d}  {length}  {step.exercise_id:<17} {step.cue}"
            )
        for screen in plan.outro:
            self.stdout.write(f"         wait  {screen.id.value:<17} {screen.cue}")
        total_minutes = plan.total_ms / 60000
        self.stdout.write(
            f"About {total_minutes:.0f} minutes, plus the time to change position and answer "
            "check-ins."
        )
