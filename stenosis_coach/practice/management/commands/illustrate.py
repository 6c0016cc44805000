from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.template.loader import render_to_string
from django.utils import translation

from stenosis_coach.figures.gallery import gallery_entries


class Command(BaseCommand):
    help = "Write an SVG of every exercise keyframe (<exercise-id>-<phase>.svg) and an index.html."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="folder to write into")
        parser.add_argument("--lang", default="en", help="language of the texts (default: en)")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        lang: str = options["lang"]
        out.mkdir(parents=True, exist_ok=True)
        exercises = gallery_entries(lang)
        for exercise in exercises:
            for keyframe in exercise.keyframes:
                (out / keyframe.file_name).write_text(keyframe.svg, encoding="utf-8")
        with translation.override(lang):
            index = render_to_string(
                "figures/files_index.html", {"exercises": exercises, "lang": lang}
            )
        (out / "index.html").write_text(index, encoding="utf-8")
        count = sum(len(exercise.keyframes) for exercise in exercises)
        self.stdout.write(f"Wrote {count} pictures and index.html to {out}")
