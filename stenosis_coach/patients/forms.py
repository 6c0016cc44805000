"""Forms for signing up and onboarding. Every label and message is ours, in plain words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User

from stenosis_coach.programme import red_flag_questions

YES_NO = [("yes", "Yes"), ("no", "No")]
PAIN_CHOICES = [(n, str(n)) for n in range(11)]
SESSION_TIMES = [
    ("09:00", "Morning"),
    ("12:00", "Midday"),
    ("15:00", "Afternoon"),
    ("18:00", "Evening"),
    ("", "No set time"),
]
MAX_ACTIVITIES = 3


class SignupForm(forms.Form):
    email = forms.EmailField(label="Your email", max_length=150)
    password = forms.CharField(
        label="Make a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Use 8 or more letters, numbers or signs. Do not use a common word.",
    )
    password_again = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(username__iexact=email).exists():
            raise forms.ValidationError(
                "There is already an account with this email. Try to log in instead."
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, again = data.get("password"), data.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", "The two passwords are not the same.")
        elif password and data.get("email"):
            candidate = User(username=data["email"], email=data["email"])
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class EmailLoginForm(AuthenticationForm):
    """Log in with the email used to sign up."""

    error_messages = {
        "invalid_login": "That email and password do not match. Please try again.",
        "inactive": "This account is switched off.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Your email"
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "type": "email"})
        self.fields["password"].label = "Your password"

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class RedFlagForm(forms.Form):
    """One yes/no question per red flag; every one must be answered."""

    def __init__(self, *args: Any, locale: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in red_flag_questions():
            self.fields[question.id] = forms.ChoiceField(
                label=question.text(locale),
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": "Please answer yes or no."},
            )

    def answers(self) -> dict[str, bool]:
        return {name: value == "yes" for name, value in self.cleaned_data.items()}


class DiagnosisForm(forms.Form):
    diagnosis = forms.ChoiceField(
        label=(
            "Has a doctor or physical therapist told you that your leg pain comes from "
            "spinal stenosis (a narrow space for the nerves in your low back)?"
        ),
        choices=[("yes", "Yes"), ("no", "No"), ("unsure", "I am not sure")],
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose an answer."},
    )


class PainForm(forms.Form):
    leg_pain = forms.TypedChoiceField(
        label="How bad is the pain in your leg right now?",
        choices=PAIN_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="0 means no pain. 10 means the worst pain you can imagine.",
        error_messages={"required": "Please pick a number from 0 to 10."},
    )
    back_pain = forms.TypedChoiceField(
        label="How bad is the pain in your back right now?",
        choices=PAIN_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="0 means no pain. 10 means the worst pain you can imagine.",
        error_messages={"required": "Please pick a number from 0 to 10."},
    )


class WalkingForm(forms.Form):
    minutes = forms.IntegerField(
        label="How many minutes can you walk before leg pain or numbness makes you stop?",
        min_value=0,
        max_value=30,
        help_text="Walking at your own pace. If you can walk 30 minutes or more, put 30.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Please put a number of minutes.",
            "min_value": "Please put a number from 0 to 30.",
            "max_value": "Please put a number from 0 to 30.",
            "invalid": "Please put a whole number of minutes, like 10.",
        },
    )


class ActivitiesForm(forms.Form):
    """Up to three activities that are hard now, each rated 0 (cannot do it) to 10 (as well
    as before the problem)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_ACTIVITIES + 1):
            self.fields[f"activity_{number}"] = forms.CharField(
                label=f"Activity {number}",
                max_length=80,
                required=False,
                help_text="For example: walking to the shop, standing to cook."
                if number == 1
                else "",
            )
            self.fields[f"score_{number}"] = forms.TypedChoiceField(
                label=f"How well can you do activity {number} now?",
                choices=[("", "Choose"), *PAIN_CHOICES],
                coerce=int,
                empty_value=None,
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(1, MAX_ACTIVITIES + 1):
            name, score = data.get(f"activity_{number}"), data.get(f"score_{number}")
            if name and score is None:
                self.add_error(f"score_{number}", "Please pick a number from 0 to 10.")
            if score is not None and not name:
                self.add_error(f"activity_{number}", "Please write the activity.")
        return data

    def activities(self) -> list[tuple[str, int]]:
        data = self.cleaned_data
        return [
            (data[f"activity_{n}"], data[f"score_{n}"])
            for n in range(1, MAX_ACTIVITIES + 1)
            if data.get(f"activity_{n}")
        ]


class SessionTimeForm(forms.Form):
    time = forms.ChoiceField(
        label="When would you like to do your exercises each day?",
        choices=SESSION_TIMES,
        widget=forms.RadioSelect,
        required=False,
    )

    def chosen_time(self) -> dt.time | None:
        value = self.cleaned_data.get("time")
        return dt.time.fromisoformat(value) if value else None
