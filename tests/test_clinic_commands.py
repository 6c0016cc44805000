"""`stenosis-coach clinic add` and `stenosis-coach therapist add`: the clinic's first
accounts, each with a one-time link to set its password, valid 72 hours."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, TestCase

from stenosis_coach.cli import main
from stenosis_coach.clinic.models import StaffMember
from stenosis_coach.jobs.testing import run_queued_jobs
from stenosis_coach.patients.models import Clinic

NEW_PASSWORD = "Granite-Harbour-47"
LINK = re.compile(r"http://127\.0\.0\.1:8000(/password-reset/[^/\s]+/[^/\s]+/)")


def run(*args: str) -> str:
    """Run a command as from a shell (its on-commit work runs), then the worker's queue."""
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command(*args, stdout=out)
    run_queued_jobs()
    return out.getvalue()


def add_therapist(email: str = "theo@riverside.example", *extra: str) -> str:
    """Add a therapist to Riverside Physio (made here if needed); the set-password path."""
    if not Clinic.objects.filter(name="Riverside Physio").exists():
        run("clinic", "add", "Riverside Physio")
    output = run("therapist", "add", "--clinic", "Riverside Physio", "--email", email, *extra)
    match = LINK.search(output)
    assert match, output
    return match.group(1)


def set_password(client: Client, path: str, password: str = NEW_PASSWORD) -> None:
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"], "the link no longer works"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
    )
    assert response.status_code == 302
    assert response["Location"] == "/password-reset/done/"


def link_works(path: str) -> bool:
    return bool(Client().get(path, follow=True).context["validlink"])


def test_clinic_add_prints_the_id_and_name(db: None) -> None:
    output = run("clinic", "add", "  Riverside   Physio ")
    clinic = Clinic.objects.get()
    assert output == f"{clinic.pk} Riverside Physio\n"
    assert clinic.name == "Riverside Physio"


def test_clinic_add_refuses_a_name_in_use_with_a_clear_message(riverside: Clinic) -> None:
    with pytest.raises(CommandError, match="already a clinic called 'riverside physio'"):
        run("clinic", "add", "riverside physio")
    assert Clinic.objects.count() == 1


def test_the_console_script_exits_non_zero_on_a_duplicate(
    riverside: Clinic, capsys: pytest.CaptureFixture[str]
) -> None:
    # Last in the test: the command closes the database connection when it ends.
    with pytest.raises(SystemExit) as stopped:
        main(["stenosis-coach", "clinic", "add", "Riverside Physio"])
    assert stopped.value.code != 0
    assert "already a clinic called 'Riverside Physio'" in capsys.readouterr().err


def test_therapist_add_makes_an_account_with_no_password_yet(db: None) -> None:
    run("clinic", "add", "Riverside Physio")
    output = run(
        "therapist", "add", "--clinic", "riverside physio", "--email", " Theo@Riverside.Example"
    )

    lines = output.splitlines()
    assert lines[0] == "therapist theo@riverside.example at Riverside Physio"
    assert lines[1].startswith("Set-password link (valid 72 hours): http://127.0.0.1:8000/")
    assert lines[2] == "E-mail to theo@riverside.example queued (the worker sends it)"
    user = User.objects.get(username="theo@riverside.example")
    assert user.email == "theo@riverside.example"
    assert not user.has_usable_password()
    member = StaffMember.objects.get(user=user)
    assert (member.clinic.name, member.role, member.active) == (
        "Riverside Physio",
        StaffMember.THERAPIST,
        True,
    )


def test_the_link_is_e_mailed_with_no_health_detail(db: None) -> None:
    path = add_therapist()
    (message,) = mail.outbox
    assert message.to == ["theo@riverside.example"]
    assert f"http://127.0.0.1:8000{path}" in message.body
    assert "72 hours" in message.body
    assert "Riverside Physio" in message.body


def test_the_site_address_comes_from_the_settings(db: None, settings: Any) -> None:
    settings.SITE_URL = "https://coach.example.org"
    run("clinic", "add", "Riverside Physio")
    output = run("therapist", "add", "--clinic", "Riverside Physio", "--email", "t@x.example")
    assert "https://coach.example.org/password-reset/" in output


def test_admin_makes_a_clinic_admin(db: None) -> None:
    add_therapist("ada@riverside.example", "--admin")
    assert StaffMember.objects.get().role == StaffMember.ADMIN


def test_the_link_sets_a_password_that_logs_in_and_works_once(db: None) -> None:
    path = add_therapist()
    set_password(Client(), path)

    # (The test client's login() sends no request, which django-axes needs: the page.)
    login = Client().post(
        "/login/", {"username": "theo@riverside.example", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    assert not link_works(path)


def test_the_link_lasts_72_hours(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    path = add_therapist()
    made = dt.datetime.now()

    monkeypatch.setattr(default_token_generator, "_now", lambda: made + dt.timedelta(hours=71.9))
    assert link_works(path)
    monkeypatch.setattr(
        default_token_generator, "_now", lambda: made + dt.timedelta(hours=72, seconds=2)
    )
    assert not link_works(path)


def test_therapist_add_refuses_an_e_mail_in_use(db: None) -> None:
    add_therapist("theo@riverside.example")
    User.objects.create_user("pat@example.org", "pat@example.org", "unused-Pat-pw-1")
    for email in ["THEO@riverside.example", "pat@example.org"]:
        with pytest.raises(CommandError, match=f"already an account for {email.lower()}"):
            run("therapist", "add", "--clinic", "Riverside Physio", "--email", email)
    assert StaffMember.objects.count() == 1
    assert len(mail.outbox) == 1


def test_therapist_add_refuses_an_unknown_clinic_or_a_bad_e_mail(riverside: Clinic) -> None:
    with pytest.raises(CommandError, match="no clinic called 'Nowhere'"):
        run("therapist", "add", "--clinic", "Nowhere", "--email", "t@x.example")
    with pytest.raises(CommandError, match="not an e-mail address"):
        run("therapist", "add", "--clinic", "Riverside Physio", "--email", "not-an-address")
    assert not User.objects.exists()
    assert not mail.outbox
