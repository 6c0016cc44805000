"""The printed handout and the one-page progress summary (stenosis_coach/exports/handout.py),
read back from the PDF as a person and a screen reader would get them: the text with
pdftotext (poppler-utils), the pages, their size, the drawings and the type size with pypdf.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import subprocess
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone, translation
from pypdf import PdfReader

from stenosis_coach.cli import main
from stenosis_coach.clinic.models import AuditEntry, Message
from stenosis_coach.clinic.patient_actions import do_send_message
from stenosis_coach.exports import handout
from stenosis_coach.illustrations.pictures import illustration_for, keyframe_svgs
from stenosis_coach.illustrations.style import print_stylesheet, stylesheet
from stenosis_coach.patients.actions import record_screening
from stenosis_coach.patients.management.commands.demo import fill_history
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.today import EXERCISES_ALONE, POSTURE_TIPS
from stenosis_coach.programme import build_plan, load_catalogue, red_flag_questions
from stenosis_coach.programme import starting_prescription as start
from stenosis_coach.programme.safety import urgent_texts
from tests.clinic_pages import audit_count, client_for
from tests.patient_pages import fetch_prepared, logged_in, ready, staff_client
from tests.texts import staff_request

# Page sizes in PDF points (1/72 inch).
A4 = (595.3, 841.9)
LETTER = (612.0, 792.0)
LARGEST_TYPE_MIN = 14.0  # pt: nothing on the page is smaller (the footer included)
QR_TITLE = {"en": "QR code that opens Stenosis Coach", "es": "Código QR que abre Stenosis Coach"}


# ---------------------------------------------------------------------------------------
# Reading a PDF back


def text_of(pdf: bytes) -> str:
    """The words of every page as pdftotext reads them, in one line (a sentence may wrap)."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(out.split())


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(BytesIO(pdf))


def page_sizes(pdf: bytes) -> set[tuple[float, float]]:
    return {
        (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1))
        for page in reader(pdf).pages
    }


def figures(pdf: bytes) -> list[str]:
    """The alternative text of each Figure in the tagged PDF, in reading order: one for each
    drawing WeasyPrint drew (the SVG's title is its alternative)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if node.get("/S") == "/Figure":
                found.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])

    walk(reader(pdf).trailer["/Root"]["/StructTreeRoot"])
    return found


def raster_images(pdf: bytes) -> int:
    """Bitmaps on the pages: the drawings must stay vectors, so there are none."""
    count = 0
    for page in reader(pdf).pages:
        xobjects = page["/Resources"].get("/XObject")
        for xobject in (xobjects.get_object() if xobjects else {}).values():
            count += xobject.get_object().get("/Subtype") == "/Image"
    return count


def type_sizes(pdf: bytes) -> dict[float, list[str]]:
    """Each size of type on the pages (pt, as printed), with the texts set in it."""
    sizes: dict[float, list[str]] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
            sizes.setdefault(round(size * scale, 1), []).append(text.strip())

    for page in reader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def drawing_titles(exercise_id: str, locale: str) -> list[str]:
    keyframes = illustration_for(exercise_id).keyframes
    return [keyframes[name].text(locale).title for name in keyframe_svgs(exercise_id, locale)]


# ---------------------------------------------------------------------------------------
# Patients


@pytest.fixture
def alice_ready(alice: Patient) -> Patient:
    return ready(alice)


@pytest.fixture
def alice_with_history(alice: Patient) -> Patient:
    """Seven weeks of sessions, walks and checks, and a message from bob."""
    fill_history(alice, 50, random.Random(3))
    do_send_message(staff_request(alice.therapist), alice, "Well done. Walk a little each day.")
    alice.refresh_from_db()
    return alice


def plan_of(patient: Patient | None, locale: str) -> list[tuple[str, str, str]]:
    """(id, name, dose in words) of each exercise in today's plan, as Today lists them."""
    if patient is None:
        prescription = start()
    else:
        prescription = patient.prescriptions.latest("number").to_engine()
    return [
        (e.exercise_id, e.name, e.dose_text) for e in build_plan(prescription, locale).exercises
    ]


# ---------------------------------------------------------------------------------------
# The generic handout: the programme's starting doses


@pytest.mark.parametrize("locale", ["en", "es"])
def test_the_generic_handout_has_every_exercise_its_dose_the_stop_rule_and_the_advice(
    db: None, locale: str
) -> None:
    pdf = handout.handout_pdf(None, locale=locale)
    text = text_of(pdf)
    planned = plan_of(None, locale)
    assert [exercise_id for exercise_id, _n, _d in planned] == [
        "back-flexion",
        "pelvic-tilt",
        "curl-up",
        "childs-pose",
    ]
    with translation.override(locale):
        for _id, name, dose in planned:
            assert name in text
            assert translation.gettext("Today: %(dose)s") % {"dose": dose} in text
        # The march is not open at the start: it is named under "For later".
        assert load_catalogue().get("hook-lying-march").text(locale).name in text
        assert translation.gettext("Not open yet") in text
        for tip in POSTURE_TIPS:
            assert translation.gettext(tip) in text
        assert translation.gettext(EXERCISES_ALONE) in text
    assert handout.stop_rule(locale) in text
    urgent = urgent_texts(locale, "911")
    for words in (urgent.emergency_title, *urgent.emergency_points, urgent.call, urgent.usual):
        assert words in text
    assert urgent.call in ("Call 911", "Llamar al 911")
    assert "http://127.0.0.1:8000/" in text  # the address under the QR code
    assert 4 <= len(reader(pdf).pages) <= 8


def test_the_stop_rule_is_the_caution_every_exercise_has() -> None:
    rule = handout.stop_rule("en")
    assert rule == "Stop right away if it hurts or if the pain in your leg gets worse."
    for exercise in load_catalogue().exercises:
        assert rule in exercise.text("en").cautions
    assert handout.stop_rule("es") == "Pare ya si le duele, o si el dolor de la pierna va a más."


def test_the_generic_handout_names_no_patient_and_no_therapist(db: None) -> None:
    text = text_of(handout.handout_pdf(None))
    assert "This sheet shows how the exercises start." in text
    assert "This sheet is for" not in text
    assert "Your therapist is" not in text


def test_the_spanish_handout_has_no_english_exercise_words(db: None) -> None:
    text = text_of(handout.handout_pdf(None, locale="es"))
    assert "Rodillas al pecho" in text
    for english in ("Knees to chest", "Today:", "How to do it", "Stop right away"):
        assert english not in text


@pytest.mark.parametrize("locale", ["en", "es"])
def test_one_vector_drawing_for_each_position_of_each_exercise(db: None, locale: str) -> None:
    pdf = handout.handout_pdf(None, locale=locale)
    expected = [
        title
        for exercise_id, _name, _dose in plan_of(None, locale)
        for title in drawing_titles(exercise_id, locale)
    ]
    assert len(expected) == 8  # start and hold of each of the four
    assert figures(pdf) == [QR_TITLE[locale], *expected]
    assert raster_images(pdf) == 0


def test_the_march_shows_its_three_positions_once_it_is_open(alice_ready: Patient) -> None:
    version = alice_ready.prescriptions.latest("number")
    version.items.filter(exercise_id="hook-lying-march").update(locked=False)
    pdf = handout.handout_pdf(alice_ready)
    march = drawing_titles("hook-lying-march", "en")
    assert march == [
        "Lying march: start",
        "Lying march: left foot up",
        "Lying march: right foot up",
    ]
    found = figures(pdf)
    assert all(found.count(title) == 1 for title in march)
    assert "Lying march" in text_of(pdf)
    assert "For later" not in text_of(pdf)


def test_the_drawings_are_printed_in_colours_written_in(db: None) -> None:
    """WeasyPrint's SVG reads no custom properties: the screen stylesheet would draw every
    shape black."""
    for drawing in handout.drawings("back-flexion", "en"):
        assert "var(--fig" not in drawing.svg
        assert print_stylesheet() in drawing.svg
        assert "prefers-color-scheme" not in drawing.svg
    assert "var(--fig-body)" in stylesheet()
    with pytest.raises(ValueError, match="stylesheet"):
        handout.for_paper("<svg><style>.other{}</style></svg>")


def test_the_drawings_stay_svg_after_weasyprint_is_loaded(db: None) -> None:
    """WeasyPrint's import maps the XML prefix "" to no namespace; the drawings still come
    out as <svg>, not <ns0:svg>, which every browser and WeasyPrint would show as text."""
    handout.handout_pdf(None)
    for svg in keyframe_svgs("childs-pose", "en").values():
        assert svg.startswith("<svg xmlns=")
        assert "ns0:" not in svg


def test_large_print_nothing_under_14_pt(alice_with_history: Patient) -> None:
    for pdf in (handout.handout_pdf(alice_with_history), handout.summary_pdf(alice_with_history)):
        sizes = type_sizes(pdf)
        assert min(sizes) >= LARGEST_TYPE_MIN, {size: sizes[size][:3] for size in sorted(sizes)}
    body = type_sizes(handout.handout_pdf(None))
    assert "Lie on your back on the mat." in body[15.0]


@pytest.mark.parametrize(("paper", "size"), [("a4", A4), ("letter", LETTER)])
def test_a4_and_us_letter(
    alice_with_history: Patient, paper: str, size: tuple[float, float]
) -> None:
    assert page_sizes(handout.handout_pdf(alice_with_history, paper)) == {size}
    assert page_sizes(handout.summary_pdf(alice_with_history, paper)) == {size}


def test_a_paper_size_we_do_not_have_is_refused() -> None:
    assert handout.paper_or_default(None) == "a4"
    assert handout.paper_or_default(" Letter ") == "letter"
    with pytest.raises(handout.HandoutError, match="paper size"):
        handout.paper_or_default("a3")


# ---------------------------------------------------------------------------------------
# A patient's own handout


def test_the_patient_handout_has_their_doses_their_therapist_and_the_latest_message(
    alice_with_history: Patient,
) -> None:
    text = text_of(handout.handout_pdf(alice_with_history))
    for _id, name, dose in plan_of(alice_with_history, "en"):
        assert f"{name} Today: {dose}" in text
    # Weeks of sessions: the doses have grown past the start.
    assert plan_of(alice_with_history, "en") != plan_of(None, "en")
    assert "This sheet is for alice." in text
    assert "Your therapist is bob@riverside.example at Riverside Physio." in text
    assert "Well done. Walk a little each day." in text
    assert "http://127.0.0.1:8000/today/" in text


def test_the_sheet_says_when_to_exercise(alice_ready: Patient) -> None:
    from stenosis_coach.reminders.actions import do_save_reminders

    do_save_reminders(alice_ready, times=[dt.time(7, 30)], weekdays=[0, 2, 4], by_email=False)
    text = text_of(handout.handout_pdf(alice_ready))
    assert "Your times: 7:30 a.m." in text
    assert "Your days: Monday, Wednesday, Friday" in text
    assert "Your times" not in text_of(handout.handout_pdf(None))  # no one's times


def test_the_file_is_named_with_the_patients_own_day(alice_ready: Patient, settings: Any) -> None:
    from django.utils import timezone

    settings.TIME_ZONE = "Etc/GMT+12"  # the server at UTC-12 ...
    alice_ready.time_zone = "Pacific/Kiritimati"  # ... alice at UTC+14: never the same day
    alice_ready.save()
    day = timezone.localdate(timezone=alice_ready.zone)
    assert day != timezone.localdate()
    response = fetch_prepared(logged_in(alice_ready), "/my-data/progress.pdf")
    assert f"stenosis-coach-progress-{day:%Y-%m-%d}-a4.pdf" in response["Content-Disposition"]


def test_printing_does_not_mark_the_message_read(alice_with_history: Patient) -> None:
    handout.handout_pdf(alice_with_history)
    assert Message.objects.get(patient=alice_with_history).read_at is None


def test_a_patient_with_no_clinic_has_no_therapist_on_the_sheet(dave: Patient) -> None:
    text = text_of(handout.handout_pdf(ready(dave)))
    assert "Your therapist" not in text
    assert "This sheet is for dave." in text


def test_the_handout_is_in_the_patients_language(alice_ready: Patient) -> None:
    alice_ready.language = "es"
    alice_ready.save(update_fields=["language"])
    text = text_of(handout.handout_pdf(alice_ready))
    assert "Esta hoja es para alice." in text
    assert "Su terapeuta es bob@riverside.example, de Riverside Physio." in text
    assert "Hoy: 4 veces, 10 segundos cada vez" in text


def test_an_exercise_on_hold_is_under_for_later_with_its_reason(alice_ready: Patient) -> None:
    version = alice_ready.prescriptions.latest("number")
    version.items.filter(exercise_id="curl-up").update(paused=True, reason="Ask your therapist.")
    text = text_of(handout.handout_pdf(alice_ready))
    assert "Curl-up: On hold. Ask your therapist." in text
    assert "Curl-up: start" not in figures(handout.handout_pdf(alice_ready))


# ---------------------------------------------------------------------------------------
# The progress summary


@pytest.mark.parametrize("locale", ["en", "es"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_summary_is_one_page_with_the_numbers_beside_the_charts(
    alice_with_history: Patient, locale: str, paper: str
) -> None:
    pdf = handout.summary_pdf(alice_with_history, paper, locale)
    assert len(reader(pdf).pages) == 1
    text = text_of(pdf)
    with translation.override(locale):
        summary = handout.summary_for(alice_with_history, locale, paper)
        for printed in (summary.pain, summary.walking, summary.weeks):
            assert printed is not None
            assert printed.chart.summary in text
            assert len(printed.table.rows) == handout.SUMMARY_ROWS
            for row in printed.table.rows:
                for cell in row[1:]:
                    assert str(cell) in text
        assert [row.name for row in summary.doses] == [
            exercise.text(locale).name for exercise in load_catalogue().exercises
        ]
        for row in summary.doses:
            assert row.name in text
            assert row.now in text
    # Pain, walks, and sessions each week: three charts, each with its title.
    assert len(figures(pdf)) == 3


def test_the_summary_of_a_new_patient_says_there_is_nothing_yet(dave: Patient) -> None:
    pdf = handout.summary_pdf(dave)
    text = text_of(pdf)
    assert "No pain scores yet." in text
    assert "No timed walks yet." in text
    assert "No sessions yet." in text
    assert "4 times, hold 10 seconds" in text  # the doses at the start
    assert len(reader(pdf).pages) == 1


# ---------------------------------------------------------------------------------------
# The URL fetcher reads our own static files only


def test_the_fetcher_serves_our_stylesheet() -> None:
    css = handout.static_file(handout.BASE_URL + "static/exports/handout.css")
    assert css is not None
    assert css.name == "handout.css"
    response = handout.static_fetcher().fetch(handout.BASE_URL + "static/exports/handout.css")
    assert b"@page" in response.read()
    assert handout.static_file(css.as_uri()) == css


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/static/exports/handout.css",
        "http://127.0.0.1:8000/static/exports/handout.css",
        handout.BASE_URL + "static/../settings.py",
        handout.BASE_URL + "static/%2e%2e/%2e%2e/settings.py",
        handout.BASE_URL + "my-data/export.json",
        handout.BASE_URL + "static/exports/no-such-file.css",
        "file:///etc/passwd",
        Path(__file__).resolve().as_uri(),
        (Path(handout.__file__).parent / "static" / "exports" / ".." / ".." / "views.py")
        .absolute()
        .as_uri(),
        "data:text/css,body{color:red}",
        "ftp://example.org/x.css",
    ],
)
def test_the_fetcher_refuses_anything_else(url: str) -> None:
    assert handout.static_file(url) is None
    with pytest.raises(ValueError, match="Not one of our static files"):
        handout.static_fetcher().fetch(url)


def test_a_page_that_links_elsewhere_still_prints_without_it(db: None) -> None:
    """WeasyPrint asks the fetcher, which refuses: nothing is fetched, the PDF is made."""
    html = (
        '<html><head><link rel="stylesheet" href="https://example.org/x.css"></head><body>'
        '<p>Hello</p><img src="file:///etc/hostname" alt="x"></body></html>'
    )
    assert "Hello" in text_of(handout.as_pdf(html))


# ---------------------------------------------------------------------------------------
# The patient's downloads


def assert_pdf_download(response: Any, kind: str, paper: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="stenosis-coach-{kind}-')
    assert disposition.endswith(f'-{paper}.pdf"')
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    return bytes(response.content)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_alice_downloads_her_handout_and_summary(alice_ready: Patient, paper: str) -> None:
    client = logged_in(alice_ready)
    pdf = assert_pdf_download(
        fetch_prepared(client, f"/my-data/exercises.pdf?paper={paper}"), "exercises", paper
    )
    assert "This sheet is for alice." in text_of(pdf)
    size = A4 if paper == "a4" else LETTER
    assert page_sizes(pdf) == {size}
    pdf = assert_pdf_download(
        fetch_prepared(client, f"/my-data/progress.pdf?paper={paper}"), "progress", paper
    )
    assert "This page is for alice" in text_of(pdf)


def test_a4_is_the_default(alice_ready: Patient) -> None:
    response = fetch_prepared(logged_in(alice_ready), "/my-data/exercises.pdf")
    assert page_sizes(assert_pdf_download(response, "exercises", "a4")) == {A4}


def test_dave_gets_his_own(dave: Patient) -> None:
    client = logged_in(ready(dave))
    assert "This sheet is for dave." in text_of(
        fetch_prepared(client, "/my-data/exercises.pdf").content
    )
    assert "This page is for dave" in text_of(
        fetch_prepared(client, "/my-data/progress.pdf").content
    )


@pytest.mark.parametrize("url", ["/my-data/exercises.pdf", "/my-data/progress.pdf"])
def test_the_downloads_need_a_login(client: Client, db: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", ["/my-data/exercises.pdf", "/my-data/progress.pdf"])
def test_a_non_patient_account_gets_404(db: None, url: str) -> None:
    assert staff_client().get(url).status_code == 404


@pytest.mark.parametrize("url", ["/my-data/exercises.pdf", "/my-data/progress.pdf"])
def test_a_bad_paper_size_is_a_clear_400(alice_ready: Patient, url: str) -> None:
    response = logged_in(alice_ready).get(url, {"paper": "tabloid"})
    assert response.status_code == 400
    assert "We do not have that paper size." in response.content.decode()


def test_the_downloads_are_get_only(alice_ready: Patient) -> None:
    assert logged_in(alice_ready).post("/my-data/exercises.pdf").status_code == 405


def test_on_a_red_flag_hold_the_exercise_sheet_waits_but_the_summary_does_not(
    alice_ready: Patient,
) -> None:
    record_screening(alice_ready, {q.id: q.id == "bladder" for q in red_flag_questions()})
    client = logged_in(alice_ready)
    response = client.get("/my-data/exercises.pdf")
    assert response.status_code == 302
    assert response["Location"] == "/check/result/"
    assert fetch_prepared(client, "/my-data/progress.pdf").status_code == 200
    page = client.get("/my-data/").content.decode()
    assert "/my-data/exercises.pdf" not in page
    assert "/my-data/progress.pdf?paper=a4" in page


def test_today_and_my_data_offer_both_papers(alice_ready: Patient) -> None:
    client = logged_in(alice_ready)
    today = client.get("/today/").content.decode()
    assert 'href="/my-data/exercises.pdf?paper=a4"' in today
    assert 'href="/my-data/exercises.pdf?paper=letter"' in today
    my_data = client.get("/my-data/").content.decode()
    for url in ("exercises", "progress"):
        for paper in ("a4", "letter"):
            assert f'href="/my-data/{url}.pdf?paper={paper}"' in my_data


# ---------------------------------------------------------------------------------------
# The therapist's downloads


@pytest.mark.parametrize(("kind", "words"), [("exercises", "This sheet is for alice."),
                                             ("progress", "This page is for alice")])  # fmt: skip
def test_bob_prints_alices_from_her_page_and_it_is_audited(
    alice_ready: Patient, bob: User, kind: str, words: str
) -> None:
    url = f"/clinic/patients/{alice_ready.pk}/{kind}.pdf"
    before = audit_count(patient=alice_ready, who=bob, action=AuditEntry.READ)
    pdf = assert_pdf_download(
        fetch_prepared(client_for(bob), url, {"paper": "letter"}), kind, "letter"
    )
    assert words in text_of(pdf)
    assert page_sizes(pdf) == {LETTER}
    entry = AuditEntry.objects.filter(patient=alice_ready, who=bob).latest("pk")
    assert entry.what == f"printed {kind} PDF (letter)"
    assert audit_count(patient=alice_ready, who=bob, action=AuditEntry.READ) == before + 1


@pytest.mark.parametrize("kind", ["exercises", "progress"])
def test_only_alices_clinic_gets_them(
    alice_ready: Patient, bob: User, charlie: User, kind: str
) -> None:
    url = f"/clinic/patients/{alice_ready.pk}/{kind}.pdf"
    assert client_for(charlie).get(url).status_code == 404
    assert client_for(alice_ready).get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]
    assert (
        client_for(bob).get(f"/clinic/patients/{alice_ready.pk + 999}/{kind}.pdf").status_code
        == 404
    )
    assert audit_count(patient=alice_ready) == 0


def test_the_therapist_prints_in_the_patients_language(alice_ready: Patient, bob: User) -> None:
    alice_ready.language = "es"
    alice_ready.save(update_fields=["language"])
    pdf = fetch_prepared(
        client_for(bob), f"/clinic/patients/{alice_ready.pk}/exercises.pdf"
    ).content
    assert "Esta hoja es para alice." in text_of(pdf)


def test_a_bad_paper_size_reads_nothing(alice_ready: Patient, bob: User) -> None:
    url = f"/clinic/patients/{alice_ready.pk}/exercises.pdf"
    assert client_for(bob).get(url, {"paper": "a5"}).status_code == 400
    assert audit_count(patient=alice_ready) == 0


def test_the_patient_page_links_to_both(alice_ready: Patient, bob: User) -> None:
    page = client_for(bob).get(f"/clinic/patients/{alice_ready.pk}/").content.decode()
    for kind in ("exercises", "progress"):
        for paper in ("a4", "letter"):
            assert f'href="/clinic/patients/{alice_ready.pk}/{kind}.pdf?paper={paper}"' in page


# ---------------------------------------------------------------------------------------
# stenosis-coach handout


def test_the_command_writes_the_generic_handout(db: None, tmp_path: Path) -> None:
    out = tmp_path / "handout.pdf"
    call_command("handout", "--out", str(out), stdout=StringIO())
    text = text_of(out.read_bytes())
    assert "This sheet shows how the exercises start." in text
    assert "Today: 4 times, hold 10 seconds" in text
    assert page_sizes(out.read_bytes()) == {A4}


def test_the_command_for_a_patient_in_spanish_on_letter(
    alice_ready: Patient, tmp_path: Path
) -> None:
    alice_ready.user.email = "alice@example.org"
    alice_ready.user.save(update_fields=["email"])
    out = tmp_path / "alice.pdf"
    said = StringIO()
    call_command(
        "handout", "--patient", "Alice@Example.org", "--lang", "es", "--paper", "letter",
        "--out", str(out), stdout=said,
    )  # fmt: skip
    assert said.getvalue() == f"Wrote {out}\n"
    assert "Esta hoja es para alice@example.org." in text_of(out.read_bytes())
    assert page_sizes(out.read_bytes()) == {LETTER}
    call_command("handout", "--patient", "alice", "--summary", "--out", str(out), stdout=said)
    assert "This page is for alice@example.org" in text_of(out.read_bytes())
    assert len(reader(out.read_bytes()).pages) == 1


def test_the_command_needs_a_patient_for_a_summary(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--summary needs --patient"):
        call_command("handout", "--summary", "--out", str(tmp_path / "x.pdf"))


def test_the_command_says_so_when_it_cannot_write(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Could not write"):
        call_command("handout", "--out", str(tmp_path / "no-such-folder" / "x.pdf"))


def test_a_bad_email_is_a_clear_message_and_a_non_zero_exit(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Last in the test: the command closes the database connection when it ends.
    out = tmp_path / "x.pdf"
    with pytest.raises(SystemExit) as stopped:
        main(["stenosis-coach", "handout", "--patient", "nobody@example.org", "--out", str(out)])
    assert stopped.value.code != 0
    err = capsys.readouterr().err
    assert "There is no patient with the e-mail nobody@example.org." in err
    assert "Traceback" not in err
    assert not out.exists()


def test_made_on_is_the_patients_own_day(alice_ready: Patient) -> None:
    """A patient far east of the server reads tomorrow's date after the server's evening."""
    alice_ready.time_zone = "Pacific/Kiritimati"  # UTC+14
    alice_ready.save(update_fields=["time_zone"])
    with handout.in_language("en", alice_ready):
        made_on = handout.handout_for(alice_ready, "en", "a4").made_on
    assert made_on == timezone.localtime(timezone.now(), alice_ready.zone).date()
    assert made_on - timezone.localdate() in (dt.timedelta(0), dt.timedelta(days=1))
