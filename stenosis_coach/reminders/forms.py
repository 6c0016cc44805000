"""The reminder settings form: one time per session of the day, the days, and e-mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from stenosis_coach.patients.forms import on_off_field

from .timing import time_choices

WEEKDAY_NAMES = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
PICK_A_TIME = _("Please pick a time from the list.")


def spoken_time(time: dt.time) -> str:
    """A time as people read it in the active language ("9:30 a.m.", "09:30")."""
    return formats.time_format(time)


def time_field(label: str, chosen: dt.time) -> forms.TypedChoiceField:
    choices = time_choices()
    if chosen not in choices:  # a time kept from before, off the half hours
        choices = sorted([*choices, chosen])
    return forms.TypedChoiceField(
        label=label,
        choices=[(time.strftime("%H:%M"), spoken_time(time)) for time in choices],
        coerce=dt.time.fromisoformat,
        initial=chosen.strftime("%H:%M"),
        error_messages={"required": PICK_A_TIME, "invalid_choice": PICK_A_TIME},
    )


class ReminderForm(forms.Form):
    days = forms.TypedMultipleChoiceField(
        label=_("On which days?"),
        choices=[(str(day), name) for day, name in enumerate(WEEKDAY_NAMES)],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Please pick at least one day."),
            "invalid_choice": _("Please pick days from the list."),
        },
    )
    by_email = on_off_field(_("Do you want an e-mail at each exercise time?"))

    def __init__(
        self, *args: Any, times: list[dt.time], has_email: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.has_email = has_email
        self.time_names = []
        for index, time in enumerate(times):
            name = f"time_{index + 1}"
            label = (
                _("What time do you want to do your exercises?")
                if len(times) == 1
                else _("Time for session %(number)s") % {"number": index + 1}
            )
            self.fields[name] = time_field(str(label), time)
            self.time_names.append(name)
        # The times first, as the page asks them.
        self.order_fields([*self.time_names, "days", "by_email"])

    def time_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.time_names]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        times = [cleaned[name] for name in self.time_names if name in cleaned]
        if len(set(times)) < len(times):
            self.add_error(self.time_names[-1], _("Please pick a different time for each session."))
        if cleaned.get("by_email") and not self.has_email:
            self.add_error(
                "by_email",
                _("Your account has no e-mail address, so we cannot send you e-mails."),
            )
        return cleaned

    def chosen_times(self) -> list[dt.time]:
        return [self.cleaned_data[name] for name in self.time_names]
