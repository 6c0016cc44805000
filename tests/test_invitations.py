"""Invitations: the codes and their rules, the e-mail, and the therapist's pages."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone

from stenosis_coach.clinic import invitations
from stenosis_coach.clinic.invitations import (
    CODE_LETTERS,
    InvitationError,
    accept_invitation,
    create_invitation,
    grouped,
    normalise_code,
    open_invitation,
    withdraw_invitation,
)
from stenosis_coach.clinic.models import AuditEntry, Invitation, StaffMember
from stenosis_coach.jobs.testing import run_queued_jobs
from stenosis_coach.patients.models import Patient
from tests.clinic_pages import assert_only_own_clinic, audit_count, client_for

LOOK_ALIKES = set("ILOQBSZG0123456789")


def expire(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )


# ---------------------------------------------------------------------------------------
# Codes


def test_the_letters_have_no_look_alikes_and_are_upper_case() -> None:
    assert not LOOK_ALIKES & set(CODE_LETTERS)
    assert CODE_LETTERS.upper() == CODE_LETTERS
    assert len(set(CODE_LETTERS)) == len(CODE_LETTERS) >= 16


def test_a_code_has_eight_of_the_letters_and_lasts_fourteen_days(bob: User) -> None:
    before = timezone.now()
    invitation = create_invitation(bob)
    assert len(invitation.code) == 8
    assert set(invitation.code) <= set(CODE_LETTERS)
    assert invitation.clinic == StaffMember.objects.get(user=bob).clinic
    assert invitation.therapist == bob
    lifetime = invitation.expires_at - before
    assert dt.timedelta(days=14) <= lifetime < dt.timedelta(days=14, minutes=1)


def test_codes_come_from_secrets(bob: User) -> None:
    with mock.patch.object(invitations.secrets, "choice", return_value="K") as choice:
        assert create_invitation(bob).code == "KKKKKKKK"
    assert choice.call_count == 8


def test_a_clash_tries_another_code(bob: User) -> None:
    first = create_invitation(bob)
    codes = iter([first.code, "ACDEFHJK"])
    with mock.patch.object(invitations, "new_code", side_effect=lambda: next(codes)):
        second = create_invitation(bob)
    assert second.code == "ACDEFHJK"
    assert Invitation.objects.count() == 2


def test_codes_are_read_as_people_type_them() -> None:
    assert normalise_code("acde-fhjk") == "ACDEFHJK"
    assert normalise_code(" ACDE FHJK ") == "ACDEFHJK"
    assert normalise_code("ac de\u2013fh jk") == "ACDEFHJK"
    assert grouped("ACDEFHJK") == "ACDE-FHJK"
    for wrong in ["", "ACDEFHJ", "ACDEFHJKM", "ACDEFHJO", "ACDE/FHJK"]:
        with pytest.raises(InvitationError) as error:
            normalise_code(wrong)
        assert error.value.code == "malformed"


def test_a_code_works_once(bob: User, dave: Patient, alice: Patient) -> None:
    invitation = create_invitation(bob)
    accept_invitation(dave, invitation.code)
    with pytest.raises(InvitationError) as error:
        accept_invitation(alice, invitation.code)
    assert error.value.code == "used"
    alice.refresh_from_db()
    assert alice.therapist == bob  # unchanged


def test_the_same_patient_accepting_again_changes_nothing(bob: User, dave: Patient) -> None:
    invitation = create_invitation(bob)
    accept_invitation(dave, invitation.code)
    used_at = Invitation.objects.get(pk=invitation.pk).used_at
    assert accept_invitation(dave, invitation.code.lower()) == invitation
    assert Invitation.objects.get(pk=invitation.pk).used_at == used_at


def test_an_expired_code_does_not_work(bob: User, dave: Patient) -> None:
    invitation = create_invitation(bob)
    expire(invitation)
    with pytest.raises(InvitationError) as error:
        accept_invitation(dave, invitation.code)
    assert error.value.code == "expired"
    dave.refresh_from_db()
    assert dave.clinic is None


def test_a_withdrawn_code_reads_as_an_unknown_one(bob: User, dave: Patient) -> None:
    invitation = create_invitation(bob)
    withdraw_invitation(bob, invitation)
    with pytest.raises(InvitationError) as withdrawn:
        accept_invitation(dave, invitation.code)
    with pytest.raises(InvitationError) as unknown:
        open_invitation("WWWWWWWW")
    assert withdrawn.value.code == unknown.value.code == "unknown"
    assert str(withdrawn.value) == str(unknown.value)
    dave.refresh_from_db()
    assert dave.clinic is None


def test_a_deactivated_therapists_code_no_longer_works(bob: User, dave: Patient) -> None:
    invitation = create_invitation(bob)
    StaffMember.objects.filter(user=bob).update(active=False)
    with pytest.raises(InvitationError) as error:
        accept_invitation(dave, invitation.code)
    assert error.value.code == "unknown"


def test_a_used_code_cannot_be_withdrawn(bob: User, dave: Patient) -> None:
    invitation = create_invitation(bob)
    accept_invitation(dave, invitation.code)
    with pytest.raises(InvitationError):
        withdraw_invitation(bob, invitation)


def test_only_active_staff_make_and_withdraw_invitations(
    bob: User, charlie: User, dave: Patient
) -> None:
    with pytest.raises(InvitationError):
        create_invitation(dave.user)
    invitation = create_invitation(bob)
    with pytest.raises(InvitationError):
        withdraw_invitation(charlie, invitation)
    StaffMember.objects.filter(user=bob).update(active=False)
    with pytest.raises(InvitationError):
        create_invitation(bob)


def test_making_an_invitation_writes_no_patient_audit_entry(bob: User) -> None:
    create_invitation(bob, email="new.patient@example.com")
    assert audit_count(patient__isnull=False) == 0
    assert audit_count(who=bob, action=AuditEntry.CHANGE, patient__isnull=True) == 1


# ---------------------------------------------------------------------------------------
# The e-mail


def test_an_email_invitation_is_sent_once_with_the_link_and_no_health_detail(
    bob: User, settings: object, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invitation = create_invitation(bob, email="Ann.Lee@Example.com", name="Ann Lee")
        # The worker keys the e-mail by invitation: queueing it again sends nothing more.
        invitations.send_invitation_email(invitation, StaffMember.objects.get(user=bob))
    run_queued_jobs()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ann.lee@example.com"]
    link = f"http://127.0.0.1:8000/join/{invitation.code}/"
    assert link in message.body
    assert grouped(invitation.code) in message.body
    assert "Riverside Physio" in message.body
    # The product's own name aside, not a word about health.
    text = (message.subject + message.body).lower().replace("stenosis coach", "")
    assert "ann lee" not in text  # the name is for the list only
    for health_word in ["pain", "stenosis", "sciatica", "leg", "back", "diagnos", "symptom"]:
        assert health_word not in text, health_word
    run_queued_jobs()
    assert len(mail.outbox) == 1


def test_a_printed_code_sends_no_email(
    bob: User, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        create_invitation(bob, name="Ann")
    run_queued_jobs()
    assert mail.outbox == []


def test_a_bad_email_is_refused(bob: User) -> None:
    with pytest.raises(InvitationError):
        create_invitation(bob, email="not an address")
    assert Invitation.objects.count() == 0


# ---------------------------------------------------------------------------------------
# The therapist's pages


def test_the_list_shows_the_clinics_invitations_only(
    bob: User, erin: User, charlie: User, alice: Patient
) -> None:
    mine = create_invitation(bob, name="Ann Lee")
    theirs = create_invitation(charlie, name="Zed Hill")
    response = client_for(erin).get("/clinic/invitations/")
    assert response.status_code == 200
    html = response.content.decode()
    assert grouped(mine.code) in html
    assert "Ann Lee" in html
    assert grouped(theirs.code) not in html
    assert "Zed Hill" not in html
    # Another clinic's therapist gets their own clinic's list; a patient, nothing.
    html = client_for(charlie).get("/clinic/invitations/").content.decode()
    assert grouped(theirs.code) in html
    assert grouped(mine.code) not in html
    assert client_for(alice).get("/clinic/invitations/").status_code == 404
    anonymous = Client().get("/clinic/invitations/")
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]


def test_the_list_writes_one_audit_entry_and_names_only_patients_who_still_share(
    bob: User, dave: Patient
) -> None:
    invitation = create_invitation(bob)
    dave.user.email = "dave@example.com"
    dave.user.save()
    accept_invitation(dave, invitation.code)
    before = audit_count(who=bob, action=AuditEntry.READ)
    html = client_for(bob).get("/clinic/invitations/").content.decode()
    assert audit_count(who=bob, action=AuditEntry.READ) == before + 1
    assert "dave@example.com" in html
    invitations.leave_clinic(dave)
    html = client_for(bob).get("/clinic/invitations/").content.decode()
    assert "dave@example.com" not in html


def test_making_a_printed_code_from_the_page(bob: User) -> None:
    response = client_for(bob).post(
        "/clinic/invitations/new/", {"kind": "print", "name": "Ann Lee"}
    )
    invitation = Invitation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/clinic/invitations/{invitation.pk}/print/"
    assert invitation.name == "Ann Lee"
    assert invitation.email == ""


def test_inviting_by_email_from_the_page(
    bob: User, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client_for(bob).post(
            "/clinic/invitations/new/", {"kind": "email", "email": "ann@example.com"}
        )
    assert response.status_code == 302
    assert response["Location"] == "/clinic/invitations/"
    run_queued_jobs()
    assert [message.to for message in mail.outbox] == [["ann@example.com"]]


@pytest.mark.parametrize(
    "data",
    [{"kind": "email", "email": ""}, {"kind": "email", "email": "nope"}, {"kind": "what"}],
)
def test_a_bad_invitation_form_answers_400(bob: User, data: dict[str, str]) -> None:
    response = client_for(bob).post("/clinic/invitations/new/", data)
    assert response.status_code == 400
    assert Invitation.objects.count() == 0


def test_making_an_invitation_is_for_staff_only(charlie: User, alice: Patient) -> None:
    assert client_for(alice).post("/clinic/invitations/new/", {"kind": "print"}).status_code == 404
    anonymous = Client().post("/clinic/invitations/new/", {"kind": "print"})
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]
    assert Invitation.objects.count() == 0


def test_the_print_page(bob: User, charlie: User, alice: Patient) -> None:
    invitation = create_invitation(bob)
    url = f"/clinic/invitations/{invitation.pk}/print/"
    response = client_for(bob).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert grouped(invitation.code) in html
    assert re.search(r"<svg [^>]*role=\"img\"", html)  # the QR code, drawn on the server
    assert f"http://127.0.0.1:8000/join/{invitation.code}/" in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    assert_only_own_clinic(url, own=bob, other_clinic=charlie, patient=alice)
    assert client_for(bob).get("/clinic/invitations/999999/print/").status_code == 404


def test_the_qr_code_opens_the_join_page(bob: User) -> None:
    invitation = create_invitation(bob)
    with mock.patch.object(invitations.segno, "make", wraps=invitations.segno.make) as make:
        client_for(bob).get(f"/clinic/invitations/{invitation.pk}/print/")
    assert make.call_args.args[0] == f"http://127.0.0.1:8000/join/{invitation.code}/"


def test_a_used_invitation_prints_no_code(bob: User, dave: Patient) -> None:
    invitation = create_invitation(bob)
    accept_invitation(dave, invitation.code)
    html = client_for(bob).get(f"/clinic/invitations/{invitation.pk}/print/").content.decode()
    assert "<svg" not in html


def test_withdrawing_from_the_page(bob: User, charlie: User, alice: Patient) -> None:
    invitation = create_invitation(bob)
    url = f"/clinic/invitations/{invitation.pk}/withdraw/"
    assert client_for(charlie).post(url).status_code == 404
    assert client_for(alice).post(url).status_code == 404
    assert Client().post(url).status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).withdrawn_at is None
    assert client_for(bob).get(url).status_code == 405
    response = client_for(bob).post(url)
    assert response.status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).withdrawn_at is not None


def test_withdrawing_a_used_invitation_answers_400(bob: User, dave: Patient) -> None:
    invitation = create_invitation(bob)
    accept_invitation(dave, invitation.code)
    response = client_for(bob).post(f"/clinic/invitations/{invitation.pk}/withdraw/")
    assert response.status_code == 400
    assert Invitation.objects.get(pk=invitation.pk).withdrawn_at is None
