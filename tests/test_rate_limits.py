"""Rate limits (stenosis_coach/limits): each limited endpoint works under its limit, answers
429 with Retry-After and a plain sentence over it, saves nothing then, shares its count
across clients (the count is in the database), starts again once the window has passed, and
keeps no e-mail or address in clear. The rates are made small here through RATE_LIMITS."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from stenosis_coach.clinic.invitations import create_invitation
from stenosis_coach.jobs.schedule import JOBS
from stenosis_coach.limits import store
from stenosis_coach.limits.models import Counter
from stenosis_coach.limits.store import Rate, record_hit
from stenosis_coach.limits.tasks import prune_counters
from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.models import SessionRecord
from stenosis_coach.reminders import views_push
from stenosis_coach.reminders.models import PushSubscription
from tests.conftest import session_payload
from tests.patient_pages import logged_in, page, ready

PASSWORD = "Slow-Knees-To-Chest-42"


class Clock:
    """The limits' clock, moved on by hand."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> dt.datetime:
        return self.now

    def move(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(store, "now", clock)
    return clock


@pytest.fixture
def small_limits(settings: Any) -> dict[str, tuple[int, int]]:
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "signup": (2, 3600),
        "password-reset-address": (3, 3600),
        "password-reset-email": (1, 3600),
        "delete-account": (2, 900),
        "join-address": (3, 3600),
        "join-account": (2, 3600),
        "upload": (2, 60),
    }
    return settings.RATE_LIMITS


def assert_too_many(response: Any, longest: int) -> None:
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= longest


def post_json(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def pain_answers() -> dict[str, Any]:
    return {"uuid": str(uuid.uuid4()), "taken_at": timezone.now().isoformat(), "leg": 5, "back": 3}


# --- The store -------------------------------------------------------------------------------


def test_a_window_counts_from_its_first_hit_and_starts_again_after(db: None, clock: Clock) -> None:
    rate = Rate(hits=2, seconds=60)
    assert record_hit("test", "key", rate).allowed
    clock.move(50)
    assert record_hit("test", "key", rate).allowed
    over = record_hit("test", "key", rate)
    assert not over.allowed
    assert over.retry_after == 10  # the window began at the first hit
    assert record_hit("test", "another key", rate).allowed
    clock.move(10)
    assert record_hit("test", "key", rate).allowed


@pytest.mark.django_db(transaction=True)
def test_hits_from_two_connections_at_once_are_all_counted() -> None:
    """Two threads, two database connections, hitting one counter at the same time."""
    rate = Rate(hits=1000, seconds=60)
    start = threading.Barrier(2)

    def hit_ten_times() -> None:
        start.wait()
        try:
            for _ in range(10):
                record_hit("test", "shared", rate)
        finally:
            connection.close()

    threads = [threading.Thread(target=hit_ten_times) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter.objects.get(scope="test").hits == 20


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writes one at a time")
@pytest.mark.django_db(transaction=True)
def test_a_first_hit_that_another_server_inserted_meanwhile_is_added_to_its_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On PostgreSQL two servers can both find no row and both insert: the second insert
    fails on the unique key, and that hit is counted in the row the first one made."""
    rate = Rate(hits=1000, seconds=60)
    create = Counter.objects.create

    def another_server_inserts_first(**fields: Any) -> Counter:
        monkeypatch.undo()  # the other server inserts as usual

        def other_server() -> None:
            try:
                record_hit("test", "raced", rate)  # its own connection, committed
            finally:
                connection.close()

        thread = threading.Thread(target=other_server)
        thread.start()
        thread.join()
        return create(**fields)

    monkeypatch.setattr(Counter.objects, "create", another_server_inserts_first)
    assert record_hit("test", "raced", rate).allowed
    assert Counter.objects.get(scope="test").hits == 2


def test_ended_counters_are_swept_by_a_daily_job(db: None, clock: Clock) -> None:
    assert JOBS["limits.prune-counters"].every == dt.timedelta(days=1)
    record_hit("test", "old", Rate(1, 60))
    clock.move(30)
    record_hit("test", "new", Rate(1, 60))
    clock.move(40)
    assert prune_counters.call(slot="") == 1
    assert list(Counter.objects.values_list("key", flat=True)) == ["new"]


# --- Uploads ---------------------------------------------------------------------------------


@pytest.fixture
def patient(alice: Patient) -> Patient:
    return ready(alice)


def test_uploads_over_the_limit_wait_and_store_nothing_until_then(
    patient: Patient, small_limits: Any, clock: Clock
) -> None:
    phone, tablet = logged_in(patient), logged_in(patient)  # one count for both
    assert post_json(phone, "/api/sessions/", session_payload(patient)).status_code == 201
    assert post_json(tablet, "/api/pain/", pain_answers()).status_code == 201

    late = session_payload(patient)
    refused = post_json(phone, "/api/sessions/", late)
    assert_too_many(refused, 60)
    assert refused.json()["error"] == "Please wait a moment, then try again."
    assert not SessionRecord.objects.filter(uuid=late["uuid"]).exists()
    answers = pain_answers()
    assert_too_many(post_json(tablet, "/api/pain/", answers), 60)
    assert not PainCheckIn.objects.filter(uuid=answers["uuid"]).exists()

    clock.move(int(refused["Retry-After"]))
    assert post_json(phone, "/api/sessions/", late).status_code == 201
    assert SessionRecord.objects.filter(uuid=late["uuid"]).exists()
    assert SessionRecord.objects.count() == 2


def test_the_default_upload_limit_lets_30_sessions_through_at_once(patient: Patient) -> None:
    phone = logged_in(patient)
    for _ in range(30):
        assert post_json(phone, "/api/pain/", pain_answers()).status_code == 201


def test_another_patient_is_not_held_back(
    patient: Patient, dave: Patient, small_limits: Any
) -> None:
    for _ in range(3):
        post_json(logged_in(patient), "/api/pain/", pain_answers())
    assert post_json(logged_in(dave), "/api/pain/", pain_answers()).status_code == 201


# --- Sign-up ---------------------------------------------------------------------------------


def sign_up(email: str, address: str = "192.0.2.1", **headers: str) -> Any:
    data = {"email": email, "password": PASSWORD, "password_again": PASSWORD}
    return Client(REMOTE_ADDR=address, **headers).post("/signup/", {**data, "time_zone": "UTC"})


def test_sign_up_is_limited_per_address(db: None, small_limits: Any, clock: Clock) -> None:
    assert sign_up("one@example.com").status_code == 302
    assert sign_up("two@example.com").status_code == 302
    refused = sign_up("three@example.com")
    assert_too_many(refused, 3600)
    assert "Too many tries. Please wait 60 minutes, then try again." in page(refused)
    assert 'value="three@example.com"' in page(refused)  # typed once is enough
    assert not User.objects.filter(username="three@example.com").exists()

    assert sign_up("four@example.com", address="198.51.100.7").status_code == 302
    clock.move(3600)
    assert sign_up("three@example.com").status_code == 302


def test_a_forwarded_address_counts_only_when_the_setting_says_so(
    db: None, small_limits: Any, settings: Any
) -> None:
    for number in range(2):
        sign_up(f"{number}@example.com", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    assert sign_up("x@example.com", HTTP_X_FORWARDED_FOR="10.0.0.9").status_code == 429
    settings.TRUST_X_FORWARDED_FOR = True
    assert sign_up("y@example.com", HTTP_X_FORWARDED_FOR="10.0.0.9, 192.0.2.1").status_code == 302


# --- Password reset --------------------------------------------------------------------------


def ask_reset(email: str, address: str = "192.0.2.1") -> Any:
    return Client(REMOTE_ADDR=address).post("/password-reset/", {"email": email})


@pytest.fixture
def owner(db: None) -> User:
    return User.objects.create_user("pat@example.com", "pat@example.com", PASSWORD)


def test_password_reset_is_limited_per_e_mail(owner: User, small_limits: Any, clock: Clock) -> None:
    assert ask_reset("pat@example.com").status_code == 302
    assert len(mail.outbox) == 1
    refused = ask_reset("Pat@Example.com ", address="198.51.100.7")  # from anywhere
    assert_too_many(refused, 3600)
    assert "Too many tries." in page(refused)
    assert len(mail.outbox) == 1  # no second e-mail
    clock.move(3600)
    assert ask_reset("pat@example.com").status_code == 302
    assert len(mail.outbox) == 2


def test_password_reset_is_limited_per_address(owner: User, small_limits: Any) -> None:
    for number in range(3):
        assert ask_reset(f"guess{number}@example.com").status_code == 302
    assert_too_many(ask_reset("pat@example.com"), 3600)
    assert len(mail.outbox) == 0
    assert ask_reset("pat@example.com", address="198.51.100.7").status_code == 302


def test_no_e_mail_or_address_is_kept_in_clear(owner: User, small_limits: Any) -> None:
    ask_reset("pat@example.com")
    sign_up("new@example.com")
    rows = list(Counter.objects.values_list("scope", "key"))
    assert {scope for scope, _ in rows} == {
        "password-reset-address",
        "password-reset-email",
        "signup",
    }
    for _, key in rows:
        assert len(key) == 64
        assert "@" not in key
        assert "192.0.2.1" not in key
        # Keyed with the secret: hashing a guessed e-mail does not find its row.
        assert key != hashlib.sha256(b"pat@example.com").hexdigest()


# --- Deleting the account --------------------------------------------------------------------


def test_delete_account_tries_are_limited_per_account(
    patient: Patient, small_limits: Any, clock: Clock
) -> None:
    phone, laptop = logged_in(patient), logged_in(patient)
    assert phone.post("/my-data/delete/", {"password": "wrong"}).status_code == 400
    assert laptop.post("/my-data/delete/", {"password": "wrong again"}).status_code == 400
    # Over the limit even the right password is not tried: nothing is deleted.
    refused = phone.post("/my-data/delete/", {"password": "unused-Alice-pw-1"})
    assert_too_many(refused, 900)
    assert "Too many tries. Please wait 15 minutes, then try again." in page(refused)
    assert Patient.objects.filter(pk=patient.pk).exists()
    assert phone.get("/my-data/delete/").status_code == 200  # reading the page is not a try

    clock.move(900)
    assert phone.post("/my-data/delete/", {"password": "unused-Alice-pw-1"}).status_code == 302
    assert not Patient.objects.filter(pk=patient.pk).exists()


# --- Invitation codes ------------------------------------------------------------------------


def test_invitation_codes_are_limited_per_address(
    bob: User, small_limits: Any, clock: Clock
) -> None:
    code = create_invitation(bob).code
    for guess in ("CCCCCCCC", "DDDDDDDD"):
        assert Client(REMOTE_ADDR="192.0.2.1").get(f"/join/{guess}/").status_code == 404
    assert Client(REMOTE_ADDR="192.0.2.1").get(f"/join/{code}/").status_code == 200
    refused = Client(REMOTE_ADDR="192.0.2.1").get(f"/join/{code}/")
    assert_too_many(refused, 3600)
    assert "Too many tries." in page(refused)
    assert Client(REMOTE_ADDR="198.51.100.7").get(f"/join/{code}/").status_code == 200
    clock.move(3600)
    assert Client(REMOTE_ADDR="192.0.2.1").get(f"/join/{code}/").status_code == 200


def test_invitation_codes_are_limited_per_account(
    dave: Patient, bob: User, small_limits: Any
) -> None:
    code = create_invitation(bob).code
    home, work = logged_in(dave), Client(REMOTE_ADDR="198.51.100.7")
    work.force_login(dave.user)
    assert home.get("/join/CCCCCCCC/").status_code == 404
    assert work.get(f"/join/{code}/").status_code == 200
    assert_too_many(home.post(f"/join/{code}/", {"agree": "on"}), 3600)
    dave.refresh_from_db()
    assert dave.clinic_id is None  # the consent sent over the limit did nothing


# --- The test push ---------------------------------------------------------------------------


def test_the_test_push_waits_30_seconds_in_the_shared_store(
    patient: Patient, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[Patient] = []
    monkeypatch.setattr(views_push, "send_test_push", lambda who: sent.append(who) or 1)
    phone, laptop = logged_in(patient), logged_in(patient)
    assert laptop.post("/reminders/push/test").status_code == 409  # no device: no turn taken
    PushSubscription.objects.create(
        patient=patient, endpoint="https://push.example/1", p256dh="key", auth="auth"
    )
    assert phone.post("/reminders/push/test").status_code == 200
    refused = laptop.post("/reminders/push/test")
    assert refused["Retry-After"] == "30"
    assert_too_many(refused, 30)
    assert refused.json() == {"error": "Please wait a moment, then try again."}
    assert Counter.objects.filter(scope="test-push").exists()
    clock.move(30)
    assert laptop.post("/reminders/push/test").status_code == 200
    assert len(sent) == 2
