"""Files the worker makes for download (exports/prepared.py): the printed sheets and the
FHIR record are made by the job runner, never in the request; one file per request and
state of the data, served again at once while nothing changes; only for whoever asked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from stenosis_coach.clinic.invitations import leave_clinic
from stenosis_coach.exports import prepared
from stenosis_coach.exports.models import PreparedFile
from stenosis_coach.jobs.testing import run_queued_jobs
from stenosis_coach.patients.models import Patient
from tests.clinic_pages import client_for
from tests.patient_pages import do_session, fetch_prepared, logged_in, page, ready

TASK = "stenosis_coach.exports.prepared.make_prepared_file"
SHEET = "/my-data/exercises.pdf?paper=a4"


@pytest.fixture
def rosa(dave: Patient) -> Patient:
    return ready(dave)


def ask(client: Client, url: str) -> Any:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.get(url)


def jobs() -> int:
    return DBTaskResult.objects.filter(task_path=TASK).count()


def test_the_request_only_queues_the_work(rosa: Patient) -> None:
    response = ask(logged_in(rosa), SHEET)
    file = PreparedFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/files/{file.pk}/"
    assert (file.status, file.content) == ("waiting", None)
    assert jobs() == 1


def test_pressed_twice_it_is_made_once(rosa: Patient) -> None:
    client = logged_in(rosa)
    first, second = ask(client, SHEET), ask(client, SHEET)
    assert first["Location"] == second["Location"]
    assert (PreparedFile.objects.count(), jobs()) == (1, 1)


def test_asked_again_with_nothing_new_it_is_served_at_once(rosa: Patient) -> None:
    client = logged_in(rosa)
    first = fetch_prepared(client, SHEET)
    again = ask(client, SHEET)
    assert again.status_code == 200
    assert again.content == first.content
    assert jobs() == 1


def test_new_data_makes_a_new_file(rosa: Patient) -> None:
    client = logged_in(rosa)
    fetch_prepared(client, "/my-data/progress.pdf")
    do_session(rosa)
    assert ask(client, "/my-data/progress.pdf").status_code == 302  # a new one to make
    assert PreparedFile.objects.count() == 2


def test_each_paper_is_its_own_file(rosa: Patient) -> None:
    client = logged_in(rosa)
    ask(client, SHEET)
    ask(client, "/my-data/exercises.pdf?paper=letter")
    assert sorted(PreparedFile.objects.values_list("paper", flat=True)) == ["a4", "letter"]


def test_the_waiting_page_looks_again_by_itself_and_the_ready_one_does_not(
    rosa: Patient,
) -> None:
    client = logged_in(rosa)
    location = ask(client, SHEET)["Location"]
    waiting = page(client.get(location))
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert "Exercise sheet" in waiting
    assert "/download" not in waiting
    run_queued_jobs()
    done = page(client.get(location))
    assert "http-equiv" not in done
    assert "For A4 paper." in done
    assert "no-store" in client.get(location)["Cache-Control"]


def test_a_download_before_it_is_ready_goes_back_to_the_page(rosa: Patient) -> None:
    client = logged_in(rosa)
    location = ask(client, SHEET)["Location"]
    response = client.get(location + "download")
    assert (response.status_code, response["Location"]) == (302, location)


def test_a_failure_says_so_and_asking_again_tries_again(
    rosa: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(patient: Patient, paper: str) -> bytes:
        raise RuntimeError("the PDF library fell over")

    kind = prepared.KINDS["exercises"]
    failing = prepared.Kind(broken, kind.content_type, kind.name, kind.extension)
    monkeypatch.setitem(prepared.KINDS, "exercises", failing)
    client = logged_in(rosa)
    location = ask(client, SHEET)["Location"]
    run_queued_jobs()
    failed = page(client.get(location))
    assert "We could not make it" in failed
    assert 'href="/my-data/exercises.pdf?paper=a4"' in failed
    monkeypatch.undo()
    assert ask(client, SHEET)["Location"] == location  # the same file, queued again
    run_queued_jobs()
    assert PreparedFile.objects.get().status == "ready"


def test_the_job_run_twice_makes_it_once(rosa: Patient) -> None:
    ask(logged_in(rosa), SHEET)
    file = PreparedFile.objects.get()
    assert prepared.make_prepared_file.call(file_id=str(file.pk)) == "ready"
    made = PreparedFile.objects.get().finished_at
    assert prepared.make_prepared_file.call(file_id=str(file.pk)) == "ready"
    assert PreparedFile.objects.get().finished_at == made
    assert prepared.make_prepared_file.call(file_id="5e0f1c9a-0000-4000-8000-000000000000") == (
        "gone"
    )


def test_only_whoever_asked_gets_the_file(
    alice: Patient, rosa: Patient, bob: User, charlie: User
) -> None:
    ready(alice)
    location = ask(client_for(bob), f"/clinic/patients/{alice.pk}/exercises.pdf")["Location"]
    run_queued_jobs()
    assert client_for(bob).get(location).status_code == 200
    for someone in (client_for(alice), client_for(charlie), logged_in(rosa)):
        assert someone.get(location).status_code == 404
        assert someone.get(location + "download").status_code == 404
    assert Client().get(location)["Location"].startswith("/login/")


def test_a_therapist_loses_the_file_when_the_patient_stops_sharing(
    alice: Patient, bob: User
) -> None:
    ready(alice)
    location = ask(client_for(bob), f"/clinic/patients/{alice.pk}/exercises.pdf")["Location"]
    run_queued_jobs()
    leave_clinic(alice)
    assert client_for(bob).get(location + "download").status_code == 404


def test_a_made_up_file_is_a_404(rosa: Patient) -> None:
    client = logged_in(rosa)
    assert client.get("/files/5e0f1c9a-0000-4000-8000-000000000000/").status_code == 404
    assert client.get("/files/not-a-uuid/").status_code == 404


def test_files_are_deleted_after_a_day(rosa: Patient) -> None:
    ask(logged_in(rosa), SHEET)
    PreparedFile.objects.update(created_at=timezone.now() - dt.timedelta(days=2))
    assert prepared.prune_files() == 1
    assert not PreparedFile.objects.exists()
