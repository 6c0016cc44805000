"""Log-in lockout (django-axes, set in settings: AXES_*). After 5 wrong passwords for one
account, or from one address, log-in is closed for a while. This is the page it answers
with, and how a password reset by e-mail lifts it."""

from __future__ import annotations

import math
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .forms import EmailLoginForm


def cool_off_minutes() -> int:
    return math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)


def locked_out_page(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The log-in page again, with a plain message and 429 Too Many Requests."""
    minutes = cool_off_minutes()
    locked = _(
        "Too many tries with a wrong password. Log-in is closed for %(minutes)d minutes. "
        "Then try again. Or reset your password by e-mail now."
    ) % {"minutes": minutes}
    # Not bound to the POST: checking it would try the password again.
    form = EmailLoginForm(request, initial={"username": request.POST.get("username", "")})
    context = {"form": form, "locked_out": locked, "next": request.POST.get("next", "")}
    response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def lift_lockout(username: str) -> None:
    """Forget the failed log-ins of this account (after it proved itself another way)."""
    axes_reset(username=username)
