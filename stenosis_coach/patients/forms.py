"""Forms for signing up and onboarding. Every label and message is ours, in plain words."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from stenosis_coach.programme import red_flag_questions

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
PAIN_CHOICES = [(n, str(n)) for n in range(11)]
# "No set time" is an answer the patient picks, never what an empty answer means.
NO_SET_TIME = "none"
SESSION_TIMES = [
    ("09:00", _("In the morning")),
    ("12:00", _("At noon")),
    ("15:00", _("In the afternoon")),
    ("18:00", _("In the evening")),
    (NO_SET_TIME, _("No set time")),
]
PICK_A_TIME = _("Please pick a time. If you do not want one, pick “No set time”.")
MAX_ACTIVITIES = 3
ACTIVITY_MAX_LETTERS = 80  # Activity.name's max_length
PICK_A_NUMBER = _("Please pick a number from 0 to 10.")
# What the two ends of each 0-10 scale mean, shown beside the numbers.
PAIN_ENDS = (_("No pain"), _("Worst pain"))
ACTIVITY_ENDS = (_("I cannot do it"), _("I can do it as well as before"))
EMAIL_ERRORS = {
    "required": _("Please put in your email."),
    "invalid": _("This does not look like an email. It should look like name@example.com."),
}
PASSWORD_HELP = _("Use 10 or more letters, numbers or signs. Do not use a common word.")

# The password rules (settings.AUTH_PASSWORD_VALIDATORS, patients/passwords.py), told in
# our own words by the code of the rule that failed.
PASSWORD_PROBLEMS = {
    "password_too_short": _(
        "This password is too short. Use 10 or more letters, numbers or signs."
    ),
    "password_only_spaces": _("A password cannot be only spaces. Add letters or numbers."),
    "password_too_common": _(
        "Many people use this password. Please pick one that is harder to guess."
    ),
    "password_entirely_numeric": _("A password cannot be only numbers. Add some letters too."),
    "password_too_similar": _("This password is too close to your email. Please pick another one."),
}
PASSWORDS_DIFFER = _("The two passwords are not the same.")


# Zones the system knows that are not a place: the server's own, and a placeholder.
NOT_A_PLACE = {"localtime", "Factory"}
# The zones offered in the settings list: the places (old names like "US/Central" are
# still accepted from a browser, and shown when they are the patient's own).
PLACE_AREAS = (
    "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
    "Indian", "Pacific",
)  # fmt: skip


@cache
def known_zones() -> frozenset[str]:
    """Every IANA time zone name the server can count days in."""
    return frozenset(available_timezones() - NOT_A_PLACE)


def is_known_zone(name: object) -> bool:
    return isinstance(name, str) and name in known_zones()


def zone_label(name: str) -> str:
    """A zone as the list shows it: "America/New_York" is "America/New York"."""
    return name.replace("_", " ")


def zone_choices(current: str) -> list[tuple[str, str]]:
    """The places to pick from, in order, with UTC and the patient's own zone."""
    places = {name for name in known_zones() if name.split("/")[0] in PLACE_AREAS}
    places |= {"UTC"} | ({current} if is_known_zone(current) else set())
    return [(name, zone_label(name)) for name in sorted(places)]


def check_password(password: str, user: User) -> list[str]:
    """Django's password rules; what is wrong, in plain words (empty when it is fine)."""
    try:
        password_validation.validate_password(password, user)
    except forms.ValidationError as error:
        return [
            str(PASSWORD_PROBLEMS.get(problem.code or "", _("Please pick a new password.")))
            for problem in error.error_list
        ]
    return []


class SignupForm(forms.Form):
    email = forms.EmailField(label=_("Your email"), max_length=150, error_messages=EMAIL_ERRORS)
    password = forms.CharField(
        label=_("Make a password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "aria-describedby": "id_password_help"}
        ),
        help_text=PASSWORD_HELP,
        error_messages={"required": _("Please make a password.")},
    )
    password_again = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Please type the password again.")},
    )
    # Filled in by zone.js from the browser; an unknown or missing one is left out.
    time_zone = forms.CharField(
        required=False, widget=forms.HiddenInput(attrs={"data-browser-zone": ""})
    )

    def clean_time_zone(self) -> str:
        zone = self.cleaned_data.get("time_zone", "")
        return zone if is_known_zone(zone) else ""

    def clean_email(self) -> str:
        # An e-mail with an account already is not an error here: the view answers the same
        # either way, and e-mails the owner (sign-up does not tell who has an account).
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, again = data.get("password"), data.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", PASSWORDS_DIFFER)
        elif password and data.get("email"):
            candidate = User(username=data["email"], email=data["email"])
            for problem in check_password(password, candidate):
                self.add_error("password", problem)
        return data


class EmailLoginForm(AuthenticationForm):
    """Log in with the email used to sign up."""

    error_messages = {
        "invalid_login": _("That email and password do not match. Please try again."),
        "inactive": _("This account is switched off."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Your email")
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "type": "email"})
        self.fields["username"].error_messages["required"] = _("Please put in your email.")
        self.fields["password"].label = _("Your password")
        self.fields["password"].error_messages["required"] = _("Please put in your password.")

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class RedFlagForm(forms.Form):
    """One yes/no question per red flag; every one must be answered."""

    def __init__(self, *args: Any, locale: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in red_flag_questions():
            self.fields[question.id] = forms.ChoiceField(
                label=question.text(locale),
                help_text=question.help(locale),
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Please answer yes or no."),
                    "invalid_choice": _("Please answer yes or no."),
                },
            )

    def answers(self) -> dict[str, bool]:
        return {name: value == "yes" for name, value in self.cleaned_data.items()}


class DoctorCheckForm(forms.Form):
    """The patient says a doctor has checked them after a red-flag "yes" (a box to tick, so
    a stray tap cannot lift the hold)."""

    doctor_checked = forms.BooleanField(
        label=_("A doctor has checked me and said I can go on."),
        error_messages={"required": _("Please tick the box once a doctor has checked you.")},
    )


class DiagnosisForm(forms.Form):
    diagnosis = forms.ChoiceField(
        label=_(
            "Think of your leg pain. Did a doctor or therapist say it comes from spinal stenosis?"
        ),
        help_text=_("Spinal stenosis means the space for the nerves in your low back is narrow."),
        choices=[("yes", _("Yes")), ("no", _("No")), ("unsure", _("I am not sure"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose an answer."),
            "invalid_choice": _("Please choose an answer."),
        },
    )


class ScaleSelect(forms.RadioSelect):
    """The numbers 0 to 10 as big buttons, with what 0 and what 10 mean said beside them
    (web/field.html shows `ends`)."""

    def __init__(self, ends: tuple[str, str], attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.ends = ends


def scale_field(
    label: str,
    help_text: str = "",
    *,
    ends: tuple[str, str] = PAIN_ENDS,
    required: bool = True,
) -> forms.TypedChoiceField:
    """A 0-10 question (pain, or how well an activity goes) shown as big number buttons,
    both ends named: pain's 0 is "No pain", an activity's 0 is "I cannot do it"."""
    return forms.TypedChoiceField(
        label=label,
        choices=PAIN_CHOICES,
        coerce=int,
        empty_value=None,
        required=required,
        widget=ScaleSelect(ends),
        help_text=help_text,
        error_messages={"required": PICK_A_NUMBER, "invalid_choice": PICK_A_NUMBER},
    )


class PainForm(forms.Form):
    leg_pain = scale_field(_("How bad is the pain in your leg right now?"))
    back_pain = scale_field(_("How bad is the pain in your back right now?"))


class WalkingForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("How many minutes can you walk before your leg makes you stop?"),
        min_value=0,
        max_value=30,
        help_text=_(
            "Walk at your own pace. Stop when your leg hurts or goes numb. "
            "If you can walk 30 minutes or more, put 30."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Please put a number of minutes."),
            "min_value": _("Please put a number from 0 to 30."),
            "max_value": _("Please put a number from 0 to 30."),
            "invalid": _("Please put a whole number of minutes, like 10."),
        },
    )


def short_enough(name: str) -> None:
    """An activity's name fits in ACTIVITY_MAX_LETTERS. The input has no maxlength, which
    would cut a pasted text without a word: the patient is told, and keeps what they wrote."""
    if len(name) > ACTIVITY_MAX_LETTERS:
        raise forms.ValidationError(
            _("This has %(count)s letters. Please make it shorter: 80 letters at most."),
            code="too_long",
            params={"count": len(name)},
        )


class ActivitiesForm(forms.Form):
    """Up to three activities that are hard now, each rated 0 (cannot do it) to 10 (as well
    as before the problem) on the same big number buttons as pain."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_ACTIVITIES + 1):
            self.fields[f"activity_{number}"] = forms.CharField(
                label=_("Activity %(number)s") % {"number": number},
                required=False,
                validators=[short_enough],
                help_text=_("For example: walking to the shop, standing to cook.")
                if number == 1
                else "",
            )
            self.fields[f"score_{number}"] = scale_field(
                _("How well can you do activity %(number)s now?") % {"number": number},
                ends=ACTIVITY_ENDS,
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(1, MAX_ACTIVITIES + 1):
            activity, score = f"activity_{number}", f"score_{number}"
            if self.has_error(activity) or self.has_error(score):
                continue  # one message for each answer: the one already given
            if data.get(activity) and data.get(score) is None:
                self.add_error(score, PICK_A_NUMBER)
            if data.get(score) is not None and not data.get(activity):
                self.add_error(activity, _("Please write the thing you find hard."))
        return data

    def activities(self) -> list[tuple[str, int]]:
        data = self.cleaned_data
        return [
            (data[f"activity_{n}"], data[f"score_{n}"])
            for n in range(1, MAX_ACTIVITIES + 1)
            if data.get(f"activity_{n}")
        ]


def time_field() -> forms.ChoiceField:
    """The time of day for the exercises: one of SESSION_TIMES must be picked."""
    return forms.ChoiceField(
        label=_("When would you like to do your exercises each day?"),
        choices=SESSION_TIMES,
        widget=forms.RadioSelect,
        error_messages={"required": PICK_A_TIME, "invalid_choice": PICK_A_TIME},
    )


def as_time(choice: str) -> dt.time | None:
    """A SESSION_TIMES value as the time saved (None for "No set time")."""
    return None if choice == NO_SET_TIME else dt.time.fromisoformat(choice)


def as_choice(time: dt.time | None) -> str:
    """The SESSION_TIMES value for a saved time ("" if it is none of them)."""
    if time is None:
        return NO_SET_TIME
    value = time.strftime("%H:%M")
    return value if value in dict(SESSION_TIMES) else ""


class SessionTimeForm(forms.Form):
    time = time_field()

    def chosen_time(self) -> dt.time | None:
        return as_time(self.cleaned_data["time"])


ON_OFF = [("on", _("Yes")), ("off", _("No"))]


def on_off_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=ON_OFF,
        coerce=lambda answer: answer == "on",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please answer yes or no."),
            "invalid_choice": _("Please answer yes or no."),
        },
    )


class ZoneSelect(forms.Select):
    """The time zones, each marked as a name rather than words in any language (lang
    "zxx"), so a screen reader spells it as it is and no page counts it as text."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["attrs"]["lang"] = "zxx"
        return option


class SettingsForm(forms.Form):
    """The settings page: the language, spoken steps and beeps, and the time zone."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,  # each named in itself, never translated
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please pick a language."),
            "invalid_choice": _("Please pick a language."),
        },
    )
    voice_on = on_off_field(_("Do you want to hear each step out loud?"))
    beeps_on = on_off_field(_("Do you want beeps in the last seconds of a hold?"))
    # Not sent (an older page): the zone stays as it is.
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        help_text=_("We use it to know when your day starts and ends."),
        required=False,
        # web/field.html gives the help text this id (Django's own would be "_helptext").
        widget=ZoneSelect(attrs={"data-browser-zone": "", "aria-describedby": "id_time_zone_help"}),
        error_messages={"invalid_choice": _("Please pick a time zone from the list.")},
    )

    def __init__(self, *args: Any, current_zone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone_field = self.fields["time_zone"]
        assert isinstance(zone_field, forms.ChoiceField)
        choices = zone_choices(current_zone)
        # With no zone yet, nothing is picked for the patient (zone.js offers the browser's).
        zone_field.choices = choices if current_zone else [("", _("Not set yet")), *choices]


class EmailPasswordResetForm(PasswordResetForm):
    """Asks for the email to send the link to, in our words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Your email")
        self.fields["email"].error_messages.update(EMAIL_ERRORS)


class NewPasswordForm(SetPasswordForm):
    """A new password after following the e-mailed link: our words, the same rules as
    signing up."""

    error_messages = {"password_mismatch": PASSWORDS_DIFFER}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label = _("Make a new password")
        first.help_text = PASSWORD_HELP
        first.error_messages["required"] = _("Please make a password.")
        second.label = _("Type the password again")
        second.help_text = ""
        second.error_messages["required"] = _("Please type the password again.")

    def clean(self) -> dict[str, Any]:
        # As SetPasswordForm.clean, with Django's password rules told in our words.
        self.validate_passwords("new_password1", "new_password2")
        password = self.cleaned_data.get("new_password2")
        if password and not self.has_error("new_password2"):
            for problem in check_password(password, self.user):
                self.add_error("new_password1", problem)
        return self.cleaned_data
