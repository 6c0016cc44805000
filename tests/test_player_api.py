"""The session player's page, its JSON API (/api/plan/, /api/sessions/), and what makes it
work offline (the web app manifest and the service worker)."""

from __future__ import annotations

import json
import shutil
import struct
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client
from django.utils import timezone

from stenosis_coach.patients.actions import record_screening
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription
from stenosis_coach.practice.api import MAX_UPLOAD_BYTES, OWNER_HEADER, outbox_owner
from stenosis_coach.practice.models import SessionRecord
from stenosis_coach.practice.views import player_texts
from stenosis_coach.programme import Dose, red_flag_questions
from stenosis_coach.programme.safety import load_safety
from stenosis_coach.web import views as web_views
from stenosis_coach.web.views import SHELL_FILES

ALL_NO = {question.id: False for question in red_flag_questions()}


def get_ready(patient: Patient) -> Patient:
    """Onboarded, with a clear safety check this week and a usual leg pain of 3."""
    record_screening(patient, ALL_NO)
    patient.onboarded_at = timezone.now()
    patient.usual_leg_pain = 3
    patient.save()
    return patient


@pytest.fixture
def ready(alice: Patient) -> Patient:
    return get_ready(alice)


@pytest.fixture
def alice_client(ready: Patient) -> Client:
    client = Client()
    client.force_login(ready.user)
    return client


@pytest.fixture
def bob_client(bob: User) -> Client:
    """A therapist: an account with no exercise programme."""
    client = Client()
    client.force_login(bob)
    return client


def post_json(client: Client, data: Any, headers: dict[str, str] | None = None) -> Any:
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post("/api/sessions/", body, content_type="application/json", headers=headers)


# --- The session page ------------------------------------------------------------------------


def test_the_session_page_needs_a_login(client: Client, db: None) -> None:
    response = client.get("/session/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/session/"


def test_the_session_page_is_only_for_patients(bob_client: Client) -> None:
    assert bob_client.get("/session/").status_code == 404


def test_the_session_page_waits_for_onboarding(alice: Patient) -> None:
    client = Client()
    client.force_login(alice.user)
    assert client.get("/session/")["Location"] == "/onboarding/"


def test_a_red_flag_sends_the_patient_to_the_advice(alice_client: Client, ready: Patient) -> None:
    record_screening(ready, {**ALL_NO, "bladder": True})
    assert alice_client.get("/session/")["Location"] == "/check/result/"


def test_the_weekly_check_comes_first_when_due(alice_client: Client, ready: Patient) -> None:
    ready.screenings.update(taken_at=timezone.now() - timezone.timedelta(days=8))
    assert alice_client.get("/session/")["Location"] == "/check/"


def test_the_session_page_is_the_player(alice_client: Client, ready: Patient) -> None:
    response = alice_client.get("/session/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="player-texts"' in html
    assert f'src="{static("web/player.js")}"' in html
    assert 'data-plan-url="/api/plan/"' in html
    assert 'data-upload-url="/api/sessions/"' in html
    assert f'data-owner="{outbox_owner(ready.user)}"' in html


def test_the_session_page_carries_a_csrf_token_for_the_script(alice_client: Client) -> None:
    html = alice_client.get("/session/").content.decode()
    assert '<meta name="csrf-token" content="' in html


def test_every_player_word_is_on_the_page(alice_client: Client) -> None:
    response = alice_client.get("/session/")
    html = response.content.decode()
    start = html.index('<script id="player-texts" type="application/json">')
    block = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    assert json.loads(block) == player_texts()


def test_the_big_controls_are_real_buttons(alice_client: Client) -> None:
    html = alice_client.get("/session/").content.decode()
    for control in ("hurt-button", "pause-button", "skip-button", "sound-toggle"):
        assert f'<button type="button" id="{control}"' in html


def test_the_illustration_has_its_slot(alice_client: Client) -> None:
    html = alice_client.get("/session/").content.decode()
    assert 'class="illustration" role="img"' in html


# --- /api/plan/ ------------------------------------------------------------------------------


def test_the_plan_answers_401_when_logged_out(client: Client, db: None) -> None:
    response = client.get("/api/plan/")
    assert response.status_code == 401
    assert response.json() == {"error": "Please log in again."}


def test_the_plan_answers_404_to_non_patients(bob_client: Client) -> None:
    response = bob_client.get("/api/plan/")
    assert response.status_code == 404
    assert response.json() == {"error": "This account has no exercise plan."}


def test_the_plan_has_a_normal_and_a_gentle_session(alice_client: Client) -> None:
    data = alice_client.get("/api/plan/").json()
    assert data["prescription_version"] == 1
    assert data["usual_leg_pain"] == 3
    assert data["gentle_rise"] == 3
    normal = [e["exercise_id"] for e in data["plans"]["normal"]["exercises"]]
    gentle = [e["exercise_id"] for e in data["plans"]["gentle"]["exercises"]]
    assert normal == ["back-flexion", "pelvic-tilt", "curl-up", "childs-pose"]
    assert gentle == ["back-flexion", "childs-pose"]


def test_the_plan_carries_the_gentle_session_advice(alice_client: Client) -> None:
    data = alice_client.get("/api/plan/").json()
    assert data["gentle_advice"] == load_safety().message("advice_gentle_session")


def test_each_exercise_in_the_plan_ends_with_a_check_in(alice_client: Client) -> None:
    steps = alice_client.get("/api/plan/").json()["plans"]["normal"]["steps"]
    check_ins = [step for step in steps if step["kind"] == "check-in"]
    assert len(check_ins) == 4
    assert {step["duration_ms"] for step in check_ins} == {0}


def test_a_red_flag_stops_the_plan(alice_client: Client, ready: Patient) -> None:
    record_screening(ready, {**ALL_NO, "fever": True})
    response = alice_client.get("/api/plan/")
    assert response.status_code == 403
    assert response.json()["redirect"] == "/check/result/"


def test_the_plan_waits_for_onboarding(alice: Patient) -> None:
    client = Client()
    client.force_login(alice.user)
    response = client.get("/api/plan/")
    assert response.status_code == 403
    assert response.json()["redirect"] == "/onboarding/"


def test_the_plan_is_read_only(alice_client: Client) -> None:
    assert alice_client.post("/api/plan/").status_code == 405


def step_up(patient: Patient, exercise_id: str, new: Dose, earlier: Dose) -> None:
    """As the engine leaves a step-up that has not been played yet."""
    item = current_prescription(patient).items.get(exercise_id=exercise_id)
    for name, value in new.to_dict().items():
        setattr(item, name, value)
    item.step_up_from = earlier.to_dict()
    item.save()


def set_dose(patient: Patient, exercise_id: str, dose: Dose, **flags: bool) -> None:
    item = current_prescription(patient).items.get(exercise_id=exercise_id)
    for name, value in {**dose.to_dict(), **flags}.items():
        setattr(item, name, value)
    item.save()


KNEES_START, KNEES_UP = Dose(reps=4, hold_seconds=10), Dose(reps=4, hold_seconds=15)


def test_last_leg_pain_before_is_null_before_any_session(alice_client: Client) -> None:
    assert alice_client.get("/api/plan/").json()["last_leg_pain_before"] is None
    # Pain answers on a rest day are not a session's start.
    pain = {"uuid": str(uuid.uuid4()), "taken_at": timezone.now().isoformat(), "leg": 8}
    alone = alice_client.post("/api/pain/", {**pain, "back": 2}, content_type="application/json")
    assert alone.status_code == 201
    assert alice_client.get("/api/plan/").json()["last_leg_pain_before"] is None


def test_last_leg_pain_before_is_from_the_latest_session(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    for days_ago, leg in ((2, 6), (1, 4)):
        response = post_json(alice_client, payload_for(ready, days_ago=days_ago, leg_before=leg))
        assert response.status_code == 201
    assert alice_client.get("/api/plan/").json()["last_leg_pain_before"] == 4
    # A late upload of an older session, and pain answers with no session, change nothing.
    late = post_json(alice_client, payload_for(ready, days_ago=3, leg_before=9))
    assert late.status_code == 201
    pain = {"uuid": str(uuid.uuid4()), "taken_at": timezone.now().isoformat(), "leg": 8}
    alone = alice_client.post("/api/pain/", {**pain, "back": 2}, content_type="application/json")
    assert alone.status_code == 201
    assert alice_client.get("/api/plan/").json()["last_leg_pain_before"] == 4


def test_no_step_up_waiting_means_no_held_back_plans(alice_client: Client) -> None:
    data = alice_client.get("/api/plan/").json()
    assert data["held_back"] == []
    assert set(data["plans"]) == {"normal", "gentle"}
    assert data["plans"]["normal"]["held_back"] == []


def test_a_step_up_not_played_yet_comes_with_plans_at_the_earlier_dose(
    alice_client: Client, ready: Patient
) -> None:
    step_up(ready, "back-flexion", KNEES_UP, KNEES_START)
    data = alice_client.get("/api/plan/").json()
    assert data["held_back"] == [
        {
            "exercise_id": "back-flexion",
            "name": "Knees to chest",
            "dose": KNEES_START.to_dict(),
            "dose_text": "4 times, hold 10 seconds",
            "new_dose": KNEES_UP.to_dict(),
            "new_dose_text": "4 times, hold 15 seconds",
        }
    ]
    plans = data["plans"]
    assert set(plans) == {"normal", "gentle", "held_back", "held_back_gentle"}
    doses = {name: plans[name]["exercises"][0]["dose"] for name in plans}
    assert doses == {
        "normal": KNEES_UP.to_dict(),
        "gentle": KNEES_UP.to_dict(),
        "held_back": KNEES_START.to_dict(),
        "held_back_gentle": KNEES_START.to_dict(),
    }
    for name in ("held_back", "held_back_gentle"):
        assert plans[name]["held_back"] == ["back-flexion"]
        intro = plans[name]["intro"]
        assert [screen["id"] for screen in intro] == ["briefing", "held-back", "get-down"]
        assert intro[1]["points"][0] == (
            "Your leg pain is higher than at the start of last time. "
            "So today you do the easier dose of Knees to chest."
        )
    assert [screen["id"] for screen in plans["normal"]["intro"]] == ["briefing", "get-down"]
    # Only the exercise held back changes.
    assert plans["held_back"]["exercises"][1:] == plans["normal"]["exercises"][1:]


def test_a_step_up_on_hold_or_locked_is_not_held_back(alice_client: Client, ready: Patient) -> None:
    step_up(ready, "back-flexion", KNEES_UP, KNEES_START)
    set_dose(ready, "back-flexion", KNEES_UP, paused=True)
    data = alice_client.get("/api/plan/").json()
    assert data["held_back"] == []
    assert set(data["plans"]) == {"normal", "gentle"}


def test_the_held_back_plan_is_in_the_patients_language(
    alice_client: Client, ready: Patient
) -> None:
    ready.language = "es"
    ready.save()
    step_up(ready, "back-flexion", KNEES_UP, KNEES_START)
    data = alice_client.get("/api/plan/").json()
    assert data["held_back"][0]["name"] == "Rodillas al pecho"
    why = data["plans"]["held_back"]["intro"][1]
    assert why["title"] == "Hoy, un poco más fácil"
    assert why["points"][0].startswith("Hoy le duele más la pierna")


def test_the_tilt_at_its_target_asks_about_the_low_back_while_the_march_is_locked(
    alice_client: Client, ready: Patient
) -> None:
    set_dose(ready, "pelvic-tilt", Dose(reps=10, hold_seconds=10))
    plans = alice_client.get("/api/plan/").json()["plans"]
    checks = [
        (step["exercise_id"], step["check"])
        for step in plans["normal"]["steps"]
        if step["kind"] == "check-in"
    ]
    assert ("pelvic-tilt", "back-flat") in checks
    (question,) = [s for s in plans["normal"]["steps"] if s["check"] == "back-flat"]
    assert question["text"] == "Could you keep your low back pressed flat the whole time?"
    assert [s for s in plans["gentle"]["steps"] if s["check"] == "back-flat"] == []
    # Once the march is open, it is not asked.
    set_dose(ready, "hook-lying-march", Dose(work_seconds=30), locked=False)
    steps = alice_client.get("/api/plan/").json()["plans"]["normal"]["steps"]
    assert [s for s in steps if s["check"] == "back-flat"] == []


def test_the_tilt_below_its_target_does_not_ask_about_the_low_back(
    alice_client: Client,
) -> None:
    steps = alice_client.get("/api/plan/").json()["plans"]["normal"]["steps"]
    assert {s["check"] for s in steps if s["kind"] == "check-in"} == {"worse"}


# --- /api/sessions/ --------------------------------------------------------------------------


def test_an_upload_needs_a_login(client: Client, ready: Patient, payload_for: Any) -> None:
    response = post_json(client, payload_for(ready))
    assert response.status_code == 401
    assert response.json() == {"error": "Please log in again."}


def test_an_upload_is_only_for_patients(
    bob_client: Client, ready: Patient, payload_for: Any
) -> None:
    assert post_json(bob_client, payload_for(ready)).status_code == 404


def test_an_upload_is_stored(alice_client: Client, ready: Patient, payload_for: Any) -> None:
    payload = payload_for(ready)
    response = post_json(alice_client, payload)
    assert response.status_code == 201
    assert response.json()["uuid"] == payload["uuid"]
    assert response.json()["created"] is True
    record = SessionRecord.objects.get(uuid=payload["uuid"])
    assert record.patient == ready
    assert record.results.count() == 4


def test_the_answer_says_what_changes_next_time(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    changes = post_json(alice_client, payload_for(ready)).json()["next"]
    assert {change["exercise_id"] for change in changes} >= {"back-flexion", "curl-up"}
    assert set(changes[0]) == {"exercise_id", "name", "action", "reason", "dose_text", "active"}


def test_the_answer_gives_this_sessions_own_reasons(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    first = post_json(alice_client, payload_for(ready, days_ago=1)).json()["next"]
    by_id = {change["exercise_id"]: change for change in first}
    assert by_id["back-flexion"]["action"] == "hold"
    assert by_id["back-flexion"]["reason"].startswith("That went well. One more time")
    second = post_json(alice_client, payload_for(ready)).json()["next"]
    by_id = {change["exercise_id"]: change for change in second}
    assert by_id["back-flexion"]["action"] == "up"
    assert by_id["back-flexion"]["dose_text"] == "4 times, hold 15 seconds"


def test_the_same_session_twice_is_stored_once(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    payload = payload_for(ready)
    assert post_json(alice_client, payload).status_code == 201
    again = post_json(alice_client, payload)
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert SessionRecord.objects.filter(uuid=payload["uuid"]).count() == 1


def test_another_patients_session_id_is_refused(
    alice_client: Client, ready: Patient, dave: Patient, payload_for: Any
) -> None:
    get_ready(dave)
    taken = payload_for(dave)
    dave_client = Client()
    dave_client.force_login(dave.user)
    assert post_json(dave_client, taken).status_code == 201
    response = post_json(alice_client, payload_for(ready, uuid=taken["uuid"]))
    assert response.status_code == 409
    assert response.json() == {"error": "This session number is already in use."}
    assert SessionRecord.objects.get(uuid=taken["uuid"]).patient == dave


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"uuid": "not-a-uuid"}, "uuid"),
        ({"prescription_version": "1"}, "prescription_version"),
        ({"started_at": "2026-01-01T10:00:00"}, "started_at"),
        ({"finished_at": "soon"}, "finished_at"),
        ({"locale": "e"}, "locale"),
        ({"gentle": "yes"}, "gentle"),
        ({"pain_before": {"leg": 11, "back": 2}}, "pain_before.leg"),
        ({"pain_before": {"leg": 2}}, "pain_before.back"),
        ({"pain_after": {"leg": 2, "back": -1}}, "pain_after.back"),
        ({"results": []}, "results"),
        ({"results": "all done"}, "results"),
        ({"extra": True}, "extra"),
    ],
)
def test_each_bad_field_is_named(
    alice_client: Client, ready: Patient, change: dict[str, Any], field: str, payload_for: Any
) -> None:
    payload = payload_for(ready)
    payload.update(change)
    response = post_json(alice_client, payload)
    assert response.status_code == 400
    assert response.json()["error"] == "Some parts of this session are not right."
    assert field in response.json()["errors"]
    assert not SessionRecord.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"completed": "yes"}, "results.0.completed"),
        ({"worse": 1}, "results.0.worse"),
        ({"completed": False, "stop_reason": "bored"}, "results.0.stop_reason"),
        ({"sets_done": -1}, "results.0.sets_done"),
        ({"reps_done": 151}, "results.0.reps_done"),
        ({"stop_reason": "skipped"}, "results.0"),  # a completed exercise was not stopped
    ],
)
def test_each_bad_result_field_is_named(
    alice_client: Client, ready: Patient, change: dict[str, Any], field: str, payload_for: Any
) -> None:
    payload = payload_for(ready, overrides={"back-flexion": change})
    response = post_json(alice_client, payload)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_missing_field_is_named(alice_client: Client, ready: Patient, payload_for: Any) -> None:
    payload = payload_for(ready)
    del payload["pain_before"]
    response = post_json(alice_client, payload)
    assert response.status_code == 400
    assert response.json()["errors"] == {"pain_before": "Field required"}


def test_an_exercise_outside_the_prescription_is_refused(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    payload = payload_for(ready)
    payload["results"].append({"exercise_id": "hook-lying-march", "completed": True})
    response = post_json(alice_client, payload)
    assert response.status_code == 400
    assert "hook-lying-march" in response.json()["errors"]["results"]


def test_an_unknown_prescription_version_is_refused(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    response = post_json(alice_client, payload_for(ready, prescription_version=7))
    assert response.status_code == 400
    assert "prescription_version" in response.json()["errors"]


def test_bad_json_is_refused(alice_client: Client, ready: Patient) -> None:
    response = post_json(alice_client, "{not json")
    assert response.status_code == 400
    assert response.json()["error"] == "We could not read this session."


def test_an_oversize_upload_is_refused(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    payload = payload_for(ready, padding="x" * MAX_UPLOAD_BYTES)
    response = post_json(alice_client, payload)
    assert response.status_code == 413
    assert response.json() == {"error": "This session is too big to send."}


def test_an_upload_must_be_posted(alice_client: Client) -> None:
    assert alice_client.get("/api/sessions/").status_code == 405


def test_an_upload_needs_the_csrf_token(ready: Patient, payload_for: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(ready.user)
    payload = payload_for(ready)
    assert post_json(client, payload).status_code == 403
    html = client.get("/session/").content.decode()
    token = html.split('<meta name="csrf-token" content="', 1)[1].split('"', 1)[0]
    assert post_json(client, payload, {"X-CSRFToken": token}).status_code == 201


def test_a_session_queued_for_this_account_is_stored(
    alice_client: Client, ready: Patient, payload_for: Any
) -> None:
    headers = {OWNER_HEADER: outbox_owner(ready.user)}
    assert post_json(alice_client, payload_for(ready), headers).status_code == 201


def test_a_session_queued_for_another_account_is_kept_back(
    alice_client: Client, ready: Patient, dave: Patient, payload_for: Any
) -> None:
    """Two people sharing a tablet: dave's offline session must not become alice's."""
    headers = {OWNER_HEADER: outbox_owner(dave.user)}
    response = post_json(alice_client, payload_for(ready), headers)
    assert response.status_code == 403
    assert response.json() == {"error": "Someone else saved this session on this device."}
    assert not SessionRecord.objects.exists()


# --- Installing and working offline ----------------------------------------------------------


def test_the_manifest_makes_the_app_installable(client: Client, db: None) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Stenosis Coach"
    assert manifest["short_name"]
    assert manifest["start_url"] == "/today/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1d5c8f"


def test_the_manifest_has_icons_of_both_sizes_and_maskable(client: Client, db: None) -> None:
    icons = client.get("/manifest.webmanifest").json()["icons"]
    png = {(icon["sizes"], icon["purpose"]) for icon in icons if icon["type"] == "image/png"}
    sizes, purposes = ("192x192", "512x512"), ("any", "maskable")
    assert png == {(size, purpose) for size in sizes for purpose in purposes}


@pytest.mark.parametrize("size", [192, 512])
def test_each_png_icon_has_its_size(size: int) -> None:
    path = finders.find(f"web/icon-{size}.png")
    assert path is not None
    with open(path, "rb") as icon:
        header = icon.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (size, size)


def test_the_service_worker_is_served_from_the_root(client: Client, db: None) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]


def test_the_service_worker_keeps_the_app_shell(client: Client, db: None) -> None:
    first_line = client.get("/sw.js").content.decode().split("\n", 1)[0]
    shell = json.loads(first_line.removeprefix("const SHELL = ").removesuffix(";"))
    assert shell["pages"] == ["/today/", "/session/"]
    assert shell["plan"] == "/api/plan/"
    assert f"{static('web/player.js')}" in shell["files"]
    assert len(shell["version"]) == 16
    # The how-to pictures (getting down and up, the rest positions) work offline too.
    for picture_id in ("curl-up", "get-down", "get-up", "rest-lying", "rest-sitting"):
        assert f"/api/illustrations/{picture_id}/" in shell["illustrations"]


def test_every_shell_file_exists(db: None) -> None:
    assert [name for name in SHELL_FILES if finders.find(name) is None] == []


def test_a_changed_file_changes_the_service_worker(
    client: Client, db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """So the browser installs the new worker, which fetches the new files."""
    copy = tmp_path / "static"
    shutil.copytree(web_views.STATIC_DIR, copy)
    monkeypatch.setattr(web_views, "STATIC_DIR", copy)
    found = web_views.static_path
    monkeypatch.setattr(
        web_views,
        "static_path",
        lambda name: str(copy / name) if (copy / name).exists() else found(name),
    )
    before = client.get("/sw.js").content
    assert client.get("/sw.js").content == before
    (copy / "web" / "player.js").write_text("// a new version\n", encoding="utf-8")
    assert client.get("/sw.js").content != before
