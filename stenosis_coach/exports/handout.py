"""The printed handout: a patient's current exercises on paper, and a one-page progress
summary to take to an appointment. Both are PDF files that WeasyPrint makes from our own
templates (exports/handout*.html, with exports/handout.css).

Every read is here, so the views, the command and the bench only choose whose and how:
`handout_pdf(patient, paper)` (None: the programme's starting doses, a sheet a clinic can
print for anyone) and `summary_pdf(patient, paper)`.

Everything on the page is ours: the words from the catalogue and the translation files, the
drawings from the body model, the QR code from segno. WeasyPrint reads nothing else: its URL
fetcher serves our own static files and refuses every other address.
"""

from __future__ import annotations

import copy
import datetime as dt
import mimetypes
import posixpath
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stenosis_coach.clinic.invitations import url_qr_svg
from stenosis_coach.clinic.models import Message
from stenosis_coach.clinic.patient_page import person_name
from stenosis_coach.illustrations.pictures import illustration_for, keyframe_svgs
from stenosis_coach.illustrations.style import print_stylesheet, stylesheet
from stenosis_coach.outcomes.charts import Chart, Series, Table, nice_ceiling, time_chart
from stenosis_coach.outcomes.progress import item_words, progress_for
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription
from stenosis_coach.practice.models import PrescriptionItem
from stenosis_coach.practice.today import EXERCISES_ALONE, POSTURE_TIPS
from stenosis_coach.programme import (
    PrescribedExercise,
    Prescription,
    build_plan,
    load_catalogue,
    starting_prescription,
)
from stenosis_coach.programme.safety import UrgentTexts, urgent_texts
from stenosis_coach.reminders.words import schedule_of_patient

# The CSS page size for each paper a person can choose.
PAPERS = {"a4": "A4", "letter": "letter"}
DEFAULT_PAPER = "a4"
PAPER_NAMES = {"a4": gettext_lazy("A4 paper"), "letter": gettext_lazy("US Letter paper")}
# The summary's tables beside the charts keep to the latest rows, so the page stays one page.
SUMMARY_ROWS = 4
# A chart with more points than this draws its lines without markers: they would only blur.
MARKER_LIMIT = 16
# The origin the templates' static links resolve against. Never fetched: the URL fetcher
# reads those files from disk.
BASE_URL = "https://stenosis-coach.invalid/"


class HandoutError(ValueError):
    """A handout that cannot be made as asked (a paper size we do not have)."""


def paper_or_default(value: str | None) -> str:
    """The paper key for `value` ("" or None: A4); HandoutError for any other."""
    paper = (value or DEFAULT_PAPER).strip().lower()
    if paper not in PAPERS:
        raise HandoutError(_("We do not have that paper size. Choose A4 or US Letter."))
    return paper


# ---------------------------------------------------------------------------------------
# What the handout shows


@dataclass(frozen=True)
class Drawing:
    title: str  # the keyframe's title, printed under it and read out as its alternative
    svg: SafeString


@dataclass(frozen=True)
class HandoutExercise:
    exercise_id: str
    name: str
    dose: str  # today's dose in words, as Today says it
    steps: Sequence[str]
    cautions: Sequence[str]
    drawings: Sequence[Drawing]


@dataclass(frozen=True)
class Therapist:
    name: str
    clinic: str
    message: str
    sent_at: dt.datetime | None


@dataclass(frozen=True)
class Handout:
    locale: str
    paper: str
    made_on: dt.date
    patient_name: str  # "" on the generic sheet
    schedule: Sequence[str]  # the patient's times and days (none on the generic sheet)
    therapist: Therapist | None
    exercises: Sequence[HandoutExercise]
    later: Sequence[tuple[str, str]]  # (name, why it is not in today's plan)
    stop_rule: str
    posture_tips: Sequence[str]
    exercises_alone: str
    urgent: UrgentTexts
    app_url: str
    qr: SafeString


def handout_for(patient: Patient | None, locale: str, paper: str) -> Handout:
    """The patient's current exercises at today's doses; with no patient, the programme's
    starting doses with no name and no therapist. Call inside `in_language`."""
    version = current_prescription(patient) if patient else None
    prescription = version.to_engine() if version else starting_prescription()
    plan = build_plan(prescription, locale)
    app_url = settings.SITE_URL + reverse("today" if patient else "home")
    return Handout(
        locale=locale,
        paper=paper,
        made_on=timezone.localdate(timezone=patient.zone) if patient else timezone.localdate(),
        patient_name=person_name(patient.user) if patient else "",
        schedule=schedule_of_patient(patient) if patient else [],
        therapist=therapist_of(patient) if patient else None,
        exercises=[
            handout_exercise(planned.exercise_id, planned.dose_text, locale)
            for planned in plan.exercises
        ],
        later=later_exercises(prescription, version.items.all() if version else (), locale),
        stop_rule=stop_rule(locale),
        posture_tips=[_(tip) for tip in POSTURE_TIPS if tip != EXERCISES_ALONE],
        exercises_alone=_(EXERCISES_ALONE),
        urgent=urgent_texts(locale, settings.EMERGENCY_PHONE),
        app_url=app_url,
        qr=mark_safe(url_qr_svg(app_url, _("QR code that opens Stenosis Coach"))),
    )


def handout_exercise(exercise_id: str, dose: str, locale: str) -> HandoutExercise:
    text = load_catalogue().get(exercise_id).text(locale)
    return HandoutExercise(
        exercise_id=exercise_id,
        name=text.name,
        dose=dose,
        steps=text.steps,
        cautions=text.cautions,
        drawings=drawings(exercise_id, locale),
    )


def drawings(exercise_id: str, locale: str) -> list[Drawing]:
    """Each position of the exercise (start first), drawn from the body model as vectors,
    in the colours for paper."""
    keyframes = illustration_for(exercise_id).keyframes
    return [
        Drawing(keyframes[name].text(locale).title, mark_safe(for_paper(svg)))
        for name, svg in keyframe_svgs(exercise_id, locale).items()
    ]


def for_paper(svg: str) -> str:
    """The drawing with its colours written in: WeasyPrint reads no custom properties, and
    would draw every shape black."""
    screen = stylesheet()
    if screen not in svg:
        raise ValueError("the drawing's stylesheet is not the one style.py writes")
    return svg.replace(screen, print_stylesheet())


def stop_rule(locale: str) -> str:
    """The caution every exercise has: stop at once if it hurts or the leg pain gets worse."""
    exercises = load_catalogue().exercises
    first, *others = (exercise.text(locale).cautions for exercise in exercises)
    shared = [caution for caution in first if all(caution in cautions for cautions in others)]
    if not shared:
        raise ValueError("the catalogue has no caution that every exercise shares")
    return shared[-1]


def later_exercises(
    prescription: Prescription, items: Iterable[PrescriptionItem], locale: str
) -> list[tuple[str, str]]:
    """The exercises in the programme but not in today's plan (not open yet, or on hold),
    with the words Progress uses for them and, for a patient's items, the reason."""
    catalogue = load_catalogue()
    reasons = {item.exercise_id: item.reason_in(locale) for item in items}
    waiting = [item for item in prescription.exercises if item.enabled and not item.active]
    return [
        (
            catalogue.get(item.exercise_id).text(locale).name,
            " ".join(filter(None, [f"{state_words(item)}.", reasons.get(item.exercise_id)])),
        )
        for item in sorted(waiting, key=lambda item: catalogue.ids.index(item.exercise_id))
    ]


def state_words(item: PrescribedExercise) -> str:
    return _("On hold") if item.paused else _("Not open yet")


def therapist_of(patient: Patient) -> Therapist | None:
    """The patient's therapist and their latest message, while the patient shares with
    their clinic. Printing does not mark the message read: Today does that."""
    if patient.clinic_id is None or patient.therapist is None:
        return None
    message = Message.objects.filter(patient=patient, to_patient=True).first()
    return Therapist(
        name=person_name(patient.therapist),
        clinic=patient.clinic.name if patient.clinic else "",
        message=message.body if message else "",
        sent_at=message.sent_at if message else None,
    )


# ---------------------------------------------------------------------------------------
# What the progress summary shows


@dataclass(frozen=True)
class PrintedChart:
    """A chart and, beside it, the latest rows of its numbers."""

    chart: Chart
    table: Table
    rows_left_out: int


@dataclass(frozen=True)
class DoseRow:
    name: str
    at_start: str
    now: str


@dataclass(frozen=True)
class Summary:
    locale: str
    paper: str
    made_on: dt.date
    patient_name: str
    pain: PrintedChart | None
    walking: PrintedChart | None
    weeks: PrintedChart | None
    doses: Sequence[DoseRow]
    rows_shown: int = SUMMARY_ROWS

    @property
    def rows_left_out(self) -> bool:
        """A table beside a chart shows only its latest rows."""
        charts = (self.pain, self.walking, self.weeks)
        return any(chart.rows_left_out for chart in charts if chart is not None)


def summary_for(patient: Patient, locale: str, paper: str) -> Summary:
    """The Progress page's charts, on one page: pain, timed walks, sessions each week and
    each exercise's dose at the start and now. Call inside `in_language`."""
    # Progress says names and doses in the patient's language: a copy, never saved, in the
    # language asked for (the command's --lang).
    patient = copy.copy(patient)
    patient.language = locale
    progress = progress_for(patient)
    return Summary(
        locale=locale,
        paper=paper,
        made_on=timezone.localdate(timezone=patient.zone),
        patient_name=person_name(patient.user),
        pain=printed(progress.pain),
        walking=printed(progress.walking),
        weeks=printed(weeks_chart(progress.calendar)),
        doses=dose_rows(patient, locale, [(d.exercise_id, d.name, d.now) for d in progress.doses]),
    )


def printed(chart: Chart | None) -> PrintedChart | None:
    if chart is None:
        return None
    rows = chart.table.rows
    latest = Table(chart.table.caption, chart.table.headers, rows[-SUMMARY_ROWS:])
    return PrintedChart(chart, latest, max(0, len(rows) - SUMMARY_ROWS))


def weeks_chart(weeks: Sequence[Any]) -> Chart | None:
    """Sessions in each of the calendar's weeks (Progress shows them as a calendar)."""
    if not weeks:
        return None
    points = [(week.start, float(week.sessions)) for week in weeks]
    top = nice_ceiling(max(7.0, *(sessions for _day, sessions in points)))
    counts = [int(sessions) for _day, sessions in points]
    return time_chart(
        slug="weeks",
        title=_("Sessions each week"),
        summary=_("You did %(count)s sessions in the last %(weeks)s weeks.")
        % {"count": sum(counts), "weeks": len(counts)},
        y_label=_("Sessions"),
        y_max=top,
        y_step=top / 5,
        series=[Series(_("Sessions"), points)],
        table=Table(
            _("Sessions each week"),
            [_("Week of"), _("Sessions"), _("Days")],
            [[week.start, str(week.sessions), str(week.days_done)] for week in weeks],
        ),
    )


def dose_rows(
    patient: Patient, locale: str, doses: Sequence[tuple[str, str, str]]
) -> list[DoseRow]:
    """Each exercise's dose in the first version of the plan, and now (Progress's words)."""
    first = patient.prescriptions.order_by("number").prefetch_related("items").first()
    at_start = {item.exercise_id: item_words(item, locale) for item in first.items.all()}
    return [DoseRow(name, at_start.get(exercise_id, ""), now) for exercise_id, name, now in doses]


# ---------------------------------------------------------------------------------------
# Making the PDF


@contextmanager
def in_language(locale: str, patient: Patient | None) -> Iterator[None]:
    """The handout's language, and the patient's own time zone for its dates (the
    server's for the generic sheet)."""
    with translation.override(locale), timezone.override(patient.zone if patient else None):
        yield


def language_of(patient: Patient | None, locale: str | None) -> str:
    return locale or (patient.language if patient else "") or settings.LANGUAGE_CODE


def handout_html(
    patient: Patient | None, paper: str = DEFAULT_PAPER, locale: str | None = None
) -> str:
    locale = language_of(patient, locale)
    with in_language(locale, patient):
        context = {"handout": handout_for(patient, locale, paper), "page_size": PAPERS[paper]}
        return render_to_string("exports/handout.html", context)


def summary_html(patient: Patient, paper: str = DEFAULT_PAPER, locale: str | None = None) -> str:
    locale = language_of(patient, locale)
    with in_language(locale, patient):
        context = {
            "summary": summary_for(patient, locale, paper),
            "page_size": PAPERS[paper],
            "marker_limit": MARKER_LIMIT,
        }
        return render_to_string("exports/handout_summary.html", context)


def handout_pdf(
    patient: Patient | None, paper: str = DEFAULT_PAPER, locale: str | None = None
) -> bytes:
    return as_pdf(handout_html(patient, paper, locale))


def summary_pdf(patient: Patient, paper: str = DEFAULT_PAPER, locale: str | None = None) -> bytes:
    return as_pdf(summary_html(patient, paper, locale))


def as_pdf(html: str) -> bytes:
    """A tagged PDF (each drawing a Figure with its title as its alternative text, for
    screen readers), that reads only our own static files."""
    # Imported here: WeasyPrint loads Pango when imported, which only the PDF needs.
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=static_fetcher())
    return bytes(document.write_pdf(pdf_tags=True))


def static_fetcher() -> Any:
    """WeasyPrint's URL fetcher, changed to read our own static files only."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            path = static_file(url)
            if path is None:
                # WeasyPrint logs it and leaves the resource out: nothing is fetched.
                raise ValueError(f"Not one of our static files: {url[:200]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticFilesOnly()


def static_file(url: str) -> Path | None:
    """The file on disk for one of our static files, given as the templates link it (under
    BASE_URL and STATIC_URL) or as a file:// address inside a static folder; None for any
    other address (another site, any other file, data: and the rest)."""
    parts = urlsplit(url)
    if parts.scheme == "file" and not parts.netloc:
        return inside_static_folders(Path(url2pathname(unquote(parts.path))))
    prefix = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (prefix.scheme, prefix.netloc):
        return None
    static_path = "/" + settings.STATIC_URL.strip("/") + "/"
    path = posixpath.normpath(unquote(parts.path))
    if not path.startswith(static_path):
        return None
    name = path.removeprefix(static_path)
    # As the pages link it: the collected copy under its hashed name (STATIC_ROOT), or,
    # for a plain name, the file where the app keeps it.
    collected = Path(settings.STATIC_ROOT) / name if settings.STATIC_ROOT else None
    if collected is not None and collected.is_file():
        return inside_static_folders(collected)
    found = finders.find(name)
    return inside_static_folders(Path(found)) if isinstance(found, str) else None


def inside_static_folders(path: Path) -> Path | None:
    """`path`, if it is a file inside one of the folders static files come from."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if real.is_file() and any(real.is_relative_to(folder) for folder in static_folders()):
        return real
    return None


def static_folders() -> list[Path]:
    """Each app's static folder, STATICFILES_DIRS and STATIC_ROOT."""
    folders = [Path(config.path) / "static" for config in apps.get_app_configs()]
    folders += [Path(entry[1] if isinstance(entry, tuple) else entry) for entry in
                getattr(settings, "STATICFILES_DIRS", [])]  # fmt: skip
    if settings.STATIC_ROOT:
        folders.append(Path(settings.STATIC_ROOT))
    return [folder.resolve() for folder in folders if folder.is_dir()]
