"""The staff page (/clinic/staff/): every active member sees the list; a clinic admin
invites, deactivates and reactivates members, and sends set-password links."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, RequestFactory, TestCase
from django.urls import reverse

from stenosis_coach.clinic import staff_actions
from stenosis_coach.clinic.actions import ClinicError, add_staff_member
from stenosis_coach.clinic.models import AuditEntry, StaffMember
from stenosis_coach.jobs.testing import run_queued_jobs
from stenosis_coach.patients.models import Clinic, Patient
from tests.clinic_pages import audit_count, client_for

STAFF = reverse("staff")
LINK = re.compile(r"http://127\.0\.0\.1:8000(/password-reset/[^/\s]+/[^/\s]+/)")


def member(user: User) -> StaffMember:
    return StaffMember.objects.get(user=user)


def url(name: str, user: User) -> str:
    return reverse(name, args=[member(user).pk])


def post(client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
    """POST as a browser does, with the e-mails it queues run by the worker."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(path, data or {})
    run_queued_jobs()
    return response


def add_admin(clinic: Clinic, name: str = "fran") -> User:
    user = User.objects.create_user(name, f"{name}@riverside.example", f"unused-{name}-pw-1")
    StaffMember.objects.create(user=user, clinic=clinic, role=StaffMember.ADMIN)
    return user


def an_admin_request(user: User) -> Any:
    request = RequestFactory().post("/clinic/staff/")
    request.user = user
    return request


# Who sees the page -------------------------------------------------------------------


def test_every_active_member_sees_the_list(erin: User, bob: User, alice: Patient) -> None:
    erin.last_login = dt.datetime(2026, 3, 3, 9, 30, tzinfo=dt.UTC)
    erin.save()
    page = client_for(bob).get(STAFF)
    assert page.status_code == 200
    text = page.content.decode()
    assert "bob@riverside.example" in text
    assert "erin@riverside.example" in text
    assert "Clinic admin" in text
    assert "Therapist" in text
    assert "3 Mar 2026" in text  # erin's last log-in


def test_a_therapist_sees_no_admin_buttons(erin: User, bob: User) -> None:
    text = client_for(bob).get(STAFF).content.decode()
    assert "Deactivate" not in text
    assert "Invite" not in text
    assert "set-password" not in text


def test_the_admin_sees_the_buttons(erin: User, bob: User) -> None:
    text = client_for(erin).get(STAFF).content.decode()
    assert url("staff-deactivate", bob) in text
    assert url("staff-set-password", bob) in text
    assert reverse("staff-invite") in text
    assert url("staff-deactivate", erin) not in text  # not herself


def test_only_own_clinic_staff_get_the_page(
    erin: User, bob: User, charlie: User, alice: Patient
) -> None:
    assert client_for(bob).get(STAFF).status_code == 200
    # charlie sees his own clinic's list, with no one from Riverside on it.
    charlie_page = client_for(charlie).get(STAFF).content.decode()
    assert "charlie@hilltop.example" in charlie_page
    assert "bob@riverside.example" not in charlie_page
    assert client_for(alice).get(STAFF).status_code == 404
    anonymous = Client().get(STAFF)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]


@pytest.mark.parametrize(
    "name", ["staff-deactivate", "staff-reactivate", "staff-set-password", "staff-reassign"]
)
def test_admin_actions_are_for_own_clinic_admins_only(
    name: str, erin: User, bob: User, charlie: User, alice: Patient
) -> None:
    path = url(name, bob)
    assert client_for(bob).post(path).status_code == 404  # a therapist, not an admin
    assert client_for(charlie).post(path).status_code == 404  # another clinic
    assert client_for(alice).post(path).status_code == 404  # a patient
    anonymous = Client().post(path)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]
    assert member(bob).active


def test_an_admin_of_another_clinic_gets_404_for_our_staff(bob: User, charlie: User) -> None:
    member_charlie = member(charlie)
    member_charlie.role = StaffMember.ADMIN
    member_charlie.save()
    assert client_for(charlie).post(url("staff-deactivate", bob)).status_code == 404
    assert member(bob).active


def test_invite_is_for_admins_only(erin: User, bob: User, alice: Patient) -> None:
    invite = reverse("staff-invite")
    data = {"email": "new@riverside.example", "role": "therapist"}
    assert client_for(bob).post(invite, data).status_code == 404
    assert client_for(alice).post(invite, data).status_code == 404
    assert not User.objects.filter(username="new@riverside.example").exists()


def test_the_page_takes_no_post(erin: User) -> None:
    assert client_for(erin).post(STAFF).status_code == 405


# Invite ------------------------------------------------------------------------------


def test_the_admin_invites_a_therapist_who_sets_a_password(erin: User) -> None:
    response = post(
        client_for(erin),
        reverse("staff-invite"),
        {"email": " Theo@Riverside.example ", "role": "therapist"},
    )
    assert response.status_code == 302
    theo = StaffMember.objects.get(user__email="theo@riverside.example")
    assert theo.clinic == member(erin).clinic
    assert theo.role == StaffMember.THERAPIST
    assert not theo.user.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["theo@riverside.example"]
    path = LINK.search(message.body).group(1)  # type: ignore[union-attr]
    assert Client().get(path, follow=True).context["validlink"]
    assert audit_count(who=erin, action=AuditEntry.CHANGE, what__contains="invited") == 1


def test_the_admin_invites_an_admin(erin: User) -> None:
    post(
        client_for(erin),
        reverse("staff-invite"),
        {"email": "ann@riverside.example", "role": "admin"},
    )
    assert StaffMember.objects.get(user__email="ann@riverside.example").is_admin


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not an address", "role": "therapist"}, "Enter a valid email address."),
        ({"email": "", "role": "therapist"}, "This field is required."),
        ({"email": "x@riverside.example", "role": "owner"}, "Select a valid choice."),
        (
            {"email": "bob@riverside.example", "role": "therapist"},
            "There is already an account for this e-mail.",
        ),
    ],
)
def test_a_bad_or_taken_e_mail_is_a_400_with_a_message(
    erin: User, bob: User, data: dict[str, str], message: str
) -> None:
    response = post(client_for(erin), reverse("staff-invite"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert StaffMember.objects.count() == 2
    assert not mail.outbox


def test_a_patient_s_e_mail_is_taken_too(erin: User, alice: Patient) -> None:
    alice.user.username = "alice@home.example"
    alice.user.save()
    response = post(
        client_for(erin),
        reverse("staff-invite"),
        {"email": "ALICE@home.example", "role": "therapist"},
    )
    assert response.status_code == 400
    assert not StaffMember.objects.filter(user=alice.user).exists()


# Deactivate and reactivate -----------------------------------------------------------


def test_a_deactivated_member_sees_nothing_at_once(erin: User, bob: User, alice: Patient) -> None:
    bob_client = client_for(bob)
    assert bob_client.get(STAFF).status_code == 200
    assert post(client_for(erin), url("staff-deactivate", bob)).status_code == 302
    assert not member(bob).active
    # The same session, the next request: nothing.
    assert bob_client.get(STAFF).status_code == 404
    assert bob_client.get(reverse("clinic-audit")).status_code == 404
    assert audit_count(who=erin, what__contains="deactivated bob@") == 1


def test_deactivating_keeps_the_patients_and_lists_them(
    erin: User, bob: User, alice: Patient
) -> None:
    post(client_for(erin), url("staff-deactivate", bob))
    alice.refresh_from_db()
    assert alice.therapist == bob
    page = client_for(erin).get(STAFF).content.decode()
    assert "Patients whose therapist is inactive" in page
    assert f"(#{alice.pk})" in page
    assert url("staff-reassign", bob) in page
    assert audit_count(who=erin, action=AuditEntry.READ, patient=None) == 1


def test_a_therapist_does_not_see_the_patients_to_reassign(
    erin: User, bob: User, alice: Patient
) -> None:
    other = User.objects.create_user("tess", "tess@riverside.example", "unused-Tess-pw-1")
    StaffMember.objects.create(user=other, clinic=member(erin).clinic)
    post(client_for(erin), url("staff-deactivate", bob))
    assert f"(#{alice.pk})" not in client_for(other).get(STAFF).content.decode()


def test_deactivating_can_reassign_the_patients(erin: User, bob: User, alice: Patient) -> None:
    response = post(
        client_for(erin), url("staff-deactivate", bob), {"reassign_to": member(erin).pk}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.therapist == erin
    (entry,) = AuditEntry.objects.filter(patient=alice, action=AuditEntry.CHANGE)
    assert entry.who == erin
    assert "bob@riverside.example to erin@riverside.example" in entry.what
    assert (
        "Patients whose therapist is inactive" not in client_for(erin).get(STAFF).content.decode()
    )


def test_reassigning_later_moves_the_patients(erin: User, bob: User, alice: Patient) -> None:
    post(client_for(erin), url("staff-deactivate", bob))
    response = post(client_for(erin), url("staff-reassign", bob), {"reassign_to": member(erin).pk})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.therapist == erin
    assert audit_count(patient=alice, action=AuditEntry.CHANGE) == 1


@pytest.mark.parametrize("target", ["inactive", "other clinic", "themselves", "nonsense"])
def test_patients_go_only_to_another_active_member_here(
    target: str, erin: User, bob: User, charlie: User, alice: Patient
) -> None:
    tess = User.objects.create_user("tess", "tess@riverside.example", "unused-Tess-pw-1")
    StaffMember.objects.create(user=tess, clinic=member(erin).clinic, active=False)
    choice = {
        "inactive": member(tess).pk,
        "other clinic": member(charlie).pk,
        "themselves": member(bob).pk,
        "nonsense": "x",
    }[target]
    response = post(client_for(erin), url("staff-deactivate", bob), {"reassign_to": choice})
    assert response.status_code == 400
    assert "Pick another active member of your clinic." in response.content.decode()
    assert member(bob).active
    alice.refresh_from_db()
    assert alice.therapist == bob


def test_reassign_needs_someone(erin: User, bob: User, alice: Patient) -> None:
    response = post(client_for(erin), url("staff-reassign", bob), {"reassign_to": ""})
    assert response.status_code == 400
    alice.refresh_from_db()
    assert alice.therapist == bob


def test_reactivate(erin: User, bob: User) -> None:
    post(client_for(erin), url("staff-deactivate", bob))
    assert post(client_for(erin), url("staff-reactivate", bob)).status_code == 302
    assert member(bob).active
    assert client_for(bob).get(STAFF).status_code == 200
    assert audit_count(who=erin, what__contains="reactivated bob@") == 1


def test_deactivating_twice_or_reactivating_an_active_member_is_a_400(
    erin: User, bob: User
) -> None:
    assert post(client_for(erin), url("staff-reactivate", bob)).status_code == 400
    post(client_for(erin), url("staff-deactivate", bob))
    assert post(client_for(erin), url("staff-deactivate", bob)).status_code == 400


def test_an_admin_cannot_deactivate_themselves(erin: User) -> None:
    response = post(client_for(erin), url("staff-deactivate", erin))
    assert response.status_code == 400
    assert "You cannot deactivate yourself." in response.content.decode()
    assert member(erin).active


def test_an_admin_deactivates_another_admin(erin: User) -> None:
    fran = add_admin(member(erin).clinic)
    assert post(client_for(erin), url("staff-deactivate", fran)).status_code == 302
    assert not member(fran).active


def test_the_clinic_keeps_an_active_admin_when_two_admins_race(erin: User) -> None:
    """Erin and Fran, the two admins, deactivate each other at the same moment: Fran's
    request was let in (her membership read as active) just before Erin's landed."""
    fran = add_admin(member(erin).clinic)
    fran_as_read_by_her_request = member(fran)
    staff_actions.do_deactivate_staff(an_admin_request(erin), member(erin), member(fran))
    with pytest.raises(ClinicError):
        staff_actions.do_deactivate_staff(
            an_admin_request(fran), fran_as_read_by_her_request, member(erin)
        )
    assert member(erin).active


# A new set-password link -------------------------------------------------------------


def test_the_admin_sends_a_new_set_password_link(erin: User) -> None:
    post(
        client_for(erin),
        reverse("staff-invite"),
        {"email": "theo@riverside.example", "role": "therapist"},
    )
    mail.outbox.clear()
    theo = User.objects.get(username="theo@riverside.example")
    response = post(client_for(erin), url("staff-set-password", theo))
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["theo@riverside.example"]
    assert message.subject == "Set your Stenosis Coach password"
    path = LINK.search(message.body).group(1)  # type: ignore[union-attr]
    assert Client().get(path, follow=True).context["validlink"]
    # A second click sends again.
    post(client_for(erin), url("staff-set-password", theo))
    assert len(mail.outbox) == 2
    assert audit_count(who=erin, what__contains="set-password link sent to theo@") == 2


def test_the_same_click_queued_twice_sends_once(erin: User, bob: User) -> None:
    clicked = dt.datetime(2026, 3, 3, 9, 30, tzinfo=dt.UTC)
    with TestCase.captureOnCommitCallbacks(execute=True):
        for _ in range(2):
            staff_actions.do_send_set_password(
                an_admin_request(erin), member(erin), member(bob), now=clicked
            )
    run_queued_jobs()
    run_queued_jobs()
    assert len(mail.outbox) == 1


def test_the_password_reset_form_skips_a_member_with_no_password(erin: User) -> None:
    """Why the button exists: Django's own form sends nothing to such an account."""
    post(
        client_for(erin),
        reverse("staff-invite"),
        {"email": "theo@riverside.example", "role": "therapist"},
    )
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        Client().post(reverse("password_reset"), {"email": "theo@riverside.example"})
    run_queued_jobs()
    assert not mail.outbox


def test_no_link_for_an_inactive_member(erin: User, bob: User) -> None:
    post(client_for(erin), url("staff-deactivate", bob))
    response = post(client_for(erin), url("staff-set-password", bob))
    assert response.status_code == 400
    assert not mail.outbox


def test_the_staff_e_mails_carry_no_health_detail(erin: User, bob: User, alice: Patient) -> None:
    post(client_for(erin), url("staff-set-password", bob))
    (message,) = mail.outbox
    assert "alice" not in message.body.lower()
    assert "pain" not in message.body.lower()


def test_add_staff_member_refuses_an_e_mail_that_is_another_user_s_address(bob: User) -> None:
    """bob's log-in name is "bob", but his address is taken all the same."""
    with pytest.raises(ClinicError, match="already an account"):
        add_staff_member(member(bob).clinic, "BOB@riverside.example")


@pytest.mark.parametrize("target", ["inactive", "other clinic", "themselves"])
def test_the_action_moves_patients_only_to_another_active_member_here(
    target: str, erin: User, bob: User, charlie: User, alice: Patient
) -> None:
    tess = User.objects.create_user("tess", "tess@riverside.example", "unused-Tess-pw-1")
    StaffMember.objects.create(user=tess, clinic=member(erin).clinic, active=False)
    to = {"inactive": tess, "other clinic": charlie, "themselves": bob}[target]
    with pytest.raises(ClinicError):
        staff_actions.do_reassign_patients(
            an_admin_request(erin), member(erin), member(bob), member(to)
        )
    alice.refresh_from_db()
    assert alice.therapist == bob
