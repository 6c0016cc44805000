"""Forms for the timed walk and the two-weekly function check. Every label and message is
ours, in plain words."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from stenosis_coach.patients.forms import PAIN_CHOICES, ActivitiesForm, scale_field

from .models import WALKING_TEST_CAP_MINUTES, Activity, FunctionCheck

SCORE_HELP = _("0 means you cannot do it at all. 10 means as well as before.")
WALK_TIME_RANGE = format_lazy(
    _("The time must be from 0 to {minutes} minutes."), minutes=WALKING_TEST_CAP_MINUTES
)
WALK_TIME_NUMBER = _("The time must be a number of minutes, like 12.5.")
WALK_AGAIN = _("We did not get the time you walked. Please do the walk again.")
WALK_END_AGAIN = _("We did not get why the walk ended. Please do the walk again.")


class WalkingTestForm(forms.Form):
    """What the walking timer sends when the walk ends. The inputs are hidden and filled in
    by walking.js, so every message says what went wrong without naming a field."""

    minutes = forms.DecimalField(
        min_value=Decimal(0),
        max_value=Decimal(WALKING_TEST_CAP_MINUTES),
        max_digits=4,
        decimal_places=1,
        widget=forms.HiddenInput,
        error_messages={
            "required": WALK_AGAIN,
            "invalid": WALK_TIME_NUMBER,
            "max_digits": WALK_TIME_RANGE,
            "max_decimal_places": WALK_TIME_NUMBER,
            "max_whole_digits": WALK_TIME_RANGE,
            "min_value": WALK_TIME_RANGE,
            "max_value": WALK_TIME_RANGE,
        },
    )
    stopped_by_symptoms = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda answer: answer == "yes",
        widget=forms.HiddenInput,
        error_messages={"required": WALK_END_AGAIN, "invalid_choice": WALK_END_AGAIN},
    )


def score_field(label: str) -> forms.TypedChoiceField:
    """How well an activity goes now, 0 to 10."""
    return scale_field(label, SCORE_HELP)


class FunctionCheckForm(forms.Form):
    """A 0-10 score for each of the patient's activities and, from the second check on,
    the global impression of change."""

    def __init__(
        self, *args: Any, activities: list[Activity], ask_impression: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.activities = activities
        for activity in activities:
            self.fields[self.field_name(activity)] = score_field(activity.name)
        if ask_impression:
            self.fields["impression"] = forms.TypedChoiceField(
                label=_("Since you started, how are your legs and back?"),
                choices=FunctionCheck.Impression.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Please pick the answer that fits best."),
                    "invalid_choice": _("Please pick one of the answers."),
                },
            )

    @staticmethod
    def field_name(activity: Activity) -> str:
        return f"activity_{activity.pk}"

    def scores(self) -> dict[int, int]:
        return {
            activity.pk: self.cleaned_data[self.field_name(activity)]
            for activity in self.activities
        }

    def impression(self) -> int | None:
        return self.cleaned_data.get("impression")


class FirstActivitiesForm(ActivitiesForm):
    """Onboarding's activities form, for a patient who left them blank then: here at least
    one is needed (there is nothing else to answer), rated with big number buttons."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name.startswith("score_"):
                field.widget = forms.RadioSelect()
                field.choices = PAIN_CHOICES
                field.help_text = SCORE_HELP

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not self.activities():
            raise forms.ValidationError(_("Please write at least one activity."))
        return data
