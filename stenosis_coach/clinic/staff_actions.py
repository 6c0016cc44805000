"""Writes a clinic admin makes on the staff page: invite, deactivate, reactivate, send a
new set-password link, move patients to another therapist, reset a member's two-step
sign-in. Each runs in one transaction
and writes its audit entry in it.

Every write takes the admin's own StaffMember first and checks it is an active admin of
the member's clinic, so a view cannot forget the check.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from stenosis_coach.jobs.email import enqueue_email
from stenosis_coach.patients.models import Patient
from stenosis_coach.patients.sessions import end_sessions

from .actions import (
    SET_PASSWORD_HOURS,
    ClinicError,
    NewStaff,
    add_staff_member,
    send_welcome,
    set_password_path,
)
from .audit import record_access
from .models import AuditEntry, StaffMember
from .two_step_devices import remove_devices

SET_PASSWORD_SUBJECT = "Set your Stenosis Coach password"
SET_PASSWORD_BODY = """Hello,

Here is a new link to set your password for your account at {clinic} on Stenosis Coach.
Open it within {hours} hours:

{link}

If you did not expect this, you can ignore this e-mail.

Stenosis Coach
"""


class NotAllowed(ClinicError):
    """The person asking is not an active admin of this clinic (views answer 404)."""


def check_admin(admin: StaffMember, member: StaffMember | None = None) -> None:
    if not (admin.active and admin.is_admin):
        raise NotAllowed("Only a clinic admin can manage the staff.")
    if member is not None and member.clinic_id != admin.clinic_id:
        raise NotAllowed("That staff member is not at your clinic.")


@transaction.atomic
def do_invite_staff(
    request: HttpRequest, admin: StaffMember, email: str, role: str = StaffMember.THERAPIST
) -> NewStaff:
    """A new therapist or admin of the admin's clinic, e-mailed their set-password link."""
    check_admin(admin)
    new = add_staff_member(admin.clinic, email, role=role)
    send_welcome(new.member, settings.SITE_URL + new.link_path)
    record_access(request, None, AuditEntry.CHANGE, f"Staff: invited {new.member.user.email}")
    return new


def lock_members(admin: StaffMember) -> dict[int, StaffMember]:
    """The clinic's staff rows, locked: two admins deactivating each other at once cannot
    both pass the "one active admin left" check."""
    members = StaffMember.objects.select_for_update().filter(clinic_id=admin.clinic_id)
    return {member.pk: member for member in members.select_related("user")}


@transaction.atomic
def do_deactivate_staff(
    request: HttpRequest,
    admin: StaffMember,
    member: StaffMember,
    *,
    reassign_to: StaffMember | None = None,
) -> list[Patient]:
    """Deactivate a member (they see nothing from the next request on), never oneself and
    never the last active admin. Their patients keep them as therapist unless `reassign_to`
    (another active member of the clinic) is given. Returns the patients moved."""
    check_admin(admin, member)
    members = lock_members(admin)
    member = members[member.pk]
    if member.pk == admin.pk:
        raise ClinicError(_("You cannot deactivate yourself."))
    if not member.active:
        raise ClinicError(_("%(email)s is already inactive.") % {"email": member.user.email})
    if member.is_admin and not any(
        other.active and other.is_admin for pk, other in members.items() if pk != member.pk
    ):
        raise ClinicError(_("The clinic needs at least one active admin."))
    moved = move_patients(request, admin, member, reassign_to, members) if reassign_to else []
    member.active = False
    member.save(update_fields=["active"])
    record_access(request, None, AuditEntry.CHANGE, f"Staff: deactivated {member.user.email}")
    return moved


@transaction.atomic
def do_reactivate_staff(request: HttpRequest, admin: StaffMember, member: StaffMember) -> None:
    check_admin(admin, member)
    member = lock_members(admin)[member.pk]
    if member.active:
        raise ClinicError(_("%(email)s is already active.") % {"email": member.user.email})
    member.active = True
    member.save(update_fields=["active"])
    record_access(request, None, AuditEntry.CHANGE, f"Staff: reactivated {member.user.email}")


@transaction.atomic
def do_reassign_patients(
    request: HttpRequest, admin: StaffMember, member: StaffMember, reassign_to: StaffMember
) -> list[Patient]:
    """Move every patient of `member` at this clinic to `reassign_to`."""
    check_admin(admin, member)
    return move_patients(request, admin, member, reassign_to, lock_members(admin))


def move_patients(
    request: HttpRequest,
    admin: StaffMember,
    member: StaffMember,
    reassign_to: StaffMember,
    members: dict[int, StaffMember],
) -> list[Patient]:
    """Each patient of `member` at the clinic gets `reassign_to` as therapist, with one
    audit entry (a change) per patient."""
    target = members.get(reassign_to.pk)
    if target is None or not target.active or target.pk == member.pk:
        raise ClinicError(_("Pick another active member of your clinic."))
    patients = list(
        Patient.objects.select_for_update().filter(clinic_id=admin.clinic_id, therapist=member.user)
    )
    for patient in patients:
        patient.therapist = target.user
        patient.save(update_fields=["therapist"])
        what = f"Therapist: {member.user.email} to {target.user.email}"
        record_access(request, patient, AuditEntry.CHANGE, what)
    return patients


@transaction.atomic
def do_send_set_password(
    request: HttpRequest, admin: StaffMember, member: StaffMember, *, now: dt.datetime | None = None
) -> None:
    """E-mail a new one-time set-password link. Django's password-reset form skips
    accounts with no usable password, so this is how a new member who lost the welcome
    e-mail gets in. The e-mail's key holds the time of the click: a second click sends
    again, while the same job run twice sends once."""
    check_admin(admin, member)
    if not member.active:
        raise ClinicError(_("Reactivate %(email)s first.") % {"email": member.user.email})
    clicked = now or timezone.now()
    body = SET_PASSWORD_BODY.format(
        clinic=member.clinic.name,
        hours=SET_PASSWORD_HOURS,
        link=settings.SITE_URL + set_password_path(member.user),
    )
    key = f"set-password-{member.pk}-{clicked:%Y%m%dT%H%M%S%f}"
    enqueue_email(key, member.user.email, SET_PASSWORD_SUBJECT, body)
    what = f"Staff: set-password link sent to {member.user.email}"
    record_access(request, None, AuditEntry.CHANGE, what)


def reset_two_step(user: User) -> tuple[int, int]:
    """Remove the account's app and recovery codes and end all its sessions: at the next
    log-in a staff member sets up a new app (clinic/two_step.py). Returns (devices removed,
    sessions ended). For do_reset_two_step and the reset_two_step command."""
    return remove_devices(user), end_sessions(user)


@transaction.atomic
def do_reset_two_step(
    request: HttpRequest, admin: StaffMember, member: StaffMember
) -> tuple[int, int]:
    """A member lost their phone: their two-step sign-in starts again (never one's own: an
    admin who lost theirs asks another admin, or an operator runs `reset_two_step`)."""
    check_admin(admin, member)
    member = lock_members(admin)[member.pk]
    if member.pk == admin.pk:
        raise ClinicError(_("You cannot reset your own two-step sign-in."))
    done = reset_two_step(member.user)
    what = f"Staff: two-step sign-in reset for {member.user.email}"
    record_access(request, None, AuditEntry.CHANGE, what)
    return done
