"""Which language a page is in.

A new visitor gets the browser's language (Accept-Language, through Django's
LocaleMiddleware), or the one they picked with the language switch (a cookie). A patient's
choice is also saved in Patient.language, which the engine uses for plans and reasons: it is
read into the session at log-in, and from then on it wins over the cookie and the browser,
on every device the patient logs in on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from . import actions
from .models import Patient

# The session keeps the patient's language ("" for an account that is not a patient), so
# that pages need no extra query to find it.
SESSION_KEY = "stenosis_coach.language"


def supported(language: str | None) -> str:
    """One of settings.LANGUAGES for `language` ("es-MX" gives "es"), or "" if none fits."""
    if not language:
        return ""
    try:
        return translation.get_supported_language_variant(language)
    except LookupError:
        return ""


def patient_language(user: object) -> str:
    """The saved language of the patient whose account `user` is ("" if none)."""
    saved = Patient.objects.filter(user=user).values_list("language", flat=True).first()
    return supported(saved)


def remember_on_log_in(
    sender: object, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    """At log-in, the patient's saved language becomes the session's."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = patient_language(user)


user_logged_in.connect(remember_on_log_in, dispatch_uid="stenosis_coach.language.log_in")


def session_language(request: HttpRequest) -> str:
    """The logged-in patient's language, or "" (anonymous, or not a patient)."""
    if not hasattr(request, "session") or not request.user.is_authenticated:
        return ""
    if SESSION_KEY not in request.session:  # a session from before this was kept
        request.session[SESSION_KEY] = patient_language(request.user)
    return str(request.session[SESSION_KEY])


class PatientLanguageMiddleware:
    """Shows a logged-in patient's pages in their saved language, and keeps the language
    cookie the same, so the pages after log-out stay in that language too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = session_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # Read again: logging in or switching may have changed it during this request.
        language = session_language(request)
        cookie = settings.LANGUAGE_COOKIE_NAME
        if language and request.COOKIES.get(cookie) != language and cookie not in response.cookies:
            set_language_cookie(response, language)
        return response


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The language switch on every page: Django's set_language (the cookie, then back to
    the page), and for a patient the choice is saved with their account too."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        # Only the languages we have: Django's own would take any it has words for.
        return HttpResponseBadRequest(_("We do not have that language."))
    response = set_language(request)
    if request.user.is_authenticated:
        patient = Patient.objects.filter(user=request.user).first()
        if patient is not None:
            actions.set_language(patient, language)
        request.session[SESSION_KEY] = language if patient is not None else ""
    return response
