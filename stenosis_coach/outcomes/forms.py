"""Forms for the timed walk and the two-weekly function check. Every label and message is
ours, in plain words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from stenosis_coach.patients.forms import ACTIVITY_ENDS, ActivitiesForm, scale_field

from .models import WALKING_TEST_CAP_MINUTES, Activity, FunctionCheck

WALK_TIME_RANGE = format_lazy(
    _("The time must be from 0 to {minutes} minutes."), minutes=WALKING_TEST_CAP_MINUTES
)
WALK_AGAIN = _("We did not get the time you walked. Please do the walk again.")
WALK_END_AGAIN = _("We did not get why the walk ended. Please do the walk again.")


class WalkingTestForm(forms.Form):
    """What the walking timer sends when the walk ends. The inputs are hidden and filled in
    by walking.js, so every message says what went wrong without naming a field."""

    # Whole seconds, as the clock showed them.
    seconds = forms.IntegerField(
        min_value=0,
        max_value=WALKING_TEST_CAP_MINUTES * 60,
        widget=forms.HiddenInput,
        error_messages={
            "required": WALK_AGAIN,
            "invalid": WALK_AGAIN,
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
    """How well an activity goes now, 0 ("I cannot do it") to 10 (as well as before)."""
    return scale_field(label, ends=ACTIVITY_ENDS)


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

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not self.activities():
            raise forms.ValidationError(_("Please write at least one activity."))
        return data
