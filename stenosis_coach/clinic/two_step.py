"""Two-step sign-in for clinic staff (django-otp): after the password, a 6-digit code from
an authenticator app, or one of 10 recovery codes. A staff member with no app yet sets one
up first (a QR code and the secret, confirmed with one code), and sees the recovery codes
once. Staff pages (access.staff_view) send an unverified session here. Patients may turn
it on in Settings; then their pages (access.patient_view) ask for it too.

Once it is on, anyone can get 10 new recovery codes (the old ones stop working), and a
patient can turn it off again; both ask for the password or a code first, in a session that
passed the second step. Staff must keep it: a clinic admin resets a member who lost their
phone (views_staff.reset_two_step), or an operator runs `reset_two_step EMAIL`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login

from stenosis_coach.access import passed_two_step
from stenosis_coach.limits.decorators import limit
from stenosis_coach.limits.keys import by_account
from stenosis_coach.patients.sessions import end_sessions

from .invitations import url_qr_svg
from .models import StaffMember
from .two_step_devices import (
    app_device,
    base32_secret,
    device_for_code,
    make_recovery_codes,
    new_app_device,
    password_or_code_is_right,
    remove_devices,
)

WRONG_CODE = _("That code is not right. Try the newest code in your app.")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code from your app"),
        help_text=_("6 numbers. Or type one of your recovery codes."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
        error_messages={"required": _("Please type the code.")},
    )

    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split()).lower()


def next_page(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}):
        return wanted
    staff = StaffMember.objects.filter(user_id=request.user.pk, active=True).exists()
    return reverse("caseload" if staff else "today")


def with_next(name: str, request: HttpRequest) -> str:
    return reverse(name) + "?" + urlencode({"next": next_page(request)})


@login_required
@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    if app_device(request.user) is None:  # type: ignore[arg-type]
        return redirect(with_next("two-step-set-up", request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        device = device_for_code(request.user, form.cleaned_data["code"])  # type: ignore[arg-type]
        if device is not None:
            otp_login(request, device)
            return redirect(next_page(request))
        form.add_error("code", WRONG_CODE)
    context = {"form": form, "next": next_page(request)}
    return render(request, "clinic/two_step.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if app_device(user) is not None:
        return redirect(with_next("two-step", request))
    device = new_app_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            codes = make_recovery_codes(user)
            context = {"codes": codes, "next": next_page(request)}
            return render(request, "clinic/two_step_recovery.html", context)
        form.add_error("code", WRONG_CODE)
    context = {
        "form": form,
        "next": next_page(request),
        "secret": base32_secret(device),
        "staff_account": is_staff_account(user),
        "qr": url_qr_svg(device.config_url, str(_("A QR code for your authenticator app"))),
    }
    status = 400 if form.errors else 200
    return render(request, "clinic/two_step_set_up.html", context, status=status)


# Managing it: new recovery codes (anyone), turning it off (patients only) ---------------

WRONG_CONFIRM = _("That is not your password or a right code. Please try again.")
STAFF_KEEP_IT = _("Clinic staff must keep two-step sign-in on.")


class ConfirmForm(forms.Form):
    """The password again, or a code from the app (or a recovery code), before a change."""

    password_or_code = forms.CharField(
        label=_("Your password, or a code from your app"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={
            "required": _("Please type your password or a code."),
            "max_length": _("That is too long to be your password or a code."),
        },
    )


def is_staff_account(user: User) -> bool:
    """Clinic staff (active or not) must keep two-step sign-in on."""
    return StaffMember.objects.filter(user_id=user.pk).exists()


def home_page(user: User) -> str:
    return reverse("caseload" if is_staff_account(user) else "settings")


ManageView = Callable[..., HttpResponse]


def managing(view: ManageView) -> ManageView:
    """Log-in required, with two-step sign-in on and passed in this session (a password
    alone cannot change it). The view gets the user as its second argument."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        if app_device(user) is None:
            if is_staff_account(user):
                return redirect(with_next("two-step-set-up", request))
            messages.info(request, gettext("Two-step sign-in is off."))
            return redirect("settings")
        if not passed_two_step(request):
            wanted = reverse("two-step-manage")
            return redirect(reverse("two-step") + "?" + urlencode({"next": wanted}))
        return view(request, user, *args, **kwargs)

    return wrapper


def render_manage(
    request: HttpRequest,
    user: User,
    *,
    codes_form: ConfirmForm | None = None,
    off_form: ConfirmForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "staff_account": is_staff_account(user),
        "codes_form": codes_form or ConfirmForm(prefix="codes"),
        "off_form": off_form or ConfirmForm(prefix="off"),
        "back": home_page(user),
        "error": error,
    }
    return render(request, "clinic/two_step_manage.html", context, status=status)


def confirmed(form: ConfirmForm, user: User) -> bool:
    """The form is filled in with the password or a right code; if not, it says why."""
    if not form.is_valid():
        return False
    if password_or_code_is_right(user, form.cleaned_data["password_or_code"]):
        return True
    form.add_error("password_or_code", WRONG_CONFIRM)
    return False


def too_many_tries(request: HttpRequest, message: str, *args: Any, **kwargs: Any) -> HttpResponse:
    """The manage page again, with the wait at its top (the limit sets 429)."""
    return render_manage(request, request.user, error=message)  # type: ignore[arg-type]


# A session that passed the second step may still guess the password: tries are counted.
CONFIRM_TRIES = limit("two-step-confirm", by_account, answer=too_many_tries)


@require_GET
@managing
def manage(request: HttpRequest, user: User) -> HttpResponse:
    return render_manage(request, user)


@never_cache
@require_POST
@CONFIRM_TRIES
@managing
def new_recovery_codes(request: HttpRequest, user: User) -> HttpResponse:
    """10 new recovery codes, shown once; the old ones stop working."""
    form = ConfirmForm(request.POST, prefix="codes")
    if not confirmed(form, user):
        return render_manage(request, user, codes_form=form, status=400)
    codes = make_recovery_codes(user)
    context = {"codes": codes, "next": home_page(user), "new": True}
    return render(request, "clinic/two_step_recovery.html", context)


@require_POST
@CONFIRM_TRIES
@managing
def turn_off(request: HttpRequest, user: User) -> HttpResponse:
    """A patient turns two-step sign-in off: the app and the recovery codes are removed,
    and the account's other sessions end (this one stays logged in)."""
    if is_staff_account(user):
        return render_manage(request, user, error=str(STAFF_KEEP_IT), status=403)
    form = ConfirmForm(request.POST, prefix="off")
    if not confirmed(form, user):
        return render_manage(request, user, off_form=form, status=400)
    with transaction.atomic():
        remove_devices(user)
        end_sessions(user, keep=request.session.session_key)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    done = gettext("Two-step sign-in is off. You log in with your password only.")
    messages.success(request, done)
    return redirect("settings")


urlpatterns: list[URLPattern] = [
    path("two-step/", enter_code, name="two-step"),
    path("two-step/set-up/", set_up, name="two-step-set-up"),
    path("two-step/manage/", manage, name="two-step-manage"),
    path("two-step/new-codes/", new_recovery_codes, name="two-step-new-codes"),
    path("two-step/turn-off/", turn_off, name="two-step-turn-off"),
]
