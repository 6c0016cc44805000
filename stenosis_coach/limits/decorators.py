"""`limit(scope, key_func)`: the one decorator each limited view wears. Over the rate it
answers 429 with `Retry-After` (seconds) and a plain sentence, and the view does not run,
so nothing is saved. The rates are settings (RATE_LIMITS: scope -> (hits, seconds))."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext

from .keys import hashed
from .store import Rate, record_hit

KeyFunc = Callable[..., str | None]
# answer(request, message, *view_args, **view_kwargs): the page or JSON that says "wait".
Answer = Callable[..., HttpResponse]
View = Callable[..., HttpResponse]


def rate_for(scope: str) -> Rate:
    hits, seconds = settings.RATE_LIMITS[scope]
    return Rate(int(hits), int(seconds))


def wait_message(seconds: int) -> str:
    if seconds <= 60:
        return gettext("Please wait a moment, then try again.")
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many tries. Please wait %(minutes)s minute, then try again.",
        "Too many tries. Please wait %(minutes)s minutes, then try again.",
        minutes,
    ) % {"minutes": minutes}


def json_answer(request: HttpRequest, message: str, *args: Any, **kwargs: Any) -> HttpResponse:
    return JsonResponse({"error": message})


def form_page(
    template: str,
    form_for: Callable[..., forms.Form],
    context_for: Callable[..., dict[str, Any]] | None = None,
) -> Answer:
    """An answer that shows the form again, empty but for what `form_for` fills in, with
    the message at its top. The form sent is not checked (no password is tried)."""

    def answer(request: HttpRequest, message: str, *args: Any, **kwargs: Any) -> HttpResponse:
        form = form_for(request, *args, **kwargs)
        form.cleaned_data = {}  # an unbound form is never checked; add_error needs this
        form.add_error(None, message)
        extra = context_for(request, *args, **kwargs) if context_for else {}
        return render(request, template, {**extra, "form": form})

    return answer


def with_typed_email(form_class: type[forms.Form]) -> Callable[..., forms.Form]:
    """A form_for that keeps the e-mail typed (never a password), so it need not be typed
    again."""

    def form_for(request: HttpRequest, *args: Any, **kwargs: Any) -> forms.Form:
        return form_class(initial={"email": str(request.POST.get("email", ""))[:254]})

    return form_for


def limit(
    scope: str,
    key_func: KeyFunc,
    *,
    answer: Answer = json_answer,
    methods: Iterable[str] = ("POST",),
) -> Callable[[View], View]:
    """Count each request of `methods` against key_func's value in `scope`."""
    counted = frozenset(methods)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            value = key_func(request, *args, **kwargs) if request.method in counted else None
            if value is not None:
                verdict = record_hit(scope, hashed(scope, value), rate_for(scope))
                if not verdict.allowed:
                    message = wait_message(verdict.retry_after)
                    response = answer(request, message, *args, **kwargs)
                    response.status_code = 429
                    response["Retry-After"] = str(verdict.retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
