"""My data: download everything as JSON or as CSV files, and delete the account."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from stenosis_coach.exports.actions import delete_account
from stenosis_coach.outcomes.actions import record_walking_test, start_function_tracking
from stenosis_coach.outcomes.models import PainCheckIn, WalkingTest
from stenosis_coach.patients.actions import record_screening
from stenosis_coach.patients.models import Patient, RedFlagScreening
from stenosis_coach.practice.models import ExerciseResult, PrescriptionVersion, SessionRecord
from stenosis_coach.programme import red_flag_questions
from tests.patient_pages import do_session, logged_in, page, ready, staff_client

ALICE_PASSWORD = "unused-Alice-pw-1"  # as conftest makes her
CSV_FILES = {
    "profile.csv",
    "sessions.csv",
    "exercise_results.csv",
    "pain_checkins.csv",
    "walking_tests.csv",
    "function_checks.csv",
    "prescriptions.csv",
    "red_flag_screenings.csv",
}


@pytest.fixture
def alice_client(alice: Patient) -> Client:
    return logged_in(ready(alice))


@pytest.fixture
def alice_data(alice: Patient) -> SessionRecord:
    """Some of everything; returns her session."""
    ready(alice)
    start_function_tracking(alice, [("=Walking to the shop", 3)])
    record_walking_test(alice, minutes=Decimal("9.5"), stopped_by_symptoms=True)
    return do_session(alice, leg_before=4, leg_after=3)


@pytest.fixture
def daves_session(dave: Patient) -> SessionRecord:
    record_walking_test(dave, minutes=Decimal("21.5"), stopped_by_symptoms=True)
    return do_session(dave, leg_before=7)


def read_zip(content: bytes) -> dict[str, list[dict[str, str]]]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return {
        name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
        for name in archive.namelist()
    }


@pytest.mark.parametrize(
    "url", ["/my-data/", "/my-data/export.json", "/my-data/export.zip", "/my-data/delete/"]
)
def test_my_data_needs_a_login(client: Client, db: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    "url", ["/my-data/", "/my-data/export.json", "/my-data/export.zip", "/my-data/delete/"]
)
def test_a_non_patient_account_gets_404(db: None, url: str) -> None:
    assert staff_client().get(url).status_code == 404


def test_the_page_offers_both_downloads_and_delete(alice_client: Client) -> None:
    html = page(alice_client.get("/my-data/"))
    assert 'href="/my-data/export.zip"' in html
    assert 'href="/my-data/export.json"' in html
    assert 'href="/my-data/delete/"' in html


def test_data_can_be_taken_before_onboarding_is_done(alice: Patient) -> None:
    client = logged_in(alice)
    assert client.get("/my-data/").status_code == 200
    assert client.get("/my-data/export.json").status_code == 200


def test_data_can_be_taken_while_a_red_flag_pauses_the_programme(alice: Patient) -> None:
    ready(alice)
    record_screening(alice, {q.id: q.id == "fever" for q in red_flag_questions()})
    client = logged_in(alice)
    assert client.get("/today/")["Location"] == "/check/result/"
    assert client.get("/my-data/").status_code == 200
    assert client.get("/my-data/delete/").status_code == 200


def test_the_json_download_is_a_dated_attachment(alice_client: Client) -> None:
    response = alice_client.get("/my-data/export.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="stenosis-coach-data-{today}.json"'
    )
    assert "no-store" in response["Cache-Control"]


def test_the_json_holds_the_patients_own_data_and_nobody_elses(
    alice_client: Client, alice_data: SessionRecord, daves_session: SessionRecord
) -> None:
    data = json.loads(alice_client.get("/my-data/export.json").content)
    assert data["profile"][0]["email"] == "alice"
    assert data["profile"][0]["activities"] == ["=Walking to the shop"]
    (session,) = data["sessions"]
    assert session["session"] == str(alice_data.uuid)
    assert (session["leg_pain_before"], session["leg_pain_after"]) == (4, 3)
    assert session["new_leg_symptoms"] is None  # not asked in this session
    assert (session["paused_seconds"], session["clock_trusted"]) == (0, True)
    assert data["profile"][0]["retired_activities"] == []
    assert {r["exercise"] for r in data["exercise_results"]} >= {"Knees to chest", "Curl-up"}
    assert {r["session"] for r in data["exercise_results"]} == {str(alice_data.uuid)}
    assert [c["moment"] for c in data["pain_checkins"]] == ["before", "after"]
    assert data["walking_tests"] == [
        {"taken_at": mock.ANY, "seconds": 570, "minutes": 9.5, "stopped_by_symptoms": True}
    ]
    assert data["function_checks"][0]["score"] == 3
    assert data["prescriptions"][0]["dose"] == "4 times, hold 10 seconds"
    assert data["red_flag_screenings"][0]["outcome"] == "clear"
    assert str(daves_session.uuid) not in json.dumps(data)
    assert 21.5 not in [walk["minutes"] for walk in data["walking_tests"]]


def test_the_zip_holds_one_csv_file_per_table(
    alice_client: Client, alice_data: SessionRecord, daves_session: SessionRecord
) -> None:
    response = alice_client.get("/my-data/export.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="stenosis-coach-data-')
    assert response["Content-Disposition"].endswith('.zip"')
    tables = read_zip(response.content)
    assert set(tables) == CSV_FILES
    assert [row["session"] for row in tables["sessions.csv"]] == [str(alice_data.uuid)]
    assert {row["session"] for row in tables["exercise_results.csv"]} == {str(alice_data.uuid)}
    assert [row["minutes"] for row in tables["walking_tests.csv"]] == ["9.5"]
    assert tables["red_flag_screenings.csv"][0]["outcome"] == "clear"
    assert str(daves_session.uuid) not in response.content.decode("latin-1")


def test_an_empty_table_still_has_its_column_names(alice_client: Client) -> None:
    tables = read_zip(alice_client.get("/my-data/export.zip").content)
    assert tables["walking_tests.csv"] == []
    archive = zipfile.ZipFile(io.BytesIO(alice_client.get("/my-data/export.zip").content))
    header = archive.read("walking_tests.csv").decode("utf-8-sig").strip()
    assert header == "taken_at,seconds,minutes,stopped_by_symptoms"


def test_typed_text_cannot_run_as_a_spreadsheet_formula(
    alice_client: Client, alice_data: SessionRecord
) -> None:
    tables = read_zip(alice_client.get("/my-data/export.zip").content)
    assert tables["function_checks.csv"][0]["activity"] == "'=Walking to the shop"


def test_downloads_only_answer_get(alice_client: Client) -> None:
    assert alice_client.post("/my-data/export.json").status_code == 405
    assert alice_client.post("/my-data/export.zip").status_code == 405


def test_deleting_asks_for_the_password(alice_client: Client) -> None:
    html = page(alice_client.get("/my-data/delete/"))
    assert "Delete your account?" in html
    assert 'type="password"' in html
    assert 'autocomplete="current-password"' in html


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "Please type your password. Nothing has been deleted."),
        ("unused-Dave-pw-1", "That password is not right. Nothing has been deleted."),
    ],
)
def test_a_wrong_password_deletes_nothing(
    alice_client: Client, alice: Patient, alice_data: SessionRecord, password: str, message: str
) -> None:
    response = alice_client.post("/my-data/delete/", {"password": password})
    assert response.status_code == 400
    assert message in page(response)
    assert Patient.objects.filter(pk=alice.pk).exists()
    assert alice.sessions.exists()
    assert alice_client.get("/today/").status_code == 200  # still logged in


def test_deleting_removes_the_account_and_every_record(
    alice_client: Client, alice: Patient, alice_data: SessionRecord, daves_session: SessionRecord
) -> None:
    response = alice_client.post("/my-data/delete/", {"password": ALICE_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/my-data/deleted/"
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert not User.objects.filter(username="alice").exists()
    assert not Patient.objects.filter(pk=alice.pk).exists()
    for model in (SessionRecord, PainCheckIn, WalkingTest, PrescriptionVersion, RedFlagScreening):
        assert not model.objects.filter(patient_id=alice.pk).exists()
    assert not ExerciseResult.objects.filter(session__uuid=alice_data.uuid).exists()
    # Dave's data is untouched.
    assert SessionRecord.objects.filter(pk=daves_session.pk).exists()
    assert WalkingTest.objects.filter(patient=daves_session.patient).exists()


def test_after_deleting_you_are_logged_out_and_told_goodbye(
    alice_client: Client, alice_data: SessionRecord
) -> None:
    alice_client.post("/my-data/delete/", {"password": ALICE_PASSWORD})
    goodbye = alice_client.get("/my-data/deleted/")
    assert goodbye.status_code == 200
    assert "Your account is gone" in page(goodbye)
    assert alice_client.get("/today/")["Location"].startswith("/login/")


def test_the_goodbye_page_sends_someone_logged_in_back(alice_client: Client) -> None:
    assert alice_client.get("/my-data/deleted/")["Location"] == "/my-data/"


def test_deleting_is_all_or_nothing(alice: Patient, alice_data: SessionRecord) -> None:
    with (
        mock.patch.object(User, "delete", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        delete_account(alice)
    assert alice.sessions.filter(pk=alice_data.pk).exists()
    assert ExerciseResult.objects.filter(session=alice_data).exists()
