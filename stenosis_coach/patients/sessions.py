"""Ending an account's log-in sessions: on a password change or reset every other one ends
(the person who changed it stays in), and on deletion all of them do."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.utils import timezone


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """Delete every unexpired session logged in as this user, except the one keyed `keep`.
    Returns how many ended. Sessions live in the database (the default session engine)."""
    ended = []
    live = Session.objects.filter(expire_date__gt=timezone.now())
    for session in live.iterator():
        if session.session_key == keep:
            continue
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)
