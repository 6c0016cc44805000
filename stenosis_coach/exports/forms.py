"""The form that confirms deleting an account. Every label and message is ours."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _


class DeleteAccountForm(forms.Form):
    """Asks for the password again, so nobody else at an unlocked phone can delete it."""

    password = forms.CharField(
        label=_("Type your password to say yes"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Please type your password. Nothing has been deleted.")},
    )

    def __init__(self, user: AbstractBaseUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right. Nothing has been deleted."))
        return password
