"""Therapists and clinic admins see many patients' health data: their sessions end after
30 minutes with no request. Patients keep long sessions (their phone is their own)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .models import StaffMember

STAFF_IDLE_SECONDS = 30 * 60
LAST_SEEN_KEY = "staff_last_seen"
# The last-seen time is written at most this often: a session save on every request would
# cost each page a write, and a minute is nothing against 30.
LAST_SEEN_STEP_SECONDS = 60


class StaffIdleLogoutMiddleware:
    """Keeps when an active staff member was last seen in their session; a request after
    more than STAFF_IDLE_SECONDS logs them out and sends them to the log-in page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_staff_member(user.pk):
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if isinstance(last_seen, int | float) and now - last_seen > STAFF_IDLE_SECONDS:
                logout(request)
                return redirect("login")
            if not isinstance(last_seen, int | float) or now - last_seen >= LAST_SEEN_STEP_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def is_staff_member(user_id: int) -> bool:
    return StaffMember.objects.filter(user_id=user_id, active=True).exists()
