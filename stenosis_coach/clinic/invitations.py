"""Invitations, consent and leaving a clinic: the actions and their rules, and the few reads
they need.

A therapist makes an invitation (e-mailed, or printed with a QR code); a patient reads what
the therapist will see, agrees, and is linked to the clinic (a new person signs up through
it). A patient can stop sharing at any time: their clinic is cleared, and as every staff read
goes through `patient_for_staff`, which filters by clinic, the therapist loses access at once.

The codes are typed by people from paper: eight letters with no look-alikes, read in any
case, with spaces or dashes ("abcd-efgh"). A wrong code tells nothing: an unknown code and a
withdrawn one get the same message.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stenosis_coach.jobs.email import enqueue_email
from stenosis_coach.patients.actions import sign_up
from stenosis_coach.patients.models import Clinic, Patient

from .audit import record_access
from .models import AuditEntry, Invitation, StaffMember
from .queries import audit_entries

# No letter that reads as another letter or a digit: I L (1), O Q (0), B (8), S (5), Z (2),
# G (6), and V (U). 17 letters, so 17**8 (about 7 billion) codes.
CODE_LETTERS = "ACDEFHJKMNPRTUWXY"
CODE_LENGTH = 8
INVITATION_DAYS = 14
INVITATION_LIFETIME = dt.timedelta(days=INVITATION_DAYS)
# A clash among billions of codes is rare; a few more tries make failing all but impossible.
CODE_TRIES = 10
# What a person may type between the letters: spaces and dashes of any kind.
TYPED_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_.]+")  # the Unicode dashes too
LOOKED_PER_PAGE = 50

# Said to the patient: plain words. Unknown and withdrawn codes share one message.
NO_SUCH_CODE = _(
    "We cannot find this code. Check the letters, or ask your therapist for a new code."
)
CODE_TOO_OLD = _("This code is too old. Codes work for 14 days. Ask your therapist for a new one.")
CODE_USED = _("This code has been used already. Ask your therapist for a new one.")
NOT_A_CODE = _("A code has 8 letters, like ACDE-FHJK. Please check it and try again.")


class InvitationError(ValueError):
    """An invitation that cannot be made, used or withdrawn. `message` says why in words
    for the person who tried; `code` names the case for the code (unknown, expired, used,
    malformed, invalid)."""

    def __init__(self, message: object, code: str = "invalid") -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code


# ---------------------------------------------------------------------------------------
# Codes


def new_code() -> str:
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """A code as stored, from what a person typed: upper case, with no spaces or dashes.
    InvitationError("malformed") when it cannot be a code at all."""
    code = TYPED_SEPARATORS.sub("", typed or "").upper()
    if len(code) != CODE_LENGTH or any(letter not in CODE_LETTERS for letter in code):
        raise InvitationError(NOT_A_CODE, "malformed")
    return code


def grouped(code: str) -> str:
    """A code as printed and shown: two groups of four, "ABCD-EFGH"."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def join_path(invitation: Invitation) -> str:
    return reverse("join-code", kwargs={"code": invitation.code})


def join_url(invitation: Invitation) -> str:
    """The address on the paper, in the QR code and in the e-mail."""
    return settings.SITE_URL + join_path(invitation)


def qr_svg(invitation: Invitation, title: str) -> str:
    """The join address as a QR code (see url_qr_svg)."""
    return url_qr_svg(join_url(invitation), title)


def url_qr_svg(url: str, title: str) -> str:
    """An address as a QR code, an inline SVG drawn on the server (black on white, so it
    scans from paper in any colour scheme). `title` is its text alternative."""
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=6, border=4, dark="#000", light="#fff", title=title)
    return str(svg).replace("<svg ", '<svg role="img" ', 1)


# ---------------------------------------------------------------------------------------
# Who is asking


def acting_user(request_or_user: HttpRequest | AbstractBaseUser) -> AbstractBaseUser:
    if isinstance(request_or_user, HttpRequest):
        return request_or_user.user  # type: ignore[return-value]
    return request_or_user


def active_staff(request_or_user: HttpRequest | AbstractBaseUser) -> StaffMember:
    """The active staff membership of whoever asks; InvitationError for anyone else."""
    user = acting_user(request_or_user)
    member = (
        StaffMember.objects.select_related("clinic", "user")
        .filter(user_id=getattr(user, "pk", None), active=True)
        .first()
    )
    if member is None:
        raise InvitationError(_("Only clinic staff can make a code."), "not_staff")
    return member


# ---------------------------------------------------------------------------------------
# Status, as the list shows it


def status(invitation: Invitation, now: dt.datetime | None = None) -> str:
    """One of "used", "withdrawn", "expired", "open"."""
    if invitation.used_at is not None:
        return "used"
    if invitation.withdrawn_at is not None:
        return "withdrawn"
    if invitation.expires_at <= (now or timezone.now()):
        return "expired"
    return "open"


# ---------------------------------------------------------------------------------------
# Actions


@transaction.atomic
def create_invitation(
    request_or_user: HttpRequest | AbstractBaseUser, *, email: str = "", name: str = ""
) -> Invitation:
    """A new invitation from an active staff member, for their clinic: a printed code, or
    (with `email`) an e-mail with the join link. No patient exists yet, so the clinic's log
    gets an entry with no patient."""
    member = active_staff(request_or_user)
    email = email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvitationError(_("This is not an e-mail address."), "bad_email") from None
    name = " ".join(name.split())[: Invitation._meta.get_field("name").max_length]
    invitation = save_with_new_code(
        Invitation(
            clinic=member.clinic,
            therapist=member.user,
            email=email,
            name=name,
            expires_at=timezone.now() + INVITATION_LIFETIME,
        )
    )
    kind = f"e-mail to {email}" if email else "printed code"
    record_access(request_or_user, None, AuditEntry.CHANGE, f"Invitation {invitation.pk}: {kind}")
    if email:
        send_invitation_email(invitation, member)
    return invitation


def save_with_new_code(invitation: Invitation) -> Invitation:
    """Save with a fresh code, trying again on the rare clash with a code in use."""
    for _try in range(CODE_TRIES):
        invitation.code = new_code()
        try:
            with transaction.atomic():  # a savepoint: a clash leaves the outer one usable
                invitation.save()
            return invitation
        except IntegrityError:
            if not Invitation.objects.filter(code=invitation.code).exists():
                raise  # some other problem than the code
    raise InvitationError(_("Could not make a new code. Please try again."), "no_code")


INVITATION_SUBJECT = _("Your therapist asks you to join Stenosis Coach")
INVITATION_BODY = _("""Hello,

%(therapist)s at %(clinic)s asks you to join them on Stenosis Coach.

To say yes, open this link:

%(link)s

Or go to %(join)s and type this code: %(code)s

The code works until %(until)s. It works one time.

If you did not expect this e-mail, you can ignore it.

Stenosis Coach
""")


def send_invitation_email(invitation: Invitation, member: StaffMember) -> None:
    """The join link by e-mail, through the job runner (once per invitation). Nothing about
    anyone's health goes in it, and not the name the therapist typed either."""
    body = INVITATION_BODY % {
        "therapist": staff_name(member.user),
        "clinic": member.clinic.name,
        "link": join_url(invitation),
        "join": settings.SITE_URL + reverse("join"),
        "code": grouped(invitation.code),
        "until": date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT"),
    }
    enqueue_email(f"invitation-{invitation.pk}", invitation.email, str(INVITATION_SUBJECT), body)


def staff_name(user: AbstractBaseUser) -> str:
    """A staff member as a patient sees them: their full name, else their e-mail."""
    full_name = user.get_full_name() if isinstance(user, User) else ""
    return full_name or getattr(user, "email", "") or user.get_username()


def open_invitation(code: str, *, lock: bool = False) -> Invitation:
    """The invitation with this code (as typed), still open: InvitationError otherwise.
    An invitation whose therapist is no longer active staff at its clinic counts as
    withdrawn."""
    code = normalise_code(code)
    invitations = Invitation.objects.select_related("clinic", "therapist")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(code=code).first()
    if invitation is None or invitation.withdrawn_at is not None or not still_staff(invitation):
        raise InvitationError(NO_SUCH_CODE, "unknown")
    if invitation.used_at is not None:
        raise InvitationError(CODE_USED, "used")
    if invitation.expires_at <= timezone.now():
        raise InvitationError(CODE_TOO_OLD, "expired")
    return invitation


def still_staff(invitation: Invitation) -> bool:
    return StaffMember.objects.filter(
        user_id=invitation.therapist_id, clinic_id=invitation.clinic_id, active=True
    ).exists()


def used_by_patient(code: str, patient: Patient) -> Invitation | None:
    """The invitation with this code if `patient` used it and still shares with its clinic
    (so a form sent twice goes on instead of failing; after leaving, the code is spent)."""
    try:
        code = normalise_code(code)
    except InvitationError:
        return None
    if patient.clinic_id is None:
        return None
    return (
        Invitation.objects.select_related("clinic", "therapist")
        .filter(code=code, used_by=patient, clinic_id=patient.clinic_id)
        .first()
    )


@transaction.atomic
def accept_invitation(patient: Patient, code: str) -> Invitation:
    """The patient agreed: link them to the invitation's clinic and therapist, sharing from
    now on, and mark the invitation used. A patient at another clinic moves to this one (the
    consent page said so). Accepting again the invitation one already used changes nothing."""
    already = used_by_patient(code, patient)
    if already is not None:
        return already
    invitation = open_invitation(code, lock=True)
    now = timezone.now()
    patient.clinic = invitation.clinic
    patient.therapist = invitation.therapist
    patient.sharing_since = now
    patient.save(update_fields=["clinic", "therapist", "sharing_since"])
    invitation.used_at = now
    invitation.used_by = patient
    invitation.save(update_fields=["used_at", "used_by"])
    return invitation


@transaction.atomic
def sign_up_with_invitation(
    code: str, email: str, password: str, *, language: str = "en", time_zone: str = ""
) -> Patient:
    """A new patient who signs up through an invitation and is linked by it: both or
    neither (a code that stopped working meanwhile makes no account)."""
    open_invitation(code, lock=True)
    patient = sign_up(email, password, language=language, time_zone=time_zone)
    accept_invitation(patient, code)
    return patient


def invitation_for_staff(member: StaffMember, invitation_id: object) -> Invitation:
    """One of the member's clinic's invitations, or 404 (the same for another clinic's)."""
    try:
        pk = int(str(invitation_id))
    except ValueError:
        raise Http404("No such invitation") from None
    invitation = (
        Invitation.objects.select_related("therapist", "clinic").filter(pk=pk, clinic=member.clinic)
    ).first()
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


@transaction.atomic
def withdraw_invitation(
    request_or_user: HttpRequest | AbstractBaseUser, invitation: Invitation
) -> Invitation:
    """Stop an invitation working, for active staff of its clinic. A used one cannot be
    withdrawn (the patient can stop sharing); withdrawing twice changes nothing."""
    member = active_staff(request_or_user)
    if invitation.clinic_id != member.clinic_id:
        raise InvitationError(_("This invitation is not from your clinic."), "other_clinic")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at is not None:
        raise InvitationError(_("This code has been used, so you cannot withdraw it."), "used")
    if invitation.withdrawn_at is None:
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at"])
        what = f"Invitation {invitation.pk}: withdrawn"
        record_access(request_or_user, None, AuditEntry.CHANGE, what)
    return invitation


@transaction.atomic
def leave_clinic(patient: Patient) -> Clinic | None:
    """The patient stops sharing: no clinic, no therapist. Every staff read filters by
    clinic, so the therapist loses access with this write. Returns the clinic left (None if
    there was none, so leaving twice changes nothing)."""
    stored = (
        Patient.objects.select_for_update(of=("self",)).select_related("clinic").get(pk=patient.pk)
    )
    left = stored.clinic
    patient.clinic = patient.therapist = None
    patient.sharing_since = None
    patient.save(update_fields=["clinic", "therapist", "sharing_since"])
    return left


# ---------------------------------------------------------------------------------------
# Reads


def clinic_invitations(clinic: Clinic) -> QuerySet[Invitation]:
    """The clinic's invitations, newest first, with who made them and who used them."""
    return (
        Invitation.objects.filter(clinic=clinic)
        .select_related("therapist", "used_by__user")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class Look:
    """One audit entry as the patient reads it."""

    who: str
    clinic: str
    what: str
    at: dt.datetime


# What someone did, in words for the patient. The entry's own `what` is for the clinic's
# log (a page's address, an object's name, in English): it is not shown to the patient.
def plain_what(entry: AuditEntry) -> str:
    if entry.action == AuditEntry.CHANGE:
        return gettext("Changed your plan or your details")
    return gettext("Looked at your data")


def looks_at(patient: Patient, page_number: object = 1) -> Page:
    """Who has looked at the patient's data or changed it, newest first, LOOKED_PER_PAGE a
    page (a Page of Look)."""
    entries = audit_entries(patient=patient).select_related("who__staff__clinic").reverse()
    page = Paginator(entries, LOOKED_PER_PAGE).get_page(page_number)
    page.object_list = [as_look(entry) for entry in page.object_list]
    return page


def as_look(entry: AuditEntry) -> Look:
    who = entry.who
    staff = getattr(who, "staff", None) if who is not None else None
    return Look(
        who=staff_name(who) if who is not None else entry.who_email,
        clinic=staff.clinic.name if staff is not None else "",
        what=plain_what(entry),
        at=entry.at,
    )
