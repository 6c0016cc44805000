"""Every text a patient reads or hears, in one language: for the plain-language gate
(tests/test_plain_language.py) and the translation gate (tests/test_translations.py).

The texts come from
- the engine: the catalogue (names, start positions, steps, cautions, cues, and the messages
  with their placeholders filled with typical values) and the safety questions and advice;
- the words built on the server for the scripts: the player's (player_texts) and the timed
  walk's (walk_words), the posture tips, the password e-mail;
- the translation catalogue (django.po): every string marked for translation, so the words
  of pages that are hard to reach in a test (an error answer, a rest day) count too;
- the pages themselves, rendered with the Django test client for a patient with weeks of
  history (and the printed handout and progress summary, as the PDF is made from them,
  for that patient, for one who shares with a therapist, and the generic sheet), a
  newcomer, a patient stopped by a red flag, anonymous visitors (forms with their errors
  too), a patient who joins a therapist's clinic (and what they then read of
  it: the therapist's message and change of plan, who can see and who has looked at their
  data, a note on a session, stopping), and the error pages (404, a stale form, 400, 500):
  the text of p, li, h1-h3, label, legend, button, summary, td, th and option elements.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import SuspiciousOperation
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode
from django.views.defaults import bad_request, server_error

from stenosis_coach.access import patient_for_staff
from stenosis_coach.clinic import invitations
from stenosis_coach.clinic.models import Invitation, StaffMember
from stenosis_coach.clinic.patient_actions import do_send_message, do_set_schedule
from stenosis_coach.exports.handout import handout_html, summary_html
from stenosis_coach.outcomes.actions import record_walking_test
from stenosis_coach.outcomes.views import walk_words
from stenosis_coach.patients import actions
from stenosis_coach.patients.management.commands.demo import fill_history
from stenosis_coach.patients.models import Clinic, Patient
from stenosis_coach.practice.actions import record_session
from stenosis_coach.practice.models import SessionRecord
from stenosis_coach.practice.today import POSTURE_TIPS
from stenosis_coach.practice.uploads import parse_session_upload
from stenosis_coach.practice.views import player_texts
from stenosis_coach.programme import Schedule, load_catalogue, red_flag_questions
from stenosis_coach.programme.safety import load_safety
from tests.conftest import session_payload

LANGUAGES = [code for code, _ in settings.LANGUAGES]
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PASSWORD = "Slow-Knees-To-Chest-42"
ALL_NO = {question.id: "no" for question in red_flag_questions()}
# The elements whose text a patient reads (the gates' unit of text).
TEXT_ELEMENTS = {
    "p", "li", "h1", "h2", "h3", "label", "legend", "button", "summary", "td", "th", "option",
}  # fmt: skip
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
# Words a screen reader reads from attributes.
TEXT_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


@dataclass(frozen=True)
class Text:
    where: str  # the page or the source it comes from
    text: str


@dataclass
class Element:
    tag: str
    lang: str
    words: list[str]


class PageText(HTMLParser):
    """The own text of each text element (text inside a nested text element belongs to that
    one), with the language it is in; attribute words and the strings in JSON blocks too."""

    def __init__(self, page_lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[Element] = [Element("#root", page_lang, [])]
        self.texts: list[tuple[str, str]] = []  # (lang, text)
        self.attributes: list[str] = []
        self.json: list[str] = []
        self.in_script = False
        self.script_is_json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in TEXT_ATTRIBUTES:
            if values.get(name):
                self.attributes.append(str(values[name]))
        for name, value in values.items():
            if name.startswith("data-") and name.endswith("-text") and value:
                self.attributes.append(value)
        if tag == "br":
            self.handle_data(" ")
        if tag in VOID_ELEMENTS:
            return
        if tag in ("script", "style"):
            self.in_script = True
            self.script_is_json = values.get("type") == "application/json"
        lang = values.get("lang") or self.open[-1].lang
        self.open.append(Element(tag, lang, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.in_script = False
        if tag in VOID_ELEMENTS or all(element.tag != tag for element in self.open[1:]):
            return
        while True:
            element = self.open.pop()
            if element.tag in TEXT_ELEMENTS:
                self.texts.append((element.lang, " ".join("".join(element.words).split())))
            if element.tag == tag:
                return

    def handle_data(self, data: str) -> None:
        if self.in_script:
            if self.script_is_json:
                self.json.extend(json_strings(json.loads(data)))
            return
        for element in reversed(self.open):
            if element.tag in TEXT_ELEMENTS:
                element.words.append(data)
                return


def json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def parse_page(html: str, language: str) -> PageText:
    parser = PageText(language)
    parser.feed(html)
    parser.close()
    return parser


def is_words(text: str) -> bool:
    """Not a pure number, time or date ("12", "9:30 AM", "March 3", "3 de marzo", "Mo")."""
    if text.strip() in calendar_columns():
        return False
    return bool(re.search(r"[^\W\d_]", without_dates(text)))


def without_dates(text: str) -> str:
    """`text` with its dates and times left out: they are names, not words to simplify."""
    text = re.sub(r"\b\d{1,2}:\d{2}(\s*([ap]\.\s?m\.|[AP]M))?", " ", text)
    return date_pattern().sub(" ", text)


def django_dates(formats: str) -> set[str]:
    """Every month and weekday name as Django writes them in each language, one format
    letter at a time (F: March, M: Mar, N: Mar., l: Monday, D: Mon)."""
    days = [dt.date(2025, month, 1) for month in range(1, 13)]
    days += [dt.date(2025, 3, 3) + dt.timedelta(days=n) for n in range(7)]
    names = set()
    for language in LANGUAGES:
        with translation.override(language):
            names.update(date_format(day, letter) for day in days for letter in formats)
    return names


@cache
def calendar_columns() -> set[str]:
    """The calendar's column heads: a weekday's first two letters ("Mo", "lu")."""
    return {name[:2] for name in django_dates("l")}


@cache
def date_pattern() -> re.Pattern[str]:
    names = django_dates("FMNlD")
    words = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:de\s+)?(?:{words})(?!\w)\.?")


# ---------------------------------------------------------------------------------------
# Typical values for placeholders


def typical_values(language: str) -> dict[str, Any]:
    """Values like the ones the app fills in, in `language`, for every placeholder name."""
    catalogue = load_catalogue()
    knees = catalogue.get("back-flexion").text(language)
    tilt = catalogue.get("pelvic-tilt").text(language)
    with translation.override(language):
        from stenosis_coach.outcomes.charts import long_date

        dose = catalogue.message("dose_reps", language, reps=4, hold=10)
        change = catalogue.message("change_hold_seconds", language, old=10, new=15)
        return {
            "name": knees.name,
            "text": knees.cues["hold"],
            "note": catalogue.get("curl-up").text(language).position_note,
            "prerequisite": tilt.name.lower(),
            "change": change,
            "old": 10,
            "new": 15,
            "seconds": 20,
            "reps": 4,
            "rep": 2,
            "hold": 10,
            "sets": 2,
            "set": 1,
            "last": 5,
            "work": 30,
            "count": 2,
            "number": 2,
            "minutes": 12,
            "weeks": 8,
            "before": 5,
            "after": 3,
            "first": 6,
            "what": translation.gettext("Your leg pain"),
            "day": long_date(dt.date(2025, 3, 3)),
            "dose": dose,
            "now": dose,
            "walked": "12",
            "last_time": "10",
            "start": "9:00",
            "end": "9:20",
            "did": "4",
            "days": "3",
            "login_url": "/login/",
            "signup_url": "/signup/",
            "reset_url": "/password-reset/",
            "my_data_url": "/my-data/",
        }


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def fill(text: str, values: dict[str, Any]) -> str:
    """`text` with its %(name)s and {name} placeholders filled in."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m[1] or m[2], 3)), text)


# ---------------------------------------------------------------------------------------
# Texts from the engine and from the server's words for the scripts


def engine_texts(language: str) -> list[Text]:
    catalogue = load_catalogue()
    values = typical_values(language)
    texts = []
    for exercise in catalogue.exercises:
        words = exercise.text(language)
        where = f"catalogue: {exercise.id}"
        texts.append(Text(f"{where} name", words.name))
        texts.append(Text(f"{where} start_position", words.start_position))
        texts += [Text(f"{where} step {n}", step) for n, step in enumerate(words.steps, 1)]
        texts += [
            Text(f"{where} caution {n}", caution) for n, caution in enumerate(words.cautions, 1)
        ]
        texts += [Text(f"{where} cue {kind}", cue) for kind, cue in words.cues.items()]
        if words.position_note:
            texts.append(Text(f"{where} position_note", words.position_note))
    for key in catalogue.messages["en"]:
        message = catalogue.message(key, language, **values)
        texts.append(Text(f"catalogue: message {key}", message))
    safety = load_safety()
    texts += [Text(f"safety: {q.id}", q.text(language)) for q in safety.questions]
    texts += [Text(f"safety: {q.id} help", q.help(language)) for q in safety.questions if q.helps]
    texts += [
        Text(f"safety: message {key}", safety.message(key, language))
        for key in safety.messages["en"]
    ]
    return texts


def server_texts(language: str) -> list[Text]:
    """The player's and the timed walk's words, the posture tips and the password e-mail."""
    values = typical_values(language)
    with translation.override(language):
        texts = [Text(f"player_texts: {k}", fill(v, values)) for k, v in player_texts().items()]
        texts += [Text(f"walk_words: {k}", fill(v, values)) for k, v in walk_words().items()]
        texts += [
            Text(f"posture tip {n}", translation.gettext(tip))
            for n, tip in enumerate(POSTURE_TIPS, 1)
        ]
        texts += email_texts()
    return texts


def email_texts() -> list[Text]:
    """The password e-mail, a paragraph a text (in the active language)."""
    context = {
        "protocol": "https",
        "domain": "coach.example.org",
        "uid": "MQ",
        "token": "abc-123",
    }
    subject = render_to_string("registration/reset_subject.txt", context).strip()
    body = render_to_string("registration/reset_email.txt", context)
    paragraphs = [" ".join(p.split()) for p in body.split("\n\n") if "://" not in p]
    return [Text("password e-mail: subject", subject)] + [
        Text("password e-mail", paragraph) for paragraph in paragraphs if paragraph
    ]


def words_of(html: str) -> str:
    """The words of a bit of HTML (a link in a sentence), in one line."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def po_file(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


# The clinic's pages are for therapists and clinic admins, who may read clinical words: their
# strings are not held to the patient's plain-language and medical-word gates. What a patient
# reads on the clinic's side (joining a clinic, the printed invitation, invitation errors) is.
# Paths as django.po names them, from stenosis_coach/.
CLINIC_SOURCES = "clinic/"
PATIENT_FACING_CLINIC_SOURCES = (
    "clinic/invitations.py",
    "clinic/templates/clinic/join",
    "clinic/templates/clinic/code_form.html",
    "clinic/templates/clinic/agree_field.html",
    "clinic/templates/clinic/invitation_print.html",
)


def for_staff_only(locations: list[tuple[str, int | None]]) -> bool:
    """Every place the string is used is a therapist's or clinic admin's page."""
    files = [path for path, _line in locations]
    return bool(files) and all(
        path.startswith(CLINIC_SOURCES) and not path.startswith(PATIENT_FACING_CLINIC_SOURCES)
        for path in files
    )


def po_texts(language: str) -> list[Text]:
    """Every string marked for translation that a patient may read: the English source (the
    msgids), or its translation. Date and time formats are not words."""
    values = typical_values(language)
    with po_file("es").open("rb") as handle:
        catalogue = read_po(handle)
    texts = []
    for message in catalogue:
        if not message.id or message.context in ("date format", "time format"):
            continue
        if for_staff_only(message.locations):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        chosen = ids if language == "en" else strings
        texts += [Text("django.po", words_of(fill(text, values))) for text in chosen if text]
    return texts


# ---------------------------------------------------------------------------------------
# The pages


@dataclass(frozen=True)
class Page:
    name: str  # method and path, and what was sent
    html: str


def make_patient(email: str, language: str) -> Patient:
    return actions.sign_up(email, PASSWORD, language=language)


def client_for(patient: Patient | None, language: str) -> Client:
    """A browser in `language`: the patient's saved language, or the cookie for a visitor."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if patient is not None:
        client.force_login(patient.user)
    return client


def seeded_patient(language: str) -> Patient:
    """Weeks of history, with every kind of result: done, worse, stopped for each reason,
    skipped, a gentle session, an exercise on hold after two reds, walks that ended each
    way, function checks with the question about change."""
    patient = make_patient(f"rosa-{language}@example.org", language)
    fill_history(patient, 30, random.Random(5))
    upload = parse_session_upload
    stops = {
        "back-flexion": {"completed": False, "stop_reason": "back-pain"},
        "childs-pose": {"completed": False, "stop_reason": "other"},
        "pelvic-tilt": {"completed": False, "stop_reason": "skipped"},
        "curl-up": {"completed": False, "stop_reason": "leg-pain"},
    }
    record_session(patient, upload(session_payload(patient, days_ago=0.3, overrides=stops)))
    hurt = {"curl-up": {"completed": True, "worse": True}}
    record_session(patient, upload(session_payload(patient, days_ago=0.2, overrides=hurt)))
    record_session(patient, upload(session_payload(patient, days_ago=0.1, gentle=True)))
    record_walking_test(patient, minutes=30, stopped_by_symptoms=False)
    record_walking_test(patient, minutes=12.5, stopped_by_symptoms=False)
    actions.record_screening(patient, {q.id: False for q in red_flag_questions()})
    patient.refresh_from_db()
    return patient


def patient_pages(patient: Patient, language: str) -> Iterator[Page]:
    client = client_for(patient, language)
    for path in (
        "/today/",
        "/session/",
        "/progress/",
        "/progress/numbers/pain/",
        "/progress/numbers/dose-back-flexion/",
        "/history/",
        "/history/?page=2",
        "/walk/",
        "/walk/done/",
        "/progress/check/",
        "/my-data/",
        "/my-data/delete/",
        "/check/",
        "/urgent/",
        "/settings/",
        "/settings/reminders/",
        "/offline/",
    ):
        yield get(client, path)
    sessions = SessionRecord.objects.filter(patient=patient).order_by("-started_at")
    for session in sessions[:4]:
        yield get(client, f"/history/{session.uuid}/")
    yield post(client, "/check/", {})
    yield post(client, "/progress/check/", {})
    yield post(client, "/walk/", {"seconds": "9999", "stopped_by_symptoms": "maybe"})
    yield post(client, "/walk/", {})
    yield post(client, "/my-data/delete/", {})
    yield post(client, "/my-data/delete/", {"password": "not it"})
    # Answers saved: the next page says thank you.
    scores = {f"activity_{a.pk}": "6" for a in patient.activities.all()}
    yield post(client, "/progress/check/", {**scores, "impression": "3"}, follow=True)
    yield post(client, "/settings/", {})
    # Settings saved (the same language): the page says so, and what is set now.
    quiet = {"language": language, "voice_on": "off", "beeps_on": "off"}
    yield post(client, "/settings/", quiet, follow=True)
    # Reminders: every error at once, then saved with e-mail, then a calendar link made.
    yield post(client, "/settings/reminders/", {"time_1": "03:00"})
    times = {"time_1": "09:00", "days": ["0", "2", "4"], "by_email": "on"}
    yield post(client, "/settings/reminders/", times, follow=True)
    yield post(client, "/settings/reminders/calendar/", {"do": "make"}, follow=True)
    # An all-"No" safety check: Today says thank you.
    yield post(client, "/check/", ALL_NO, follow=True)
    yield from printed_pages(patient)
    yield from prepared_file_pages(client)


def prepared_file_pages(client: Client) -> Iterator[Page]:
    """A file to download: the page that waits for the worker, then the one that offers it."""
    from django.test import TestCase

    from stenosis_coach.jobs.testing import run_queued_jobs

    with TestCase.captureOnCommitCallbacks(execute=True):
        asked = client.get("/my-data/progress.pdf")
    yield get(client, asked["Location"])
    run_queued_jobs()
    yield get(client, asked["Location"])


def printed_pages(patient: Patient | None) -> Iterator[Page]:
    """The printed handout and progress summary, as the HTML their PDF is made from (in
    the patient's language); with no patient, the generic handout (in the active one)."""
    if patient is None:
        yield Page(
            "printed handout (generic)", handout_html(None, locale=translation.get_language())
        )
        return
    yield Page("printed handout", handout_html(patient))
    yield Page("printed progress summary", summary_html(patient))


def newcomer_pages(language: str) -> Iterator[Page]:
    """Getting started, step by step, with the errors of each step."""
    patient = make_patient(f"nina-{language}@example.org", language)
    client = client_for(patient, language)
    yield get(client, "/onboarding/safety/")
    yield post(client, "/onboarding/safety/", {})
    client.post("/onboarding/safety/", ALL_NO)
    yield get(client, "/onboarding/diagnosis/")
    yield post(client, "/onboarding/diagnosis/", {})
    yield post(client, "/onboarding/diagnosis/", {"diagnosis": "unsure"})
    client.post("/onboarding/diagnosis/", {"diagnosis": "yes"})
    yield get(client, "/onboarding/pain/")
    yield post(client, "/onboarding/pain/", {})
    client.post("/onboarding/pain/", {"leg_pain": "5", "back_pain": "3"})
    yield get(client, "/onboarding/walking/")
    yield post(client, "/onboarding/walking/", {"minutes": "45"})
    yield post(client, "/onboarding/walking/", {"minutes": "ten"})
    yield post(client, "/onboarding/walking/", {})
    client.post("/onboarding/walking/", {"minutes": "8"})
    yield get(client, "/onboarding/activities/")
    yield post(
        client,
        "/onboarding/activities/",
        {"activity_1": "x" * 90, "score_2": "4", "activity_3": "Cook", "score_3": "11"},
    )
    client.post("/onboarding/activities/", {})
    yield get(client, "/onboarding/time/")
    yield post(client, "/onboarding/time/", {"time": "03:00"})
    yield post(client, "/onboarding/time/", {})
    client.post("/onboarding/time/", {"time": "09:00"})
    # Onboarded with no activities: the function check asks for them first.
    yield get(client, "/progress/check/")
    yield post(client, "/progress/check/", {})
    # A new patient's Today, Progress and History, before any session.
    yield get(client, "/today/")
    yield get(client, "/progress/")
    yield get(client, "/history/")


def red_flag_pages(language: str) -> Iterator[Page]:
    """The advice after a "yes" (with its call button for an emergency), the doctor's check
    left unticked, the questions again after it and after new leg symptoms."""
    for flag in ("bladder", "fever"):
        patient = make_patient(f"flag-{flag}-{language}@example.org", language)
        actions.record_screening(patient, {q.id: q.id == flag for q in red_flag_questions()})
        client = client_for(patient, language)
        yield get(client, "/check/result/")
        yield post(client, "/check/result/", {})
        client.post("/check/result/", {"doctor_checked": "on"})
        yield get(client, "/check/")
        yield get(client, "/urgent/")
    patient = make_patient(f"symptoms-{language}@example.org", language)
    actions.record_screening(patient, {q.id: False for q in red_flag_questions()})
    actions.request_screening(patient)
    yield get(client_for(patient, language), "/check/")


def visitor_pages(language: str) -> Iterator[Page]:
    client = client_for(None, language)
    with translation.override(language):
        yield from printed_pages(None)  # the sheet a clinic prints for anyone
    for path in (
        "/",
        "/signup/",
        "/login/",
        "/password-reset/",
        "/password-reset/sent/",
        "/password-reset/done/",
        "/password-reset/MQ/bad-token/",
        "/my-data/deleted/",
        "/urgent/",
        "/offline/",
    ):
        yield get(client, path)
    yield post(client, "/signup/", {})
    yield post(
        client, "/signup/", {"email": "not an email", "password": "a", "password_again": "b"}
    )
    yield post(
        client,
        "/signup/",
        {"email": "new@example.org", "password": "12345", "password_again": "12345"},
    )
    yield post(
        client,
        "/signup/",
        {"email": "password@example.org", "password": "password", "password_again": "password"},
    )
    taken = make_patient(f"taken-{language}@example.org", language)
    email = taken.user.username
    yield post(client, "/signup/", {"email": "spaces@example.org", **two(" " * 12)})
    # An e-mail with an account: the same "Check your email" page as a new one.
    yield post(client, "/signup/", {"email": email, **two(PASSWORD)}, follow=True)
    yield locked_out_page(language)
    yield post(client, "/login/", {})
    yield post(client, "/login/", {"username": email, "password": "wrong"})
    yield post(client, "/password-reset/", {})
    yield post(client, "/password-reset/", {"email": "nope"})
    # A good link: Django puts the token in the session and shows the new-password form.
    link = reset_link(taken.user)
    yield get(client, link, follow=True)
    form_url = client.get(link).url
    yield post(client, form_url, {})
    yield post(client, form_url, {"new_password1": "abc", "new_password2": "abd"})
    yield post(client, form_url, {"new_password1": "123456789", "new_password2": "123456789"})
    mail.outbox.clear()


# What a therapist writes to a patient, in the patient's language (shown as written).
THERAPIST_WORDS = {
    "en": {
        "message": "Well done this week. Try a short walk each day too.",
        "reason": "You are doing well, so now you can do a second session each day.",
        "note": "My back was stiff after this one.",
    },
    "es": {
        "message": "Muy bien esta semana. Intente también dar un paseo corto cada día.",
        "reason": "Le va bien, así que ahora puede hacer una segunda sesión cada día.",
        "note": "Tenía la espalda rígida después de esta sesión.",
    },
}


def therapist_at(clinic_name: str, username: str, first: str, last: str) -> User:
    clinic, _new = Clinic.objects.get_or_create(name=clinic_name)
    user = User.objects.create_user(
        username, f"{username}@clinic.example", PASSWORD, first_name=first, last_name=last
    )
    StaffMember.objects.create(user=user, clinic=clinic, role=StaffMember.THERAPIST)
    return user


def staff_request(user: User) -> Any:
    """A request made by a staff member, as the clinic's actions and reads take it."""
    request = RequestFactory().post("/clinic/")
    request.user = user
    user.is_verified = lambda: True  # type: ignore[attr-defined]  # passed two-step sign-in
    return request


def clinic_pages(language: str) -> Iterator[Page]:
    """Joining a therapist: the code page, the consent page for a new person and for a
    patient who is logged in (with their errors, and each code that does not work), then
    what the patient reads once sharing: Today with the therapist's message and change of
    plan, a session with the note form, My data with who can see it and who has looked,
    and stopping."""
    # Short names: the formulas count a name's syllables as words to make simpler, and a
    # long one ("Riverside Physiotherapy") would fail any sentence it is in. The gate
    # judges our words; the names are the clinic's.
    therapist = therapist_at("Park Clinic", f"sam-{language}", "Sam", "Lee")
    other = therapist_at("Hill Clinic", f"kim-{language}", "Kim", "Ray")
    visitor = client_for(None, language)
    yield get(visitor, "/join/")
    yield answer(visitor.get("/join/", {"code": ""}), "GET /join/ (empty code)", 400)
    yield answer(visitor.get("/join/", {"code": "hello"}), "GET /join/ (not a code)", 400)
    yield answer(visitor.get("/join/ACDEFHJK/"), "GET /join/<unknown code>/", 404)
    old = invitations.create_invitation(therapist)
    Invitation.objects.filter(pk=old.pk).update(expires_at=old.created_at)
    yield answer(visitor.get(f"/join/{old.code}/"), "GET /join/<expired code>/", 410)
    # A new person signs up through the invitation.
    code = invitations.create_invitation(therapist).code
    yield get(visitor, f"/join/{code}/")
    yield post(visitor, f"/join/{code}/", {})
    yield post(
        visitor,
        f"/join/{code}/",
        {"email": "not an email", "password": "a", "password_again": "b"},
    )
    new_person = {
        "email": f"joiner-{language}@example.org",
        "password": PASSWORD,
        "password_again": PASSWORD,
        "agree": "on",
    }
    yield post(client_for(None, language), f"/join/{code}/", new_person, follow=True)
    yield answer(visitor.get(f"/join/{code}/"), "GET /join/<used code>/", 410)
    # A patient with weeks of history, logged in: says yes, then opens the link again.
    patient = make_patient(f"lena-{language}@example.org", language)
    fill_history(patient, 10, random.Random(7))
    client = client_for(patient, language)
    code = invitations.create_invitation(therapist).code
    yield get(client, f"/join/{code}/")
    yield post(client, f"/join/{code}/", {})
    yield post(client, f"/join/{code}/", {"agree": "on"}, follow=True)
    yield get(client, f"/join/{code}/")
    # Another therapist of the same clinic, and another clinic: what moving means.
    colleague = therapist_at("Park Clinic", f"ana-{language}", "Ana", "Diaz")
    yield get(client, f"/join/{invitations.create_invitation(colleague).code}/")
    yield get(client, f"/join/{invitations.create_invitation(other).code}/")
    # The therapist looks, changes the plan with a reason and sends a message.
    patient.refresh_from_db()
    words = THERAPIST_WORDS[language]
    for _look in range(invitations.LOOKED_PER_PAGE):
        patient_for_staff(staff_request(therapist), patient.pk, what="patient page")
    do_set_schedule(
        staff_request(therapist), patient, Schedule(sessions_per_day=2), words["reason"]
    )
    do_send_message(staff_request(therapist), patient, words["message"])
    yield get(client, "/today/")
    yield from printed_pages(patient)  # the therapist and their message on the sheet
    session = SessionRecord.objects.filter(patient=patient).order_by("-started_at").first()
    assert session is not None
    detail = f"/history/{session.uuid}/"
    yield get(client, detail)
    yield post(client, f"{detail}note/", {})
    yield post(client, f"{detail}note/", {"body": "x" * 600})
    yield post(client, f"{detail}note/", {"body": words["note"]}, follow=True)
    yield get(client, "/my-data/")
    yield get(client, "/my-data/?page=2")
    yield get(client, "/my-data/stop-sharing/")
    yield post(client, "/my-data/stop-sharing/", {}, follow=True)
    # A clinic's account that opens a patient's link.
    staff = client_for(None, language)
    staff.force_login(other)
    code = invitations.create_invitation(other).code
    yield answer(staff.get(f"/join/{code}/"), "GET /join/<code>/ (a clinic account)", 403)


def error_pages(language: str) -> Iterator[Page]:
    """The pages for a wrong link, a stale form, a bad request and a server fault."""
    client = client_for(None, language)
    yield answer(client.get("/no-such-page/"), "GET /no-such-page/", 404)
    stale = client_for(None, language)
    stale.handler.enforce_csrf_checks = True
    yield answer(stale.post("/login/", {}), "POST /login/ without its token", 403)
    request = RequestFactory().get("/")
    with translation.override(language):
        yield answer(bad_request(request, SuspiciousOperation()), "400.html", 400)
        yield answer(server_error(request), "500.html", 500)


def answer(response: Any, name: str, status: int) -> Page:
    assert response.status_code == status, f"{name}: {response.status_code}"
    return Page(name, response.content.decode())


def reset_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/password-reset/{uid}/{default_token_generator.make_token(user)}/"


def get(client: Client, path: str, *, follow: bool = False) -> Page:
    response = client.get(path, follow=follow)
    assert response.status_code == 200, f"GET {path}: {response.status_code}"
    return Page(f"GET {path}", response.content.decode())


def two(password: str) -> dict[str, str]:
    return {"password": password, "password_again": password}


def locked_out_page(language: str) -> Page:
    """The log-in page after too many wrong passwords (from an address of its own)."""
    client = client_for(None, language)
    wrong = {"username": f"locked-{language}@example.org", "password": "wrong-password"}
    for _ in range(5):
        client.post("/login/", wrong, REMOTE_ADDR="10.0.0.99")
    response = client.post("/login/", wrong, REMOTE_ADDR="10.0.0.99")
    assert response.status_code == 429, response.status_code
    return Page("POST /login/ (locked out)", response.content.decode())


def post(client: Client, path: str, data: dict[str, Any], *, follow: bool = False) -> Page:
    response = client.post(path, data, follow=follow)
    assert response.status_code in (200, 400), f"POST {path}: {response.status_code}"
    sent = ", ".join(sorted(data)) or "nothing"
    return Page(f"POST {path} ({sent})", response.content.decode())


def all_pages(language: str) -> list[Page]:
    """Every page a patient or a visitor can reach, in `language`."""
    patient = seeded_patient(language)
    return [
        *patient_pages(patient, language),
        *newcomer_pages(language),
        *red_flag_pages(language),
        *visitor_pages(language),
        *clinic_pages(language),
        *error_pages(language),
    ]


def page_texts(page: Page, language: str) -> list[Text]:
    """The texts of a page a patient reads, in the page's language (the language switch
    names each language in itself, so other languages are left out)."""
    parsed = parse_page(page.html, language)
    return [
        Text(page.name, text)
        for lang, text in parsed.texts
        if lang == language and text and is_words(text)
    ]
