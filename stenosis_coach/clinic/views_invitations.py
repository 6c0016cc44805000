"""Invitations: the therapist's list, new invitations and the printed code (clinic pages),
and joining a clinic (patient pages, mounted at the site's root). Views validate input and
call the actions in invitations.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stenosis_coach.access import staff_view
from stenosis_coach.limits.decorators import limit
from stenosis_coach.limits.keys import by_account, by_address
from stenosis_coach.patients.forms import SignupForm
from stenosis_coach.patients.language import supported
from stenosis_coach.patients.models import Patient
from stenosis_coach.patients.views import posted

from . import invitations as actions
from .audit import record_access
from .models import AuditEntry, Invitation, StaffMember

INVITATIONS_PER_PAGE = 50
PRINT, EMAIL = "print", "email"

# ---------------------------------------------------------------------------------------
# Forms


class InviteForm(forms.Form):
    """A new invitation: a printed code, or an e-mail (then the address is needed)."""

    kind = forms.ChoiceField(
        choices=[(PRINT, _("Printed code")), (EMAIL, _("E-mail"))], widget=forms.HiddenInput
    )
    name = forms.CharField(
        label=_("Patient's name (for this list only)"),
        max_length=120,
        required=False,
        help_text=_("Not sent to anyone."),
    )
    email = forms.EmailField(
        label=_("Patient's e-mail"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Enter a valid e-mail address.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == EMAIL and not data.get("email") and not self.has_error("email"):
            self.add_error("email", _("Enter the e-mail address to send the invitation to."))
        if data.get("kind") == PRINT:
            data["email"] = ""  # a printed code is never e-mailed
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=40,
        help_text=_("It has 8 letters, like ACDE-FHJK."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "aria-describedby": "id_code_help",
            }
        ),
        error_messages={"required": _("Please type the code from your therapist.")},
    )

    def clean_code(self) -> str:
        try:
            return actions.normalise_code(self.cleaned_data["code"])
        except actions.InvitationError as error:
            raise forms.ValidationError(str(error.message), code=error.code) from None


AGREE_ERRORS = {"required": _("Please tick the box to say yes.")}


def agree_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("I agree. I want to share my data with my therapist."),
        error_messages=AGREE_ERRORS,
    )


class ConsentForm(forms.Form):
    agree = agree_field()


class SignupWithConsentForm(SignupForm):
    agree = agree_field()


# ---------------------------------------------------------------------------------------
# The therapist's pages


def invite_form(kind: str, data: Any = None) -> InviteForm:
    """The page has a form of each kind: their ids differ ("print_name", "email_name")."""
    form = InviteForm(data, initial={"kind": kind}, auto_id=f"{kind}_%s")
    # web/field.html gives the help text this id (Django's own would be "_helptext").
    form.fields["name"].widget.attrs["aria-describedby"] = f"{kind}_name_help"
    return form


def invitation_rows(staff: StaffMember, page_number: object) -> Any:
    """A page of the clinic's invitations, each with its status. A patient who used one is
    named only while they still share with this clinic."""
    page = Paginator(actions.clinic_invitations(staff.clinic), INVITATIONS_PER_PAGE).get_page(
        page_number
    )
    now = timezone.now()
    for invitation in page.object_list:
        invitation.status = actions.status(invitation, now)  # type: ignore[attr-defined]
        invitation.grouped_code = actions.grouped(invitation.code)  # type: ignore[attr-defined]
        patient = invitation.used_by
        shares = patient is not None and patient.clinic_id == staff.clinic_id
        invitation.used_by_name = (  # type: ignore[attr-defined]
            (patient.user.email or patient.user.get_username()) if shares else ""
        )
    return page


def render_list(
    request: HttpRequest,
    staff: StaffMember,
    *,
    forms_by_kind: dict[str, InviteForm] | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    forms_by_kind = forms_by_kind or {}
    blank = {kind: invite_form(kind) for kind in (PRINT, EMAIL)}
    page = invitation_rows(staff, request.GET.get("page"))
    # The list names the patients who joined: one entry for the list, as the caseload does.
    record_access(request, None, AuditEntry.READ, "Invitations: list")
    context = {
        "staff": staff,
        "page": page,
        "print_form": forms_by_kind.get(PRINT) or blank[PRINT],
        "email_form": forms_by_kind.get(EMAIL) or blank[EMAIL],
        "problem": problem,
        "days": actions.INVITATION_DAYS,
    }
    return render(request, "clinic/invitations.html", context, status=status)


@require_GET
@staff_view
def invitations(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    return render_list(request, staff)


@require_POST
@staff_view
def invitation_new(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    kind = EMAIL if request.POST.get("kind") == EMAIL else PRINT
    form = invite_form(kind, request.POST)
    if not form.is_valid():
        return render_list(request, staff, forms_by_kind={kind: form}, status=400)
    try:
        invitation = actions.create_invitation(
            request, email=form.cleaned_data["email"], name=form.cleaned_data["name"]
        )
    except actions.InvitationError as error:
        form.add_error(None, str(error.message))
        return render_list(request, staff, forms_by_kind={kind: form}, status=400)
    if invitation.email:
        messages.success(
            request,
            gettext("Invitation sent to %(email)s. Code: %(code)s.")
            % {"email": invitation.email, "code": actions.grouped(invitation.code)},
        )
        return redirect("invitations")
    return redirect("invitation-print", invitation_id=invitation.pk)


@require_GET
@staff_view
def invitation_print(request: HttpRequest, staff: StaffMember, invitation_id: int) -> HttpResponse:
    invitation = actions.invitation_for_staff(staff, invitation_id)
    status = actions.status(invitation)
    context = {
        "staff": staff,
        "invitation": invitation,
        "status": status,
        "code": actions.grouped(invitation.code),
        "join_url": actions.join_url(invitation),
        "join_page": settings.SITE_URL + reverse("join"),
        "therapist": actions.staff_name(invitation.therapist),
        "qr": actions.qr_svg(invitation, gettext("QR code that opens the join page"))
        if status == "open"
        else "",
    }
    return render(request, "clinic/invitation_print.html", context)


@require_POST
@staff_view
def invitation_withdraw(
    request: HttpRequest, staff: StaffMember, invitation_id: int
) -> HttpResponse:
    invitation = actions.invitation_for_staff(staff, invitation_id)
    try:
        actions.withdraw_invitation(request, invitation)
    except actions.InvitationError as error:
        return render_list(request, staff, problem=str(error.message), status=400)
    messages.success(
        request,
        gettext("Invitation %(code)s withdrawn: it no longer works.")
        % {"code": actions.grouped(invitation.code)},
    )
    return redirect("invitations")


urlpatterns: list[URLPattern] = [
    path("invitations/", invitations, name="invitations"),
    path("invitations/new/", invitation_new, name="invitation-new"),
    path("invitations/<int:invitation_id>/print/", invitation_print, name="invitation-print"),
    path(
        "invitations/<int:invitation_id>/withdraw/",
        invitation_withdraw,
        name="invitation-withdraw",
    ),
]

# ---------------------------------------------------------------------------------------
# The patient's pages: type a code, read what sharing means, agree (signing up if new).


@require_GET
def join(request: HttpRequest) -> HttpResponse:
    """Type a code. Sent (as ?code=), a good code goes on to its consent page."""
    form = CodeForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("join-code", code=form.cleaned_data["code"])
    return render(request, "clinic/join.html", {"form": form}, status=400 if form.errors else 200)


def patient_of(request: HttpRequest) -> Patient | None:
    return Patient.objects.filter(user_id=request.user.pk).first()


def code_problem(request: HttpRequest, error: actions.InvitationError) -> HttpResponse:
    status = {"malformed": 400, "used": 410, "expired": 410}.get(error.code, 404)
    context = {"problem": error.message, "form": CodeForm()}
    return render(request, "clinic/join_problem.html", context, status=status)


def too_many_codes(request: HttpRequest, message: str, code: str) -> HttpResponse:
    return render(request, "clinic/join_problem.html", {"problem": message, "form": CodeForm()})


# Every look at a code counts, per address and per account, so codes cannot be guessed.
CODE_LOOKS = {"answer": too_many_codes, "methods": ("GET", "POST")}


@require_http_methods(["GET", "POST"])
@limit("join-address", by_address, **CODE_LOOKS)
@limit("join-account", by_account, **CODE_LOOKS)
def join_code(request: HttpRequest, code: str) -> HttpResponse:
    """The consent page of one invitation: what the therapist will see and do, and "I
    agree". A new person signs up here; a patient who is logged in agrees; staff are told
    this page is for patients."""
    try:
        normal = actions.normalise_code(code)
    except actions.InvitationError as error:
        return code_problem(request, error)
    if normal != code:
        return redirect("join-code", code=normal)  # "abcd-efgh" typed in the address bar
    if not request.user.is_authenticated:
        return join_as_new_patient(request, normal)
    patient = patient_of(request)
    if patient is None:
        return render(request, "clinic/join_not_a_patient.html", status=403)
    return join_as_patient(request, patient, normal)


def consent_context(invitation: Invitation, patient: Patient | None = None) -> dict[str, Any]:
    moving_from = ""
    if patient is not None and patient.clinic_id and patient.clinic_id != invitation.clinic_id:
        moving_from = patient.clinic.name if patient.clinic else ""
    return {
        "invitation": invitation,
        "clinic": invitation.clinic.name,
        "therapist": actions.staff_name(invitation.therapist),
        "moving_from": moving_from,
        "same_clinic": patient is not None and patient.clinic_id == invitation.clinic_id,
    }


def join_as_patient(request: HttpRequest, patient: Patient, code: str) -> HttpResponse:
    done = actions.used_by_patient(code, patient)
    if done is not None:
        # Already linked by this code (a form sent twice, a link opened again): go on.
        if request.method == "POST":
            return redirect("today")
        context = {**consent_context(done), "already": True}
        return render(request, "clinic/join_consent.html", context)
    try:
        invitation = actions.open_invitation(code)
    except actions.InvitationError as error:
        return code_problem(request, error)
    form = ConsentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = actions.accept_invitation(patient, code)
        except actions.InvitationError as error:  # it stopped working meanwhile
            return code_problem(request, error)
        messages.success(request, shared_message(invitation))
        return redirect("today")
    context = {**consent_context(invitation, patient), "form": form}
    status = 400 if form.errors else 200
    return render(request, "clinic/join_consent.html", context, status=status)


def shared_message(invitation: Invitation) -> str:
    return gettext("You now share your data with %(clinic)s.") % {"clinic": invitation.clinic.name}


def join_as_new_patient(request: HttpRequest, code: str) -> HttpResponse:
    """Sign up through the invitation. Sent twice (the second before the first's answer
    came back), the second finds the account the first made: it logs in and goes on."""
    if request.method == "POST":
        again = made_by_first_try(request, code)
        if again is not None:
            return again
    try:
        invitation = actions.open_invitation(code)
    except actions.InvitationError as error:
        return code_problem(request, error)
    form = SignupWithConsentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        # The account keeps the language the person is reading now (as on the sign-up page).
        language = supported(get_language()) or "en"
        try:
            patient = actions.sign_up_with_invitation(
                code,
                form.cleaned_data["email"],
                form.cleaned_data["password"],
                language=language,
                time_zone=form.cleaned_data["time_zone"],
            )
        except actions.InvitationError as error:
            return code_problem(request, error)
        login(request, patient.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, shared_message(invitation))
        return redirect("onboarding")
    login_url = reverse("login") + "?next=" + reverse("join-code", kwargs={"code": code})
    context = {**consent_context(invitation), "form": form, "login_url": login_url}
    status = 400 if form.errors else 200
    return render(request, "clinic/join_consent.html", context, status=status)


def made_by_first_try(request: HttpRequest, code: str) -> HttpResponse | None:
    """The account this same form made a moment ago, with this code, if the e-mail and
    password sent are its own: log in and go on (else None, and the form answers)."""
    email = str(request.POST.get("email", "")).strip().lower()
    password = str(request.POST.get("password", ""))
    if not email or not password:
        return None
    user = authenticate(request, username=email, password=password)
    patient = Patient.objects.filter(user_id=getattr(user, "pk", None)).first()
    if user is None or patient is None or actions.used_by_patient(code, patient) is None:
        return None
    login(request, user)
    return redirect("onboarding")


patient_urlpatterns: list[URLPattern] = [
    path("join/", join, name="join"),
    path("join/<str:code>/", join_code, name="join-code"),
]
