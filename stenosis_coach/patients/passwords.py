"""Our password rules, in plain words: at least 10 letters, numbers or signs, not only
spaces, not a common password, not close to the email. Django's checks do the work; the
words (errors and help) are ours, so every page that asks for a password says the same."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_LENGTH = 10


class LongEnough:
    """At least MIN_LENGTH letters, numbers or signs."""

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < MIN_LENGTH:
            raise ValidationError(too_short_message(), code="password_too_short")

    def get_help_text(self) -> str:
        return too_short_message()


def too_short_message() -> str:
    return _("Use %(count)d or more letters, numbers or signs.") % {"count": MIN_LENGTH}


class NotOnlySpaces:
    """Spaces are fine inside a password, not as the whole of it."""

    def validate(self, password: str, user: Any = None) -> None:
        if password and not password.strip():
            raise ValidationError(
                _("A password cannot be only spaces. Add letters or numbers."),
                code="password_only_spaces",
            )

    def get_help_text(self) -> str:
        return _("Do not use only spaces.")


class NotCommon(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords."""

    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                _("Many people use this password. Please pick one that is harder to guess."),
                code="password_too_common",
            ) from None

    def get_help_text(self) -> str:
        return _("Do not use a common word.")


class NotTooLikeTheEmail(password_validation.UserAttributeSimilarityValidator):
    """Not close to the account's email (or name)."""

    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                _("This password is too close to your email. Please pick another one."),
                code="password_too_similar",
            ) from None

    def get_help_text(self) -> str:
        return _("Do not use your email.")
