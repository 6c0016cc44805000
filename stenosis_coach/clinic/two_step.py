"""Two-step sign-in for clinic staff (django-otp): after the password, a 6-digit code from
an authenticator app, or one of 10 recovery codes. A staff member with no app yet sets one
up first (a QR code and the secret, confirmed with one code), and sees the recovery codes
once. Staff pages (access.staff_view) send an unverified session here. Patients may turn
it on in Settings; then their pages (access.patient_view) ask for it too."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from .invitations import url_qr_svg
from .models import StaffMember
from .two_step_devices import (
    app_device,
    base32_secret,
    device_for_code,
    make_recovery_codes,
    new_app_device,
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
        "qr": url_qr_svg(device.config_url, str(_("A QR code for your authenticator app"))),
    }
    status = 400 if form.errors else 200
    return render(request, "clinic/two_step_set_up.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("two-step/", enter_code, name="two-step"),
    path("two-step/set-up/", set_up, name="two-step-set-up"),
]
