"""Managing two-step sign-in (issue 13): a patient turns it off, anyone gets new recovery
codes (both ask for the password or a code first), a clinic admin resets a member who lost
their phone, and an operator does it with `reset_two_step EMAIL`."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stenosis_coach.clinic import staff_actions
from stenosis_coach.clinic.actions import ClinicError
from stenosis_coach.clinic.models import AuditEntry, StaffMember
from stenosis_coach.clinic.two_step_devices import device_for_code, make_recovery_codes
from stenosis_coach.patients.models import Clinic, Patient
from tests.clinic_pages import client_for, pass_two_step
from tests.patient_pages import ready

DAVE_PW = "unused-Dave-pw-1"  # the dave fixture's
TURN_OFF = reverse("two-step-turn-off")
NEW_CODES = reverse("two-step-new-codes")
MANAGE = reverse("two-step-manage")
CODE = re.compile(r"<li><code>(\w+)</code></li>")


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def with_two_step(user: User) -> Client:
    """A client for `user`, who has an app and 10 recovery codes, past the second step."""
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    make_recovery_codes(user)
    client = Client()
    client.force_login(user)
    pass_two_step(client, user)
    return client


def devices(user: User) -> int:
    return (
        TOTPDevice.objects.filter(user=user).count()
        + StaticDevice.objects.filter(user=user).count()
    )


def sessions_of(user: User) -> int:
    return sum(
        1
        for session in Session.objects.all()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    )


def one_code(user: User) -> str:
    token = StaticToken.objects.filter(device__user=user).first()
    assert token is not None
    return token.token


@pytest.fixture
def rosa(dave: Patient) -> Patient:
    """A patient who turned two-step sign-in on."""
    return ready(dave)


# A patient turns it off ----------------------------------------------------------------


def test_settings_shows_the_controls_only_when_it_is_on(rosa: Patient) -> None:
    off = client_for(rosa).get("/settings/").content.decode()
    assert TURN_OFF not in off
    assert "Turn on two-step sign-in" in off
    on = with_two_step(rosa.user).get("/settings/").content.decode()
    assert f'action="{TURN_OFF}"' in on
    assert f'action="{NEW_CODES}"' in on
    assert "Turn on two-step sign-in" not in on


def test_a_patient_turns_it_off_with_the_password(rosa: Patient) -> None:
    client = with_two_step(rosa.user)
    other = Client()
    other.force_login(rosa.user)
    response = client.post(TURN_OFF, {"off-password_or_code": DAVE_PW})
    assert response.status_code == 302
    assert response["Location"] == "/settings/"
    assert devices(rosa.user) == 0
    assert sessions_of(rosa.user) == 1  # the other session ended; this one stays
    page = client.get("/settings/")
    assert page.status_code == 200
    assert "Two-step sign-in is off" in page.content.decode()
    assert "Turn on two-step sign-in" in page.content.decode()


def test_a_patient_turns_it_off_with_a_code_from_the_app(rosa: Patient) -> None:
    client = with_two_step(rosa.user)
    device = TOTPDevice.objects.get(user=rosa.user)
    response = client.post(TURN_OFF, {"off-password_or_code": code_for(device)})
    assert response.status_code == 302
    assert devices(rosa.user) == 0


@pytest.mark.parametrize("typed", ["not-my-password", "", "x" * 500, "000000", "abcdefgh", " "])
def test_a_wrong_password_or_code_is_a_400_and_nothing_is_removed(
    rosa: Patient, typed: str
) -> None:
    client = with_two_step(rosa.user)
    device = TOTPDevice.objects.get(user=rosa.user)
    if typed == code_for(device):  # one time in a million
        return
    response = client.post(TURN_OFF, {"off-password_or_code": typed})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Nothing was changed" in text
    assert devices(rosa.user) == 2
    assert StaticToken.objects.filter(device__user=rosa.user).count() == 10
    if typed == "not-my-password":
        assert "That is not your password or a right code" in text


def test_odd_requests_are_refused_without_a_500(rosa: Patient) -> None:
    client = with_two_step(rosa.user)
    assert client.get(TURN_OFF).status_code == 405
    assert client.get(NEW_CODES).status_code == 405
    assert client.post(TURN_OFF, {}).status_code == 400
    assert client.post(TURN_OFF, {"off-password_or_code": ["a", "b"]}).status_code == 400
    assert client.post(TURN_OFF, "{}", content_type="application/json").status_code == 400
    assert client.post(NEW_CODES, {"codes-password_or_code": "\x00"}).status_code == 400
    assert devices(rosa.user) == 2


def test_tries_are_limited_even_in_a_session_that_passed_the_second_step(
    rosa: Patient, settings: Any
) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "two-step-confirm": (3, 900)}
    client = with_two_step(rosa.user)
    for _ in range(3):
        assert client.post(TURN_OFF, {"off-password_or_code": "guess-1234"}).status_code == 400
    over = client.post(TURN_OFF, {"off-password_or_code": DAVE_PW})  # even the right one
    assert over.status_code == 429
    assert int(over["Retry-After"]) > 60
    assert "Too many tries. Please wait 15 minutes" in over.content.decode()
    assert client.post(NEW_CODES, {"codes-password_or_code": DAVE_PW}).status_code == 429
    assert devices(rosa.user) == 2


def test_a_post_without_the_csrf_token_is_refused(rosa: Patient) -> None:
    with_two_step(rosa.user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(rosa.user)
    pass_two_step(client, rosa.user)
    assert client.post(TURN_OFF, {"off-password_or_code": DAVE_PW}).status_code == 403
    assert devices(rosa.user) == 2


def test_a_password_alone_cannot_turn_it_off(rosa: Patient) -> None:
    with_two_step(rosa.user)
    client = Client()
    assert client.post("/login/", {"username": "dave", "password": DAVE_PW}).status_code == 302
    response = client.post(TURN_OFF, {"off-password_or_code": DAVE_PW})
    assert response.status_code == 302
    assert response["Location"].startswith("/clinic/two-step/?next=")
    assert devices(rosa.user) == 2


def test_turning_it_off_twice_is_fine(rosa: Patient) -> None:
    client = with_two_step(rosa.user)
    client.post(TURN_OFF, {"off-password_or_code": DAVE_PW})
    again = client.post(TURN_OFF, {"off-password_or_code": DAVE_PW})
    assert again.status_code == 302
    assert again["Location"] == "/settings/"
    assert client.post(NEW_CODES, {"codes-password_or_code": DAVE_PW}).status_code == 302
    assert devices(rosa.user) == 0


def test_the_next_log_in_after_turning_it_off_asks_for_no_code(rosa: Patient) -> None:
    with_two_step(rosa.user).post(TURN_OFF, {"off-password_or_code": DAVE_PW})
    client = Client()
    client.post("/login/", {"username": "dave", "password": DAVE_PW})
    assert client.get("/settings/").status_code == 200


# New recovery codes ----------------------------------------------------------------------


def test_new_recovery_codes_are_shown_once_and_the_old_ones_stop_working(
    rosa: Patient,
) -> None:
    client = with_two_step(rosa.user)
    old = one_code(rosa.user)
    response = client.post(NEW_CODES, {"codes-password_or_code": DAVE_PW})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    codes = CODE.findall(text)
    assert len(codes) == 10
    assert old not in codes
    assert "Your old recovery codes no longer work" in text
    assert 'href="/settings/"' in text
    # At the next log-in the old code is refused and a new one lets in.
    later = Client()
    later.post("/login/", {"username": "dave", "password": DAVE_PW})
    assert later.post("/clinic/two-step/", {"code": old}).status_code == 400
    StaticDevice.objects.filter(user=rosa.user).update(throttling_failure_count=0)
    assert later.post("/clinic/two-step/", {"code": codes[0]}).status_code == 302
    assert later.get("/settings/").status_code == 200
    # Shown once: the manage page and Settings never show them.
    assert codes[1] not in client.get(MANAGE).content.decode()
    assert codes[1] not in client.get("/settings/").content.decode()


def test_a_recovery_code_can_confirm_new_codes(rosa: Patient) -> None:
    client = with_two_step(rosa.user)
    response = client.post(NEW_CODES, {"codes-password_or_code": one_code(rosa.user).upper()})
    assert response.status_code == 200
    assert len(CODE.findall(response.content.decode())) == 10


def test_a_wrong_password_gets_no_new_codes(rosa: Patient) -> None:
    client = with_two_step(rosa.user)
    old = one_code(rosa.user)
    response = client.post(NEW_CODES, {"codes-password_or_code": "wrong-password-9"})
    assert response.status_code == 400
    assert "That is not your password or a right code" in response.content.decode()
    assert StaticToken.objects.filter(device__user=rosa.user, token=old).exists()
    assert StaticToken.objects.filter(device__user=rosa.user).count() == 10


# Staff ------------------------------------------------------------------------------------


def test_staff_cannot_turn_it_off(bob: User) -> None:
    client = with_two_step(bob)
    response = client.post(TURN_OFF, {"off-password_or_code": "unused-Bob-pw-1"})
    assert response.status_code == 403
    assert "Clinic staff must keep two-step sign-in on" in response.content.decode()
    assert devices(bob) == 2
    assert TURN_OFF not in client.get(MANAGE).content.decode()


def test_staff_get_new_recovery_codes(bob: User) -> None:
    client = with_two_step(bob)
    old = one_code(bob)
    assert MANAGE in client.get(reverse("staff")).content.decode()
    assert MANAGE in client.get(reverse("caseload")).content.decode()  # in the menu
    assert client.get(MANAGE).status_code == 200
    response = client.post(NEW_CODES, {"codes-password_or_code": "unused-Bob-pw-1"})
    assert response.status_code == 200
    assert 'href="/clinic/"' in response.content.decode()
    assert device_for_code(bob, old) is None


# A clinic admin resets a member ------------------------------------------------------------


def reset_url(user: User) -> str:
    return reverse("staff-reset-two-step", args=[StaffMember.objects.get(user=user).pk])


def test_the_admin_sees_a_reset_button_for_others_only(erin: User, bob: User) -> None:
    text = client_for(erin).get(reverse("staff")).content.decode()
    assert reset_url(bob) in text
    assert reset_url(erin) not in text
    assert reset_url(bob) not in client_for(bob).get(reverse("staff")).content.decode()


def test_an_admin_resets_a_member_who_lost_their_phone(erin: User, bob: User) -> None:
    bobs = with_two_step(bob)
    admin = client_for(erin)
    confirm = admin.get(reset_url(bob))
    assert confirm.status_code == 200
    assert "Yes, reset two-step sign-in for bob@riverside.example" in confirm.content.decode()
    assert devices(bob) == 2  # asking is not doing
    response = admin.post(reset_url(bob))
    assert response.status_code == 302
    assert response["Location"] == reverse("staff")
    assert devices(bob) == 0
    assert sessions_of(bob) == 0
    assert bobs.get("/clinic/")["Location"].startswith("/login/")
    assert admin.get(reverse("staff")).status_code == 200  # the admin stays in
    entry = AuditEntry.objects.get(what__contains="two-step")
    assert entry.who == erin
    assert entry.what == "Staff: two-step sign-in reset for bob@riverside.example"
    # Again: still fine.
    assert admin.post(reset_url(bob)).status_code == 302


def test_the_reset_member_sets_up_a_new_app_at_the_next_log_in(erin: User, bob: User) -> None:
    with_two_step(bob)
    client_for(erin).post(reset_url(bob))
    client = Client()
    assert client.post("/login/", {"username": "bob", "password": "unused-Bob-pw-1"}).status_code
    response = client.get("/clinic/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/clinic/two-step/set-up/")
    assert "Set up two-step sign-in" in response.content.decode()


def test_another_clinics_admin_gets_404(erin: User, bob: User, charlie: User) -> None:
    with_two_step(bob)
    hilltop = StaffMember.objects.get(user=charlie).clinic
    other = User.objects.create_user("hana", "hana@hilltop.example", "unused-Hana-pw-1")
    StaffMember.objects.create(user=other, clinic=hilltop, role=StaffMember.ADMIN)
    client = client_for(other)
    assert client.get(reset_url(bob)).status_code == 404
    assert client.post(reset_url(bob)).status_code == 404
    assert devices(bob) == 2


def test_a_therapist_who_is_not_an_admin_cannot_reset(erin: User, bob: User) -> None:
    with_two_step(erin)
    client = client_for(bob)
    assert client.get(reset_url(erin)).status_code == 404
    assert client.post(reset_url(erin)).status_code == 404
    assert devices(erin) == 2


def test_a_patient_or_anonymous_cannot_reset(erin: User, bob: User, alice: Patient) -> None:
    assert client_for(alice).post(reset_url(bob)).status_code == 404
    assert Client().post(reset_url(bob))["Location"].startswith("/login/")


def test_an_admin_cannot_reset_themselves(erin: User) -> None:
    client = client_for(erin)
    response = client.post(reset_url(erin))
    assert response.status_code == 400
    assert "You cannot reset your own two-step sign-in" in response.content.decode()
    assert devices(erin) == 1
    assert client.post(reverse("staff-reset-two-step", args=[99999])).status_code == 404
    request = RequestFactory().post("/clinic/staff/")
    request.user = erin
    admin = StaffMember.objects.get(user=erin)
    with pytest.raises(ClinicError, match="your own"):
        staff_actions.do_reset_two_step(request, admin, admin)
    assert devices(erin) == 1


# The operator's command ----------------------------------------------------------------------


def test_the_command_resets_the_only_admin(erin: User, riverside: Clinic) -> None:
    with_two_step(erin)
    out = StringIO()
    call_command("reset_two_step", "ERIN@riverside.example", stdout=out)
    printed = out.getvalue()
    assert "Two-step sign-in reset for erin@riverside.example (admin at Riverside" in printed
    assert "Removed 2 device(s)" in printed
    assert "Ended 1 session(s)" in printed
    assert "new authenticator app" in printed
    assert devices(erin) == 0
    assert sessions_of(erin) == 0
    assert AuditEntry.objects.filter(who=erin, what__contains="by an operator").count() == 1


def test_the_command_says_when_there_is_no_such_account(db: None) -> None:
    with pytest.raises(CommandError, match="No account"):
        call_command("reset_two_step", "nobody@example.org", stdout=StringIO())


def test_no_secret_is_logged(erin: User, bob: User, caplog: Any) -> None:
    with_two_step(bob)
    caplog.set_level("DEBUG")
    bobs = Client()
    bobs.force_login(bob)
    pass_two_step(bobs, bob)
    codes = CODE.findall(
        bobs.post(NEW_CODES, {"codes-password_or_code": "unused-Bob-pw-1"}).content.decode()
    )
    client_for(erin).post(reset_url(bob))
    everything = caplog.text + " ".join(AuditEntry.objects.values_list("what", flat=True))
    assert "unused-Bob-pw-1" not in everything
    assert not any(code in everything for code in codes)
